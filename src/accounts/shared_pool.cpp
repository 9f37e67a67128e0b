// See shared_pool.h.
#include "accounts/shared_pool.h"

#include <chrono>

namespace cg::accounts {

pool::TimeMs now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
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
    end_with_default();
    pool_ = o.pool_;
    lease_ = std::move(o.lease_);
    quota_header_ = std::move(o.quota_header_);
    broken_ = o.broken_;
  }
  return *this;
}

void AccountAttempt::finish(const pool::Outcome& outcome) {
  if (pool_ != nullptr && lease_.active()) pool_->finish(lease_, outcome);
}

void AccountAttempt::end_with_default() {
  if (pool_ == nullptr || !lease_.active()) return;
  finish(broken_ ? pool::Outcome::network_error(true) : pool::Outcome::success(quota_header_));
}

}  // namespace cg::accounts
