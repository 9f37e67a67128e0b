// See shared_pool.h.
#include "accounts/shared_pool.h"

#include <time.h>

namespace cg::accounts {

pool::TimeMs now_ms() {
  // The coarse clock (a few ms of resolution, plenty for cooldowns and quota dates) is read
  // without touching the hardware counter: cheaper where clock reads are costly (VMs).
  timespec ts{};
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return static_cast<pool::TimeMs>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

const pool::QuotaHeader& parse_quota_header_cached(std::string_view value) {
  thread_local std::string last_value;
  thread_local pool::QuotaHeader last;
  if (value != last_value) {
    last = pool::parse_quota_header(value);
    last_value.assign(value);
  }
  return last;
}

SharedPool::SharedPool(pool::PoolPolicy policy) : policy_(policy), pool_(policy) {}

pool::AccountIndex SharedPool::add(pool::AccountConfig config) {
  std::lock_guard lock(mu_);
  return pool_.add_account(std::move(config)).value_or(pool::kNoAccount);
}

pool::Selection SharedPool::start(const pool::SelectRequest& req, pool::Lease& lease) {
  std::lock_guard lock(mu_);
  pool::Selection s = pool_.select(req);
  if (s.ok()) lease = pool_.on_start(s.account, req);
  return s;
}

void SharedPool::finish(pool::Lease& lease, const pool::Outcome& outcome) {
  const pool::AccountIndex i = lease.account();
  bool changed = false, failing = false;
  std::string reason;
  {
    std::lock_guard lock(mu_);
    const bool was_failing = i < pool_.size() && pool_.account(i).health.auth_failed();
    pool_.on_finish(lease, outcome, now_ms());
    if (i < pool_.size()) {
      failing = pool_.account(i).health.auth_failed();
      changed = failing != was_failing;
      if (changed && failing) reason = pool_.account(i).health.auth_reason();
    }
  }
  if (changed && on_auth_change_) on_auth_change_(i, failing, std::move(reason));
  if (waiting_.load(std::memory_order_relaxed) != 0 && on_capacity_) on_capacity_();
}

void SharedPool::apply_quota(pool::AccountIndex i, const pool::QuotaSnapshot& snapshot) {
  std::lock_guard lock(mu_);
  pool_.apply_quota(i, snapshot, now_ms());
}

void SharedPool::set_enabled(pool::AccountIndex i, bool enabled) {
  std::lock_guard lock(mu_);
  pool_.set_enabled(i, enabled);
}

pool::AccountIndex SharedPool::find(std::string_view id_or_alias) const {
  std::lock_guard lock(mu_);
  return pool_.find(id_or_alias);
}

size_t SharedPool::size() const {
  std::lock_guard lock(mu_);
  return pool_.size();
}

std::vector<pool::AccountStatus> SharedPool::status() const {
  std::lock_guard lock(mu_);
  return pool_.status(now_ms());
}

bool SharedPool::enter_queue(uint32_t max) {
  uint32_t n = waiting_.load(std::memory_order_relaxed);
  do {
    if (n >= max) return false;
  } while (!waiting_.compare_exchange_weak(n, n + 1, std::memory_order_relaxed));
  return true;
}

AccountAttempt& AccountAttempt::operator=(AccountAttempt&& o) noexcept {
  if (this != &o) {
    end();
    pool_ = o.pool_;
    lease_ = std::move(o.lease_);
    quota_ = o.quota_;
    broken_ = o.broken_;
  }
  return *this;
}

void AccountAttempt::finish(const pool::Outcome& outcome) {
  if (pool_ != nullptr && lease_.active()) pool_->finish(lease_, outcome);
}

void AccountAttempt::end() {
  if (pool_ == nullptr || !lease_.active()) return;
  pool::Outcome o = broken_ ? pool::Outcome::network_error(true) : pool::Outcome::success();
  if (quota_) o.quota = &*quota_;
  finish(o);
}

}  // namespace cg::accounts
