// See selector.h. The Pool's owner thread only.
#include "pool/selector.h"

#include <bit>
#include <cstdint>

namespace cg::pool {
namespace {

// A busy probe has no known end; suggest looking again this soon.
constexpr int64_t kProbeBusyRetryMs = kSecondMs;
// Allowance per day of an unlimited account (above any real one).
constexpr double kUnlimitedPerDay = 1e15;

template <class F>
inline void for_each_bit(uint64_t mask, F&& f) {
  for (; mask != 0; mask &= mask - 1)
    f(static_cast<AccountIndex>(std::countr_zero(mask)));
}

// Why nothing was chosen, from the blocks seen: the most hopeful reason wins.
class Reasons {
 public:
  void note(Block b, TimeMs until, TimeMs now) {
    switch (b) {
      case Block::kNone:
        break;
      case Block::kDisabled:
        break;
      case Block::kExcluded:
        excluded_ = true;
        break;
      case Block::kUnhealthy:
        soonest(unhealthy_at_, until);
        break;
      case Block::kPremium:
        soonest(premium_at_, until);
        break;
      case Block::kCircuitOpen:
      case Block::kCoolingDown:
        soonest(cooling_at_, until);
        break;
      case Block::kProbeBusy:
        soonest(cooling_at_, now + kProbeBusyRetryMs);
        break;
      case Block::kAtCapacity:
        at_capacity_ = true;
        break;
    }
  }

  Selection result() const {
    Selection s;
    if (at_capacity_) {
      s.reason = NoAccountReason::kAtCapacity;
    } else if (cooling_at_ != kNever) {
      s.reason = NoAccountReason::kCoolingDown;
      s.retry_at = cooling_at_;
    } else if (premium_at_ != kNever) {
      s.reason = NoAccountReason::kPremiumExhausted;
      s.retry_at = premium_at_;
    } else if (excluded_) {
      s.reason = NoAccountReason::kAllExcluded;
    } else if (unhealthy_at_ != kNever) {
      s.reason = NoAccountReason::kUnhealthy;
      s.retry_at = unhealthy_at_;
    } else {
      s.reason = NoAccountReason::kNoneEnabled;
    }
    return s;
  }

 private:
  static constexpr TimeMs kNever = INT64_MAX;
  static void soonest(TimeMs& slot, TimeMs t) {
    if (t < slot) slot = t;
  }

