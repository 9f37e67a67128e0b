// Pacing over a simulated month: quota-aware routing spends each account's premium allowance in
// step with its reset date, so no account runs dry while another sits on plenty (and the same
// simulation with round-robin does run one dry: the check is sensitive).
#include <gtest/gtest.h>

#include <algorithm>

#include "pool/test_pool.h"

namespace cg::pool {
namespace {

using namespace testing;

struct MonthResult {
  int failed = 0;                    // premium requests no account could take
  double other_when_first_dry = -1;  // units the other account had when one first hit zero
};

// Two accounts with the same reset date, 300 and 100 units left; 12 premium requests a day for
// 30 days (360 units of the 400).
MonthResult simulate_same_reset(Strategy strategy) {
  Pool pool = make_pool({{}, {}}, with_strategy(strategy));
  FakeClock clock;
  const TimeMs reset = at("2026-12-01");
  pool.apply_quota(0, quota(300, 300, reset), clock.now);
  pool.apply_quota(1, quota(300, 100, reset), clock.now);
  MonthResult r;
  uint64_t id = 0;
  for (; clock.now + 2 * kHourMs <= reset; clock.advance(2 * kHourMs)) {
    SelectRequest req = request(clock.now, 1.0);
    req.request_id = ++id;
    if (!run(pool, req).ok()) ++r.failed;
    const double a = pool.account(0).quota.remaining(), b = pool.account(1).quota.remaining();
    if (r.other_when_first_dry < 0 && std::min(a, b) < 1) r.other_when_first_dry = std::max(a, b);
  }
  return r;
}

TEST(Pacing, SameResetDateDrainsTogether) {
  const MonthResult quota_aware = simulate_same_reset(Strategy::kQuotaAware);
  EXPECT_EQ(quota_aware.failed, 0);
  EXPECT_LT(quota_aware.other_when_first_dry, 0);  // neither ran dry

  // Round robin spends 50/50: the small account is empty halfway while the other has plenty.
  const MonthResult rr = simulate_same_reset(Strategy::kRoundRobin);
  EXPECT_GT(rr.other_when_first_dry, 100);
}

TEST(Pacing, EndsTheMonthWithEqualLeftovers) {
  Pool pool = make_pool({{}, {}, {}});
  FakeClock clock;
  const TimeMs reset = at("2026-12-01");
  pool.apply_quota(0, quota(300, 300, reset), clock.now);
  pool.apply_quota(1, quota(300, 100, reset), clock.now);
  pool.apply_quota(2, quota(300, 200, reset), clock.now);
  double min_seen = 1e9;
  for (; clock.now + kHourMs <= reset; clock.advance(kHourMs)) {  // 720 hours, 540 units
    if (clock.now % (4 * kHourMs) == 0) continue;                 // 3 requests every 4 hours
    ASSERT_TRUE(run(pool, request(clock.now, 1.0)).ok());
    for (AccountIndex i = 0; i < 3; ++i)
      min_seen = std::min(min_seen, pool.account(i).quota.remaining());
  }
  // 600 - 540 = 60 left, 20 each: every account was paced to the same per-day allowance.
  for (AccountIndex i = 0; i < 3; ++i)
    EXPECT_NEAR(pool.account(i).quota.remaining(), 20, 1) << i;
  EXPECT_GE(min_seen, 19);
}

TEST(Pacing, EarlierResetIsSpentFirstNotWasted) {
  // A resets in 10 days with 100 left; B in 30 days with 300 left. 20 premium requests a day.
  // Both start at 10 per day, so they share the load; A is close to empty when its reset comes
  // (nothing wasted), B still has about two thirds for the rest of its month.
  Pool pool = make_pool({{}, {}});
  FakeClock clock;
  const TimeMs a_reset = at("2026-11-11"), b_reset = at("2026-12-01");
  pool.apply_quota(0, quota(300, 100, a_reset), clock.now);
  pool.apply_quota(1, quota(300, 300, b_reset), clock.now);
  int per_account[2] = {0, 0};
  double a_before_reset = -1, b_at_a_reset = -1;
  for (; clock.now < b_reset; clock.advance(72 * kMinuteMs)) {  // 20 a day
    if (a_before_reset < 0 && clock.now + 72 * kMinuteMs >= a_reset) {
      a_before_reset = pool.account(0).quota.remaining();
      b_at_a_reset = pool.account(1).quota.remaining();
    }
    const Selection s = run(pool, request(clock.now, 1.0));
    ASSERT_TRUE(s.ok());
    ++per_account[s.account];
  }
  // A's allowance was used before it reset: what is left is about half a day at its pace (the
  // days left count as at least min_days_left = 0.5).
  EXPECT_LE(a_before_reset, 6);
  EXPECT_NEAR(b_at_a_reset, 200, 6);  // B spent at the same daily pace meanwhile
  // A's new period (300, next reset 2026-12-11) and B's last 200 are again 10 a day each: B ends
  // its month empty, A keeps about a third for its remaining 10 days.
  EXPECT_EQ(pool.account(0).quota.reset_ms(), at("2026-12-11"));
  EXPECT_LE(pool.account(1).quota.remaining(), 6);
  EXPECT_NEAR(pool.account(0).quota.remaining(), 100, 10);
  EXPECT_NEAR(per_account[0], 300, 10);
  EXPECT_NEAR(per_account[1], 300, 10);
}

}  // namespace
}  // namespace cg::pool
