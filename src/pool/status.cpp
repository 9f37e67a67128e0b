// See status.h. make_status runs on the Pool's owner thread; the result is a plain copy.
#include "pool/status.h"

#include "pool/dates.h"

namespace cg::pool {

AccountStatus make_status(const AccountState& a, AccountIndex index, TimeMs now,
                          double min_days_left) {
  AccountStatus s;
  s.index = index;
  s.id = a.config.id;
  s.alias = a.config.alias;
  s.tier = a.config.tier;
  s.weight = a.weight();
  s.max_concurrent = a.config.max_concurrent;
  s.max_concurrent_vision = a.config.max_concurrent_vision;

  const Health& h = a.health;
  if (!a.config.enabled) {
    s.health = HealthStatus::kDisabled;
  } else if (h.auth_failed()) {
    s.health = HealthStatus::kUnhealthy;
    s.until = h.auth_next_probe();
    s.reason = h.auth_reason();
  } else if (h.circuit_open_or_half_open() && now < h.open_until()) {
    s.health = HealthStatus::kCircuitOpen;
    s.until = h.open_until();
  } else if (h.circuit_open_or_half_open()) {
    s.health = HealthStatus::kHalfOpen;
  } else if (now < h.cooldown_until()) {
    s.health = HealthStatus::kCoolingDown;
    s.until = h.cooldown_until();
  }
  s.consecutive_failures = h.consecutive_failures();
  s.in_flight = a.in_flight;
  s.in_flight_vision = a.in_flight_vision;

  QuotaState q = a.quota;  // a copy, rolled over a passed reset date as selection would
  q.roll_over(now);
  s.quota_known = q.known();
  s.unlimited = q.unlimited();
  s.overage_permitted = q.overage_permitted();
  s.entitlement = q.entitlement();
  s.premium_remaining = q.remaining();
  s.premium_pending = q.pending();
  s.reset_ms = q.reset_ms();
  s.reset_assumed = q.reset_assumed();
  s.snapshot_ms = q.snapshot_ms();
  s.premium_blocked_until = q.blocked_until();
  if (q.known() && !q.unlimited()) s.per_day = q.allowance_per_day(now, min_days_left);
  return s;
}

std::string describe_health(const AccountStatus& s) {
  switch (s.health) {
    case HealthStatus::kOk:
      return "ok";
    case HealthStatus::kDisabled:
      return "disabled";
    case HealthStatus::kUnhealthy:
      return "unhealthy: " + s.reason + " (re-probe at " + format_timestamp(s.until) + ")";
    case HealthStatus::kCircuitOpen:
      return "circuit open until " + format_timestamp(s.until);
    case HealthStatus::kHalfOpen:
      return "half-open";
    case HealthStatus::kCoolingDown:
      return "cooling down until " + format_timestamp(s.until);
  }
  return "?";
}

}  // namespace cg::pool
