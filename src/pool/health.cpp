// See health.h. Owner thread of the Pool only.
#include "pool/health.h"

#include <algorithm>

namespace cg::pool {
namespace {

// base * 2^(n-1), capped.
int64_t doubled(int64_t base, uint32_t n, int64_t cap) {
  int64_t v = base;
  for (uint32_t i = 1; i < n && v < cap; ++i)
    v *= 2;
  return std::min(v, cap);
}

}  // namespace

Gate Health::gate_slow(TimeMs now, TimeMs* until) const {
  if (auth_failed_ && now < auth_next_probe_) {
    *until = auth_next_probe_;
    return Gate::kUnhealthy;
  }
  if (breaker_opens_ > 0 && now < open_until_) {
    *until = open_until_;
    return Gate::kCircuitOpen;
  }
  if (now < cooldown_until_) {
    *until = cooldown_until_;
    return Gate::kCoolingDown;
  }
  if (auth_failed_ || breaker_opens_ > 0) return probe_in_flight_ ? Gate::kProbeBusy : Gate::kProbe;
  return Gate::kOpen;
}

void Health::summarize() {
  gated_ = auth_failed_ || breaker_opens_ > 0;
  ready_at_ = cooldown_until_;
  if (breaker_opens_ > 0) ready_at_ = std::max(ready_at_, open_until_);
  if (auth_failed_) ready_at_ = std::max(ready_at_, auth_next_probe_);
}

void Health::on_answer(bool probe) {
  if (probe) probe_in_flight_ = false;
  consecutive_failures_ = 0;
  // While gated, only the probe's answer counts.
  if (!gated_ || probe) {
    breaker_opens_ = 0;
    auth_failed_ = false;
    auth_backoff_ms_ = 0;
    auth_reason_.clear();
  }
  summarize();
}

void Health::on_rate_limited(TimeMs now, int64_t retry_after_ms, bool probe,
                             const HealthPolicy& policy) {
  on_answer(probe);
  const int64_t wait = retry_after_ms < 0 ? policy.default_retry_after_ms
                                          : std::clamp(retry_after_ms, policy.min_retry_after_ms,
                                                       policy.max_retry_after_ms);
  cooldown_until_ = std::max(cooldown_until_, now + wait);
  summarize();
}

void Health::on_server_failure(TimeMs now, bool probe, const HealthPolicy& policy) {
  ++consecutive_failures_;
  if (probe) {
    probe_in_flight_ = false;
    if (breaker_opens_ > 0) {
      ++breaker_opens_;
      open_until_ =
          now + doubled(policy.breaker_open_ms, breaker_opens_, policy.breaker_max_open_ms);
    } else {
      // An auth re-probe that reached a broken server: try again later, as if the auth probe had
      // failed, without counting it against the token.
      auth_next_probe_ = now + std::max<int64_t>(auth_backoff_ms_, policy.breaker_open_ms);
    }
  } else if (breaker_opens_ == 0 &&
             consecutive_failures_ >= std::max<uint32_t>(1, policy.breaker_threshold)) {
    breaker_opens_ = 1;
    open_until_ = now + std::min(policy.breaker_open_ms, policy.breaker_max_open_ms);
  }
  summarize();
}

void Health::on_auth_failure(TimeMs now, std::string_view reason, bool probe,
                             const HealthPolicy& policy) {
  if (probe) probe_in_flight_ = false;
  if (!auth_failed_ || probe) {  // a late failure while already unhealthy changes nothing
    auth_backoff_ms_ = auth_failed_ ? std::min(auth_backoff_ms_ * 2, policy.auth_probe_max_ms)
                                    : std::min(policy.auth_probe_ms, policy.auth_probe_max_ms);
    auth_failed_ = true;
    auth_next_probe_ = now + auth_backoff_ms_;
    auth_reason_.assign(reason.empty() ? std::string_view("authentication failed") : reason);
  }
  summarize();
}

}  // namespace cg::pool
