// Pool: the account pool's state and decisions, with no I/O and no clock. The server asks it which
// account takes a request (select), tells it when the attempt starts (on_start, which returns a
// Lease) and how it ended (on_finish), feeds it quota snapshots, and reads status().
//
// Thread contract: a Pool is a plain single-threaded object with no locks. Exactly one thread (its
// owner) calls it; the owner decides how workers reach it (a hop to the owner thread, a lock
// around select+on_start and around on_finish, or a Pool per worker fed the same outcomes). Time
// comes in with each call and is taken as the latest time seen (a caller's slightly older clock
// does not move the pool back). select(), on_start() and on_finish() do not allocate (except the
// affinity table while it grows toward its limit, and an auth failure's reason string); select()
// costs a few mask operations and one pass over the candidates of the chosen tier (see
// eligibility.h for what keeps that so).
//
// Charging rule (premium units are counted exactly once per request):
//  - The unit of charge is an attempt that the upstream billed: it answered 2xx (kSuccess, or a
//    later failure/cancel with Outcome::billed). Attempts that ended in 429, 402, 401/403, 5xx
//    or a network error before a 2xx head are not charged; so a request retried on another
//    account is charged only for the attempt that succeeded.
//  - Each charge is recorded under the request's id (SelectRequest::request_id) in a ledger of
//    recent ids; a second charge under the same id is ignored, whichever account reports it.
//    Id 0 disables that check (each billed attempt is charged).
//  - When the billed answer carries a quota snapshot header, the snapshot replaces the estimate
//    and is taken to include this request already (the id is recorded, nothing subtracted).
//  - A Lease is finished at most once: on_finish clears it (a second call is a no-op), so the
//    in-flight counts (total, vision, pending premium units) cannot leak or go negative.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "pool/account_state.h"
#include "pool/affinity.h"
#include "pool/charge_ledger.h"
#include "pool/eligibility.h"
#include "pool/outcome.h"
#include "pool/selector.h"
#include "pool/status.h"

namespace cg::pool {

struct PoolPolicy {
  SelectionPolicy selection;
  HealthPolicy health;
  // 402 with no known reset date and no retry-after: out of premium routing this long.
  int64_t quota_block_fallback_ms = kDayMs;
  // Affinity: keys kept this long after their last use, at most this many (then evicted).
  int64_t affinity_ttl_ms = kHourMs;
  size_t affinity_max_entries = 100'000;
  uint64_t affinity_seed = 0;  // mixes slot choice; pass a random value
  // Request ids remembered for "charged once" (see above): more than the requests charged between
  // the first and the last report of any one request.
  size_t charge_ledger_size = 4096;
};

// One started attempt on an account. Move-only; finished exactly once through Pool::on_finish.
class Lease {
 public:
  Lease() = default;
  Lease(Lease&& o) noexcept { *this = std::move(o); }
  Lease& operator=(Lease&& o) noexcept {
    if (this != &o) {
      account_ = o.account_;
      probe_ = o.probe_;
      vision_ = o.vision_;
      units_ = o.units_;
      request_id_ = o.request_id_;
      o.account_ = kNoAccount;
    }
    return *this;
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  bool active() const { return account_ != kNoAccount; }
  AccountIndex account() const { return account_; }
  bool probe() const { return probe_; }  // the single request through a half-open/unhealthy gate
  bool vision() const { return vision_; }
  double units() const { return units_; }  // premium units (the multiplier); 0 = free
  uint64_t request_id() const { return request_id_; }

 private:
  friend class Pool;
  AccountIndex account_ = kNoAccount;
  bool probe_ = false;
  bool vision_ = false;
  double units_ = 0;
  uint64_t request_id_ = 0;
};

class Pool {
 public:
  explicit Pool(PoolPolicy policy = {});
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  Pool(Pool&&) = default;  // only while no LeaseGuard points at it
  Pool& operator=(Pool&&) = default;

  // --- Accounts. Indexes are stable: accounts are disabled, never removed.
  // nullopt when the pool is full (kMaxAccounts), the id is empty or taken, or the alias is taken.
  std::optional<AccountIndex> add_account(AccountConfig config);
  // Replaces the configuration (not health, quota or counts). False for an unknown index or a
  // clash of id/alias with another account.
  bool update_account(AccountIndex i, AccountConfig config);
  void set_enabled(AccountIndex i, bool enabled);
  // By id, else by alias; kNoAccount when unknown (for pinning: resolve, then set pinned).
  AccountIndex find(std::string_view id_or_alias) const;
  size_t size() const { return accounts_.size(); }
  // REQUIRES: i < size().
  const AccountState& account(AccountIndex i) const { return accounts_[i]; }

