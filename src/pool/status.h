// What `accounts status` prints for one account: health, in-flight counts, premium quota and
// allowance per day. Built by Pool::status() as a copy (off the request path).
// Pure values and functions; any thread once built.
#pragma once
#include <cstdint>
#include <string>

#include "pool/account_state.h"
#include "pool/types.h"

namespace cg::pool {

enum class HealthStatus : uint8_t {
  kOk,
  kDisabled,
  kUnhealthy,    // failing auth: `reason`, re-probe at `until`
  kCircuitOpen,  // until `until`
  kHalfOpen,     // breaker timeout passed: the next request is a probe (or one is in flight)
  kCoolingDown,  // 429: until `until`
};

struct AccountStatus {
  AccountIndex index = kNoAccount;
  std::string id, alias;
  int32_t tier = 0;
  uint32_t weight = 1;
  uint32_t max_concurrent = 0, max_concurrent_vision = 0;

  HealthStatus health = HealthStatus::kOk;
  TimeMs until = 0;    // kUnhealthy (next re-probe), kCircuitOpen, kCoolingDown
  std::string reason;  // kUnhealthy
  uint32_t consecutive_failures = 0;
  uint32_t in_flight = 0, in_flight_vision = 0;

  bool quota_known = false;
  bool unlimited = false;
  bool overage_permitted = false;
  double entitlement = 0;
  double premium_remaining = 0;  // the local estimate
  double premium_pending = 0;    // units of premium requests in flight
  TimeMs reset_ms = 0;           // 0 = unknown
  bool reset_assumed = false;    // no snapshot said; the start of next month is assumed
  double per_day = 0;            // remaining per day until the reset (known, limited quota only)
  TimeMs snapshot_ms = 0;        // when the last snapshot arrived; 0 = never
  TimeMs premium_blocked_until = 0;  // after a 402; 0 or past = not blocked
};

AccountStatus make_status(const AccountState& a, AccountIndex index, TimeMs now,
                          double min_days_left);

// "ok", "disabled", "cooling down until 2026-11-05T12:00:00Z", "circuit open until …",
// "half-open", "unhealthy: <reason> (re-probe at …)".
std::string describe_health(const AccountStatus& s);

}  // namespace cg::pool
