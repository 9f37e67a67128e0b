// See eligibility.h. The Pool's owner thread only.
#include "pool/eligibility.h"

#include <algorithm>

namespace cg::pool {

TimeMs Eligibility::compute(AccountState& a, AccountIndex i, TimeMs now) {
  const uint64_t bit = uint64_t{1} << i;
  TimeMs until;
  const Gate g = a.health.gate(now, &until);
  const bool total_ok = a.config.max_concurrent == 0 || a.in_flight < a.config.max_concurrent;
  const bool base = a.config.enabled && (g == Gate::kOpen || g == Gate::kProbe) && total_ok;
  const bool vision =
      a.config.max_concurrent_vision == 0 || a.in_flight_vision < a.config.max_concurrent_vision;
  a.quota.roll_over(now);
  const bool premium = a.quota.premium_available(now);
  base_ = base ? (base_ | bit) : (base_ & ~bit);
  vision_ok_ = vision ? (vision_ok_ | bit) : (vision_ok_ & ~bit);
  premium_ok_ = premium ? (premium_ok_ | bit) : (premium_ok_ & ~bit);

  // The timed states that can flip a bit: the health timers (all behind ready_at), the 402
  // block and the quota reset.
  TimeMs next = INT64_MAX;
  if (a.health.ready_at() > now) next = a.health.ready_at();
  if (a.quota.blocked_until() > now) next = std::min(next, a.quota.blocked_until());
  if (a.quota.known() && a.quota.reset_ms() > now) next = std::min(next, a.quota.reset_ms());
  return next;
}

void Eligibility::update(std::span<AccountState> accounts, AccountIndex i, TimeMs now) {
  if (!valid_ || i >= accounts.size()) return;  // the next refresh rebuilds everything
  recheck_at_ = std::min(recheck_at_, compute(accounts[i], i, now));
}

void Eligibility::rebuild(std::span<AccountState> accounts, TimeMs now) {
  base_ = vision_ok_ = premium_ok_ = 0;
  recheck_at_ = INT64_MAX;
  tier_count_ = 0;
  const size_t n = std::min<size_t>(accounts.size(), kMaxAccounts);
  for (size_t k = 0; k < n; ++k) {
    const auto i = static_cast<AccountIndex>(k);
    recheck_at_ = std::min(recheck_at_, compute(accounts[i], i, now));
    const int32_t tier = accounts[i].config.tier;
    size_t t = 0;
    while (t < tier_count_ && tiers_[t].tier < tier)
      ++t;
    if (t == tier_count_ || tiers_[t].tier != tier) {
      std::move_backward(tiers_.begin() + t, tiers_.begin() + tier_count_,
                         tiers_.begin() + tier_count_ + 1);
      tiers_[t] = Tier{tier, 0};
      ++tier_count_;
    }
    tiers_[t].mask |= uint64_t{1} << i;
  }
  valid_ = true;
}

}  // namespace cg::pool