  TimeMs cooling_at_ = kNever;
  TimeMs premium_at_ = kNever;
  TimeMs unhealthy_at_ = kNever;
  bool excluded_ = false;
  bool at_capacity_ = false;
};

// Premium units left per day until the reset, as a fraction num/den (den > 0) compared by
// cross-multiplication: no division per account.
struct Allowance {
  double num, den;
};

// The allowance assumed for accounts with unknown quota: the mean of the enabled accounts whose
// (limited) quota is known, so their standing does not depend on which others are excluded or
// busy; the policy's default when none is known.
Allowance unknown_allowance(std::span<const AccountState> accounts, const SelectionPolicy& policy,
                            TimeMs now) {
  double sum = 0;
  int count = 0;
  for (const AccountState& a : accounts) {
    if (a.config.enabled && a.quota.known() && !a.quota.unlimited()) {
      sum += a.quota.allowance_per_day(now, policy.min_days_left);
      ++count;
    }
  }
  return {count > 0 ? sum / count : policy.unknown_allowance_per_day, static_cast<double>(kDayMs)};
}

// One pass over the candidates, ordered by: most allowance per day (kByAllowance), then fewest in
// flight per unit of weight (kByLoad), then the lowest round-robin pass.
template <bool kByAllowance, bool kByLoad>
AccountIndex pick(std::span<AccountState> accounts, uint64_t mask, const SelectionPolicy& policy,
                  TimeMs now, uint64_t virtual_time) {
  const double min_left = policy.min_days_left * static_cast<double>(kDayMs);
  bool have_unknown = false;
  Allowance unknown{0, 1};
  AccountIndex best = kNoAccount;
  Allowance best_allowance{0, 1};
  uint64_t best_load = 0, best_weight = 1, best_pass = 0;
  for_each_bit(mask, [&](AccountIndex i) {
    const AccountState& a = accounts[i];
    const uint64_t pass = a.rr_pass > virtual_time ? a.rr_pass : virtual_time;
    const uint64_t load = a.in_flight, weight = a.weight();
    Allowance allowance{0, 1};
    if constexpr (kByAllowance) {
      const QuotaState& q = a.quota;
      if (!q.known()) {
        if (!have_unknown) {
          unknown = unknown_allowance(accounts, policy, now);
          have_unknown = true;
        }
        allowance = unknown;
      } else if (q.unlimited()) {
        allowance = {kUnlimitedPerDay, static_cast<double>(kDayMs)};
      } else {
        const double left = static_cast<double>(q.reset_ms() - now);
        allowance = {q.remaining() - q.pending(), left > min_left ? left : min_left};
      }
    }
    bool better = best == kNoAccount;
    if (!better) {
      int order = 0;  // > 0: i goes first; < 0: best stays
      if constexpr (kByAllowance) {
        const double lhs = allowance.num * best_allowance.den;
        const double rhs = best_allowance.num * allowance.den;
        order = lhs > rhs ? 1 : (lhs < rhs ? -1 : 0);
      }
      if constexpr (kByLoad) {
        if (order == 0) {
          const uint64_t lhs = load * best_weight, rhs = best_load * weight;
          order = lhs < rhs ? 1 : (lhs > rhs ? -1 : 0);
        }
      }
      better = order > 0 || (order == 0 && pass < best_pass);
    }
    if (better) {
      best = i;
      best_allowance = allowance;
      best_load = load;
      best_weight = weight;
      best_pass = pass;
    }
  });
  return best;
}

}  // namespace

// Weighted round robin by stride scheduling: each account has a pass value that advances by
// kRoundRobinStride / weight (its rr_stride) when it is chosen, and among equals the candidate with
// the lowest pass goes next. Over any run of selections from the same set each account is chosen in
// proportion to its weight, interleaved. Passes below the scheduler's virtual time (the pass of the
// last choice) count as the virtual time, so an account that was away (busy, cooling down) rejoins
// at the front once, not with a burst that catches up on what it missed.
AccountIndex choose_account(std::span<AccountState> accounts, uint64_t mask,
                            const SelectionPolicy& policy, const SelectRequest& req,
                            uint64_t& virtual_time) {
  AccountIndex chosen;
  if ((mask & (mask - 1)) == 0) {
    chosen = static_cast<AccountIndex>(std::countr_zero(mask));
  } else {
    Strategy s = policy.strategy;
    if (s == Strategy::kQuotaAware && !req.premium())
      s = policy.free_strategy == Strategy::kRoundRobin ? Strategy::kRoundRobin
                                                        : Strategy::kLeastBusy;
    switch (s) {
      case Strategy::kQuotaAware:  // premium: most allowance, then least busy, then round robin
        chosen = pick<true, true>(accounts, mask, policy, req.now, virtual_time);
        break;
      case Strategy::kLeastBusy:
        chosen = pick<false, true>(accounts, mask, policy, req.now, virtual_time);
        break;
      default:
        chosen = pick<false, false>(accounts, mask, policy, req.now, virtual_time);
        break;
    }
  }
  AccountState& a = accounts[chosen];
  const uint64_t pass = a.rr_pass > virtual_time ? a.rr_pass : virtual_time;
  a.rr_pass = pass + a.rr_stride;
  virtual_time = pass;
  return chosen;
}

namespace {

Selection single_account(std::span<AccountState> accounts, AccountIndex i,
                         const SelectRequest& req) {
  Reasons reasons;
  if (i < accounts.size()) {
    accounts[i].quota.roll_over(req.now);
    TimeMs until = 0;
    const Block b = check_account(accounts[i], i, req, &until);
    if (b == Block::kNone) return Selection{i};
    reasons.note(b, until, req.now);
  }
  return reasons.result();
}

}  // namespace

std::optional<Strategy> parse_strategy(std::string_view name) {
  if (name == "round-robin") return Strategy::kRoundRobin;
  if (name == "least-busy") return Strategy::kLeastBusy;
  if (name == "quota-aware") return Strategy::kQuotaAware;
  return std::nullopt;
}

std::string_view strategy_name(Strategy s) {
  switch (s) {
    case Strategy::kRoundRobin:
      return "round-robin";
    case Strategy::kLeastBusy:
      return "least-busy";
    case Strategy::kQuotaAware:
      return "quota-aware";
  }
  return "?";
}

std::string_view reason_name(NoAccountReason r) {
  switch (r) {
    case NoAccountReason::kNone:
      return "none";
    case NoAccountReason::kAtCapacity:
      return "at_capacity";
    case NoAccountReason::kCoolingDown:
      return "cooling_down";
    case NoAccountReason::kPremiumExhausted:
      return "premium_exhausted";
    case NoAccountReason::kAllExcluded:
      return "all_excluded";
    case NoAccountReason::kUnhealthy:
      return "unhealthy";
    case NoAccountReason::kNoneEnabled:
      return "none_enabled";
  }
  return "?";
}

Block check_account(const AccountState& a, AccountIndex i, const SelectRequest& req,
                    TimeMs* until) {
  *until = 0;
  if (!a.config.enabled) return Block::kDisabled;
  if (req.exclude.contains(i)) return Block::kExcluded;
  const Gate g = a.health.gate(req.now, until);
  if (g == Gate::kUnhealthy) return Block::kUnhealthy;
  if (req.premium() && !a.quota.premium_available(req.now)) {
    *until = a.quota.premium_back_at(req.now);
    return Block::kPremium;
  }
  switch (g) {
    case Gate::kCircuitOpen:
      return Block::kCircuitOpen;
    case Gate::kCoolingDown:
      return Block::kCoolingDown;
    case Gate::kProbeBusy:
      return Block::kProbeBusy;
    default:
      break;
  }
  if (!a.has_capacity(req.vision)) return Block::kAtCapacity;
  return Block::kNone;
}

Selection explain_no_account(std::span<AccountState> accounts, const SelectRequest& req) {
  if (req.pinned != kNoAccount) return single_account(accounts, req.pinned, req);
  Reasons reasons;
  const size_t n = accounts.size() < kMaxAccounts ? accounts.size() : kMaxAccounts;
  for (size_t k = 0; k < n; ++k) {
    const auto i = static_cast<AccountIndex>(k);
    accounts[i].quota.roll_over(req.now);
    TimeMs until;
    const Block b = check_account(accounts[i], i, req, &until);
    if (b == Block::kNone) return Selection{i};
    reasons.note(b, until, req.now);
  }
  return reasons.result();
}

}  // namespace cg::pool
