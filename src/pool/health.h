// Health of one account: 429 cooldown, circuit breaker for 5xx and network errors, and the
// unhealthy state after 401/403 (re-probed on a slow, doubling schedule). A state machine driven by
// request outcomes with `now` passed in; it decides whether the account may take a request, and
// whether that request is a probe (the single request let through an open breaker once its
// timeout has passed, or through an unhealthy account once its re-probe time has come).
// Single-threaded: owned by the Pool and touched only by the Pool's owner thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "pool/types.h"

namespace cg::pool {

struct HealthPolicy {
  // 429 without a usable retry-after: cool down this long. Given values are clamped to
  // [min_retry_after_ms, max_retry_after_ms].
  int64_t default_retry_after_ms = 60 * kSecondMs;
  int64_t min_retry_after_ms = 1 * kSecondMs;
  int64_t max_retry_after_ms = 1 * kDayMs;
  // Circuit breaker: opens after this many consecutive 5xx/network failures...
  uint32_t breaker_threshold = 5;
  // ...for this long, then lets one probe through (half-open); each failed probe doubles the
  // time up to the maximum.
  int64_t breaker_open_ms = 30 * kSecondMs;
  int64_t breaker_max_open_ms = 10 * kMinuteMs;
  // 401/403 after a token refresh: unhealthy, re-probed after this long, doubling up to the max.
  int64_t auth_probe_ms = 10 * kMinuteMs;
  int64_t auth_probe_max_ms = 4 * kHourMs;
};

// Whether an account may take a request now, as far as its health goes.
enum class Gate : uint8_t {
  kOpen,         // yes
  kProbe,        // yes, as the single probe (the Pool marks the probe slot taken on start)
  kUnhealthy,    // no: failed auth; re-probe at `until`
  kCircuitOpen,  // no: breaker open until `until`
  kCoolingDown,  // no: 429 cooldown until `until`
  kProbeBusy,    // no: a probe is in flight; its outcome decides
};

class Health {
 public:
  // REQUIRES: `until` non-null; it is set for kUnhealthy, kCircuitOpen and kCoolingDown.
  Gate gate(TimeMs now, TimeMs* until) const {
    if (now >= ready_at_ && !gated_) return Gate::kOpen;  // the common case: two compares
    return gate_slow(now, until);
  }

  // The common case of gate() == kOpen, for the selection's fast path.
  bool ready(TimeMs now) const { return now >= ready_at_ && !gated_; }

  // A request was started after gate() said kProbe.
  void start_probe() { probe_in_flight_ = true; }

  // Outcomes. `probe` says whether the finished request was the probe.
  // The upstream answered with anything but 401/403 or 5xx (2xx, 402, 429, other 4xx): the account
  // is reachable and its token works. Resets the failure count; closes the breaker and clears the
  // auth failure, but while either is set only the probe's answer counts (a request started before
  // the failure proves nothing about now).
  void on_answer(bool probe);
  void on_rate_limited(TimeMs now, int64_t retry_after_ms, bool probe, const HealthPolicy& policy);
  void on_server_failure(TimeMs now, bool probe, const HealthPolicy& policy);
  void on_auth_failure(TimeMs now, std::string_view reason, bool probe, const HealthPolicy& policy);
  // Client cancelled: frees the probe slot, decides nothing.
  void on_cancelled(bool probe) {
    if (probe) probe_in_flight_ = false;
  }

  // No request before this (the latest timer in force); a gated account then needs a probe.
  TimeMs ready_at() const { return ready_at_; }

  // For status output.
  uint32_t consecutive_failures() const { return consecutive_failures_; }
  bool circuit_open_or_half_open() const { return breaker_opens_ > 0; }
  TimeMs open_until() const { return open_until_; }
  TimeMs cooldown_until() const { return cooldown_until_; }
  bool auth_failed() const { return auth_failed_; }
  TimeMs auth_next_probe() const { return auth_next_probe_; }
  const std::string& auth_reason() const { return auth_reason_; }
  bool probe_in_flight() const { return probe_in_flight_; }

 private:
  Gate gate_slow(TimeMs now, TimeMs* until) const;
  // Recomputes ready_at_ and gated_ after a change.
  void summarize();

  // Summary read first by gate(): no request before ready_at_ (the latest of the timers in
  // force); gated_ = auth failed or breaker open/half-open (a probe decides).
  TimeMs ready_at_ = 0;
  bool gated_ = false;

  TimeMs cooldown_until_ = 0;
  TimeMs open_until_ = 0;        // meaningful while breaker_opens_ > 0
  TimeMs auth_next_probe_ = 0;   // meaningful while auth_failed_
  int64_t auth_backoff_ms_ = 0;  // the current re-probe delay
  uint32_t consecutive_failures_ = 0;
  uint32_t breaker_opens_ = 0;  // 0 = closed; n = opened n times in a row (sets the timeout)
  bool auth_failed_ = false;
  bool probe_in_flight_ = false;
  std::string auth_reason_;
};

}  // namespace cg::pool
