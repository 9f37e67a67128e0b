// Eligibility: the pool's accounts that may take a request, kept as bit masks so that a selection
// costs a few AND operations plus a pass over the candidates, instead of a full check of every
// account. The masks hold what does not depend on the request (enabled, health gate, total
// concurrency cap) and the two per-request refinements (vision cap, premium availability); the
// request's exclusion set is applied on top. They are recomputed for one account whenever the
// Pool changes it, and for all accounts when the configuration changed or when `now` reaches the
// earliest time a timed state (cooldown, open breaker, re-probe, 402 block, quota reset) ends.
// `now` is expected not to go backwards (the Pool uses the latest time it has seen).
// Single-threaded: owned by the Pool and touched only by its owner thread.
#pragma once
#include <array>
#include <cstdint>
#include <span>

#include "pool/account_state.h"
#include "pool/selector.h"
#include "pool/types.h"

namespace cg::pool {

class Eligibility {
 public:
  // The configuration changed (accounts added, enabled, tiers, caps): rebuild at the next refresh.
  void invalidate() { valid_ = false; }

  // Makes the masks current for `now` (rolls quotas over a passed reset date).
  void refresh(std::span<AccountState> accounts, TimeMs now) {
    if (!valid_ || now >= recheck_at_) rebuild(accounts, now);
  }

  // Account i changed (in-flight counts, health, quota) at `now`.
  void update(std::span<AccountState> accounts, AccountIndex i, TimeMs now);

  // The accounts that may take `req`, before priority tiers. REQUIRES: refresh() at req.now.
  uint64_t candidates(const SelectRequest& req) const {
    uint64_t c = base_ & ~req.exclude.bits();
    if (req.vision) c &= vision_ok_;
    if (req.premium()) c &= premium_ok_;
    return c;
  }

  // The members of `mask` in the best (lowest-number) tier that has any.
  uint64_t best_tier(uint64_t mask) const {
    for (size_t t = 0; t < tier_count_; ++t)
      if ((mask & tiers_[t].mask) != 0) return mask & tiers_[t].mask;
    return 0;
  }

 private:
  void rebuild(std::span<AccountState> accounts, TimeMs now);
  // Sets account i's bits; returns the next time they may change by time alone.
  TimeMs compute(AccountState& a, AccountIndex i, TimeMs now);

  struct Tier {
    int32_t tier = 0;
    uint64_t mask = 0;
  };

  uint64_t base_ = 0;        // enabled, health allows a request (or a due probe), under its cap
  uint64_t vision_ok_ = 0;   // under its vision cap
  uint64_t premium_ok_ = 0;  // premium allowed (not blocked, not exhausted)
  TimeMs recheck_at_ = 0;    // rebuild when now reaches this
  bool valid_ = false;
  std::array<Tier, kMaxAccounts> tiers_{};  // ascending tier number
  size_t tier_count_ = 0;
};

}  // namespace cg::pool