  // --- Quota knowledge.
  void apply_quota(AccountIndex i, const QuotaSnapshot& snapshot, TimeMs now);
  // The value of an `x-quota-snapshot-*` header; true when it replaced the estimate.
  bool apply_quota_header(AccountIndex i, std::string_view value, TimeMs now);
  // Charges `units` premium units to account i for `request_id` unless that id was charged
  // already (see the charging rule); true when charged. on_finish calls it; call it directly
  // only for billing learned outside a Lease.
  bool charge(AccountIndex i, uint64_t request_id, double units);

  // --- Routing.
  // The account for `req` (pinned, else the remembered one for its affinity key when still
  // eligible, else the strategy's pick in the best tier with an eligible account, remembered for
  // the key), or the reason why none. Cost: a few mask operations plus a pass over the candidates
  // of that tier; a full pass over the accounts only when none is eligible, after a
  // configuration change, or when a timed state (cooldown, breaker, quota reset…) comes due.
  Selection select(const SelectRequest& req);
  // The accounts eligible for `req` before tiers, affinity and strategy (bit i = account i).
  uint64_t eligible(const SelectRequest& req);
  // An attempt of `req` starts on account i (normally the one select() chose just before): counts
  // it in flight and takes the probe slot when the account is half-open or due for a re-probe.
  // An empty Lease for an unknown index.
  Lease on_start(AccountIndex i, const SelectRequest& req);
  // The attempt ended; clears `lease` (a second call is a no-op).
  void on_finish(Lease& lease, const Outcome& outcome, TimeMs now);

  // --- Status, one entry per account in index order.
  std::vector<AccountStatus> status(TimeMs now) const;

  const PoolPolicy& policy() const { return policy_; }
  const AffinityMap& affinity() const { return affinity_; }
  const ChargeLedger& ledger() const { return ledger_; }

 private:
  bool id_clash(const AccountConfig& c, AccountIndex self) const;
  // The latest time seen (callers' clocks may differ slightly; masks never go back in time).
  TimeMs advance(TimeMs now) {
    if (now > now_) now_ = now;
    return now_;
  }
  void changed(AccountIndex i, TimeMs now) { eligibility_.update(accounts_, i, advance(now)); }
  bool charge_once(AccountIndex i, uint64_t request_id, double units);

  PoolPolicy policy_;
  std::vector<AccountState> accounts_;
  Eligibility eligibility_;
  AffinityMap affinity_;
  ChargeLedger ledger_;
  TimeMs now_ = 0;
  uint64_t virtual_time_ = 0;  // weighted round robin's clock (see choose_account)
};

// Owns a started attempt: finish() reports its outcome; destroying it unfinished reports
// kCancelled (not billed), so an early return or exception never leaks an in-flight count.
// REQUIRES: the Pool outlives the guard, and the guard is used on the Pool's owner thread.
class LeaseGuard {
 public:
  LeaseGuard() = default;
  LeaseGuard(Pool& pool, Lease lease) : pool_(&pool), lease_(std::move(lease)) {}
  LeaseGuard(LeaseGuard&& o) noexcept : pool_(o.pool_), lease_(std::move(o.lease_)) {}
  LeaseGuard& operator=(LeaseGuard&& o) noexcept {
    if (this != &o) {
      release();
      pool_ = o.pool_;
      lease_ = std::move(o.lease_);
    }
    return *this;
  }
  ~LeaseGuard() { release(); }

  void finish(const Outcome& outcome, TimeMs now) {
    if (pool_ != nullptr) pool_->on_finish(lease_, outcome, now);
  }
  const Lease& lease() const { return lease_; }
  bool active() const { return lease_.active(); }

 private:
  void release() {
    if (pool_ != nullptr && lease_.active()) pool_->on_finish(lease_, Outcome::cancelled(), 0);
  }

  Pool* pool_ = nullptr;
  Lease lease_;
};

}  // namespace cg::pool
