// Health: 429 cooldown, the circuit breaker (open, half-open single probe, close, re-open longer)
// and the auth-failure state with its doubling re-probe schedule.
#include "pool/health.h"

#include <gtest/gtest.h>

#include "pool/test_clock.h"

namespace cg::pool {
namespace {

using testing::kStart;

Gate gate(const Health& h, TimeMs now, TimeMs* until = nullptr) {
  TimeMs u = 0;
  const Gate g = h.gate(now, &u);
  if (until) *until = u;
  return g;
}

TEST(Health, CooldownHonoursRetryAfterAndDefault) {
  const HealthPolicy p;
  Health h;
  h.on_rate_limited(kStart, 30 * kSecondMs, false, p);
  TimeMs until;
  EXPECT_EQ(gate(h, kStart, &until), Gate::kCoolingDown);
  EXPECT_EQ(until, kStart + 30 * kSecondMs);
  EXPECT_EQ(gate(h, kStart + 30 * kSecondMs), Gate::kOpen);

  Health d;
  d.on_rate_limited(kStart, -1, false, p);  // no retry-after
  EXPECT_EQ(gate(d, kStart + p.default_retry_after_ms - 1), Gate::kCoolingDown);
  EXPECT_EQ(gate(d, kStart + p.default_retry_after_ms), Gate::kOpen);

  // A shorter second cooldown does not cut the first; absurd values are clamped.
  Health c;
  c.on_rate_limited(kStart, 120 * kSecondMs, false, p);
  c.on_rate_limited(kStart, 5 * kSecondMs, false, p);
  EXPECT_EQ(c.cooldown_until(), kStart + 120 * kSecondMs);
  c.on_rate_limited(kStart, 365 * kDayMs, false, p);
  EXPECT_EQ(c.cooldown_until(), kStart + p.max_retry_after_ms);
  Health z;
  z.on_rate_limited(kStart, 0, false, p);
  EXPECT_EQ(z.cooldown_until(), kStart + p.min_retry_after_ms);
}

TEST(Health, BreakerOpensAfterThresholdConsecutiveFailures) {
  HealthPolicy p;
  p.breaker_threshold = 3;
  Health h;
  h.on_server_failure(kStart, false, p);
  h.on_server_failure(kStart, false, p);
  h.on_answer(false);  // success resets the count
  h.on_server_failure(kStart, false, p);
  h.on_server_failure(kStart, false, p);
  EXPECT_EQ(gate(h, kStart), Gate::kOpen);
  EXPECT_EQ(h.consecutive_failures(), 2u);
  h.on_server_failure(kStart, false, p);
  TimeMs until;
  EXPECT_EQ(gate(h, kStart, &until), Gate::kCircuitOpen);
  EXPECT_EQ(until, kStart + p.breaker_open_ms);
}

TEST(Health, HalfOpenLetsOneProbeThroughAndSuccessCloses) {
  HealthPolicy p;
  p.breaker_threshold = 1;
  Health h;
  h.on_server_failure(kStart, false, p);
  const TimeMs later = kStart + p.breaker_open_ms;
  EXPECT_EQ(gate(h, later), Gate::kProbe);
  h.start_probe();
  EXPECT_EQ(gate(h, later), Gate::kProbeBusy);  // exactly one probe
  // A request started before the breaker opened succeeds: it proves nothing, still gated.
  h.on_answer(false);
  EXPECT_EQ(gate(h, later), Gate::kProbeBusy);
  h.on_answer(true);
  EXPECT_EQ(gate(h, later), Gate::kOpen);
  EXPECT_FALSE(h.circuit_open_or_half_open());
  EXPECT_EQ(h.consecutive_failures(), 0u);
}

TEST(Health, FailedProbeReopensLongerUpToTheCap) {
  HealthPolicy p;
  p.breaker_threshold = 1;
  p.breaker_open_ms = 30 * kSecondMs;
  p.breaker_max_open_ms = 100 * kSecondMs;
  Health h;
  TimeMs now = kStart;
  h.on_server_failure(now, false, p);
  const int64_t expected[] = {60, 100, 100};  // 30 -> 60 -> 120 capped at 100
  TimeMs until = h.open_until();
  EXPECT_EQ(until, now + 30 * kSecondMs);
  for (int64_t secs : expected) {
    now = until;
    ASSERT_EQ(gate(h, now), Gate::kProbe);
    h.start_probe();
    h.on_server_failure(now, true, p);
    EXPECT_EQ(gate(h, now, &until), Gate::kCircuitOpen);
    EXPECT_EQ(until, now + secs * kSecondMs);
  }
  // A cancelled probe frees the slot and decides nothing.
  now = until;
  h.start_probe();
  h.on_cancelled(true);
  EXPECT_EQ(gate(h, now), Gate::kProbe);
}

TEST(Health, ProbeAnsweredWith429ClosesBreakerButCoolsDown) {
  HealthPolicy p;
  p.breaker_threshold = 1;
  Health h;
  h.on_server_failure(kStart, false, p);
  const TimeMs later = kStart + p.breaker_open_ms;
  h.start_probe();
  h.on_rate_limited(later, 10 * kSecondMs, true, p);
  EXPECT_FALSE(h.circuit_open_or_half_open());
  EXPECT_EQ(gate(h, later), Gate::kCoolingDown);
  EXPECT_EQ(gate(h, later + 10 * kSecondMs), Gate::kOpen);
}

TEST(Health, AuthFailureIsUnhealthyWithDoublingReprobe) {
  HealthPolicy p;
  p.auth_probe_ms = 10 * kMinuteMs;
  p.auth_probe_max_ms = 30 * kMinuteMs;
  Health h;
  h.on_auth_failure(kStart, "403 no Copilot access", false, p);
  TimeMs until;
  EXPECT_EQ(gate(h, kStart, &until), Gate::kUnhealthy);
  EXPECT_EQ(until, kStart + 10 * kMinuteMs);
  EXPECT_EQ(h.auth_reason(), "403 no Copilot access");
  // A late failure of a request started earlier does not push the schedule.
  h.on_auth_failure(kStart + kMinuteMs, "again", false, p);
  EXPECT_EQ(h.auth_next_probe(), kStart + 10 * kMinuteMs);

  TimeMs now = kStart + 10 * kMinuteMs;
  const int64_t expected_minutes[] = {20, 30, 30};
  for (int64_t m : expected_minutes) {
    ASSERT_EQ(gate(h, now), Gate::kProbe);
    h.start_probe();
    EXPECT_EQ(gate(h, now), Gate::kProbeBusy);
    h.on_auth_failure(now, "401 bad credentials", true, p);
    EXPECT_EQ(gate(h, now, &until), Gate::kUnhealthy);
    EXPECT_EQ(until, now + m * kMinuteMs);
    now = until;
  }
  // The probe succeeds: healthy, schedule reset.
  h.start_probe();
  h.on_answer(true);
  EXPECT_EQ(gate(h, now), Gate::kOpen);
  EXPECT_FALSE(h.auth_failed());
  EXPECT_TRUE(h.auth_reason().empty());
  h.on_auth_failure(now, "", false, p);
  EXPECT_EQ(h.auth_next_probe(), now + 10 * kMinuteMs);
  EXPECT_EQ(h.auth_reason(), "authentication failed");
}

TEST(Health, AuthProbeHittingAServerErrorWaitsAgain) {
  HealthPolicy p;
  Health h;
  h.on_auth_failure(kStart, "401", false, p);
  const TimeMs now = kStart + p.auth_probe_ms;
  ASSERT_EQ(gate(h, now), Gate::kProbe);
  h.start_probe();
  h.on_server_failure(now, true, p);
  EXPECT_TRUE(h.auth_failed());
  EXPECT_EQ(gate(h, now), Gate::kUnhealthy);
  EXPECT_FALSE(h.circuit_open_or_half_open());
}

}  // namespace
}  // namespace cg::pool
