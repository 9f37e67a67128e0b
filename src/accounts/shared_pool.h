// SharedPool: the one pool::Pool every worker routes through, behind a mutex held only for the
// few tens of nanoseconds of a decision (select + on_start, on_finish, a quota update), never
// across I/O; plus the count of requests waiting for a free slot and the wake-up of those waiters
// when a slot frees. AccountAttempt owns one started attempt and reports its end exactly once.
//
// Thread contract: add() before the workers start; everything else from any thread.
#pragma once
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pool/pool.h"

namespace cg::accounts {

// Wall-clock unix milliseconds (coarse: a few ms of resolution).
pool::TimeMs now_ms();

// parse_quota_header with a per-thread memory of the last value: Copilot repeats the same header
// on answer after answer until the quota moves, so most calls cost one comparison. The reference
// is valid until the calling thread's next call.
const pool::QuotaHeader& parse_quota_header_cached(std::string_view value);

class SharedPool {
 public:
  explicit SharedPool(pool::PoolPolicy policy);

  // Startup only. kNoAccount when the pool is full or the id/alias clashes.
  pool::AccountIndex add(pool::AccountConfig config);

  // The account for `req`, with the attempt started on it (in flight, probe slot taken) in one
  // step; `lease` is set when an account was chosen.
  pool::Selection start(const pool::SelectRequest& req, pool::Lease& lease);
  void finish(pool::Lease& lease, const pool::Outcome& outcome);

  void apply_quota(pool::AccountIndex i, const pool::QuotaSnapshot& snapshot);
  void set_enabled(pool::AccountIndex i, bool enabled);
  pool::AccountIndex find(std::string_view id_or_alias) const;
  size_t size() const;
  std::vector<pool::AccountStatus> status() const;
  const pool::PoolPolicy& policy() const { return policy_; }

  // The concurrency wait queue: a request enters it (false when `max` already wait), waits for
  // a wake-up (or its own timer), and leaves. While anyone waits, every finished attempt calls
  // the capacity callback (set at startup: it wakes the waiters on every worker).
  bool enter_queue(uint32_t max);
  void leave_queue() { waiting_.fetch_sub(1, std::memory_order_relaxed); }
  uint32_t waiting() const { return waiting_.load(std::memory_order_relaxed); }
  void set_on_capacity(std::function<void()> cb) { on_capacity_ = std::move(cb); }
  // Set at startup: called (on the reporting thread, outside the lock) when an account's health
  // changes between healthy and failing auth (401/403 after a token refresh), with the reason
  // ("" when it recovered). Logged once per change, kept in the store.
  using HealthChange = std::function<void(pool::AccountIndex, bool failing, std::string reason)>;
  void set_on_auth_change(HealthChange cb) { on_auth_change_ = std::move(cb); }

 private:
  const pool::PoolPolicy policy_;
  mutable std::mutex mu_;
  pool::Pool pool_;
  std::atomic<uint32_t> waiting_{0};
  std::function<void()> on_capacity_;
  HealthChange on_auth_change_;
};

// One attempt on an account, from start to its end. Destroying it unfinished reports the default
// outcome: success (the upstream answered 2xx: billed, quota header applied) unless fail() said the
// stream broke (network error, still billed). Move-only; the thread that holds it reports.
class AccountAttempt {
 public:
  AccountAttempt() = default;
  AccountAttempt(SharedPool& pool, pool::Lease lease) : pool_(&pool), lease_(std::move(lease)) {}
  AccountAttempt(AccountAttempt&& o) noexcept { *this = std::move(o); }
  AccountAttempt& operator=(AccountAttempt&& o) noexcept;
  AccountAttempt(const AccountAttempt&) = delete;
  AccountAttempt& operator=(const AccountAttempt&) = delete;
  ~AccountAttempt() { end(); }

  bool active() const { return lease_.active(); }
  pool::AccountIndex account() const { return lease_.account(); }
  // Reports `outcome` now (no-op when already reported).
  void finish(const pool::Outcome& outcome);
  // For the default report: the answer's quota header (parsed), and whether the stream broke
  // after the 2xx head.
  void set_quota(const pool::QuotaHeader& q) { quota_ = q; }
  void fail() { broken_ = true; }
  // Reports the default outcome now (the answer was read completely); no-op when reported.
  void end();

 private:
  SharedPool* pool_ = nullptr;
  pool::Lease lease_;
  std::optional<pool::QuotaHeader> quota_;
  bool broken_ = false;
};

}  // namespace cg::accounts
