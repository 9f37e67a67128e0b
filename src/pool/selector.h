// Account selection vocabulary and decisions: the request (SelectRequest), the result or the
// reason why no account can take it (Selection), the per-account eligibility check, and the
// strategies (round-robin, least-busy, quota-aware) that pick among eligible accounts.
// Pool::select() combines them with the cached eligibility masks, priority tiers, pinning and
// affinity. Single-threaded: the functions here mutate the accounts' round-robin state and roll
// their quotas over a passed reset date, so they run on the Pool's owner thread. No allocation.
#pragma once
#include <optional>
#include <span>
#include <string_view>

#include "pool/account_state.h"
#include "pool/types.h"

namespace cg::pool {

enum class Strategy : uint8_t {
  kRoundRobin,  // weighted round robin over the eligible accounts
  kLeastBusy,   // fewest in flight per unit of weight; ties by weighted round robin
  // Premium: most premium units left per day until the account's reset, then least busy, then
  // weighted round robin (weights do not scale the allowance: pacing comes first). Free models:
  // free_strategy.
  kQuotaAware,
};
// "round-robin", "least-busy", "quota-aware"; nullopt otherwise.
std::optional<Strategy> parse_strategy(std::string_view name);
std::string_view strategy_name(Strategy s);

struct SelectionPolicy {
  Strategy strategy = Strategy::kQuotaAware;
  // Quota-aware strategy, free models (multiplier 0): kLeastBusy or kRoundRobin.
  Strategy free_strategy = Strategy::kLeastBusy;
  // Quota-aware: days to the reset are counted as at least this much (the last hours before a
  // reset do not make an account's allowance per day explode).
  double min_days_left = 0.5;
  // Quota-aware: allowance per day assumed for accounts with unknown quota when no enabled
  // account's (limited) quota is known; when some are, the unknown ones get the mean of theirs.
  double unknown_allowance_per_day = 10;
};

struct SelectRequest {
  TimeMs now = 0;
  double multiplier = 0;  // the model's billing.multiplier: > 0 = premium request
  bool vision = false;
  uint64_t affinity_key = 0;         // 0 = none (see affinity.h for the key helpers)
  AccountIndex pinned = kNoAccount;  // that account or nothing (no fallback)
  AccountSet exclude;                // accounts this request already tried
  uint64_t request_id = 0;           // identifies the client request for charging (0 = none)

  bool premium() const { return multiplier > 0; }
};

// Why no account was chosen. The server's answer is its own decision; suggestions in brackets.
enum class NoAccountReason : uint8_t {
  kNone,              // an account was chosen
  kAtCapacity,        // an account would take it once one of its requests ends [queue]
  kCoolingDown,       // 429 cooldown, open breaker or a probe in flight; retry_at [429]
  kPremiumExhausted,  // out of premium allowance; retry_at = the soonest return [429/402]
  kAllExcluded,       // every otherwise usable account was already tried [last upstream error]
  kUnhealthy,         // failing auth; retry_at = the soonest re-probe [503]
  kNoneEnabled,       // no account, all disabled, or an unknown pinned index [503]
};
std::string_view reason_name(NoAccountReason r);

struct Selection {
  AccountIndex account = kNoAccount;
  NoAccountReason reason = NoAccountReason::kNone;
  TimeMs retry_at = 0;  // kCoolingDown, kPremiumExhausted, kUnhealthy: soonest change; 0 = unknown
  bool affinity_hit = false;

  bool ok() const { return account != kNoAccount; }
};

// Why one account cannot take a request, most lasting first.
enum class Block : uint8_t {
  kNone,
  kDisabled,
  kExcluded,
  kUnhealthy,
  kPremium,
  kCircuitOpen,
  kCoolingDown,
  kProbeBusy,
  kAtCapacity,
};
// Eligibility of account `i` for `req`; `until` gets the time a timed block ends (0 otherwise).
Block check_account(const AccountState& a, AccountIndex i, const SelectRequest& req, TimeMs* until);

// The account the policy's strategy picks among `candidates` (non-empty, all eligible, one tier;
// bit i = account i), in one pass. Ties of the strategy's own order go by weighted round robin
// (stride scheduling over the accounts' rr_pass and the caller's `virtual_time`, both updated).
AccountIndex choose_account(std::span<AccountState> accounts, uint64_t candidates,
                            const SelectionPolicy& policy, const SelectRequest& req,
                            uint64_t& virtual_time);

// Why no account can take `req` (the pinned one, or any), by checking each with check_account;
// also rolls their quotas over a passed reset date. Should one turn out eligible after all, it is
// returned as the selection.
Selection explain_no_account(std::span<AccountState> accounts, const SelectRequest& req);

}  // namespace cg::pool
