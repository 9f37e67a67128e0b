// QuotaState: snapshots, header snapshots replacing the estimate, local charges, the 402 block and
// the monthly roll-over.
#include "pool/quota.h"

#include <gtest/gtest.h>

#include "pool/test_clock.h"

namespace cg::pool {
namespace {

using testing::at;
using testing::kStart;

QuotaSnapshot snapshot(double entitlement, double remaining, const char* reset) {
  QuotaSnapshot s;
  s.entitlement = entitlement;
  s.remaining = remaining;
  s.reset_ms = at(reset);
  return s;
}

TEST(Quota, UnknownUntilASnapshot) {
  QuotaState q;
  EXPECT_FALSE(q.known());
  EXPECT_TRUE(q.premium_available(kStart));
  q.charge(5);  // nothing to charge against
  EXPECT_FALSE(q.known());
}

TEST(Quota, SnapshotAndCharges) {
  QuotaState q;
  q.apply(snapshot(300, 120, "2026-12-01"), kStart);
  EXPECT_TRUE(q.known());
  EXPECT_EQ(q.remaining(), 120);
  EXPECT_EQ(q.reset_ms(), at("2026-12-01"));
  q.charge(1);
  q.charge(0.33);
  EXPECT_DOUBLE_EQ(q.remaining(), 118.67);
  // 30 days left: 118.67 / 30 per day.
  EXPECT_DOUBLE_EQ(q.allowance_per_day(kStart, 0.5), 118.67 / 30);
  // Pending units count against the allowance; near the reset the days floor at min_days.
  q.add_pending(10);
  EXPECT_DOUBLE_EQ(q.allowance_per_day(kStart, 0.5), 108.67 / 30);
  q.remove_pending(10);
  q.remove_pending(10);  // never below zero
  EXPECT_EQ(q.pending(), 0);
  EXPECT_DOUBLE_EQ(q.allowance_per_day(at("2026-11-30T23:00:00Z"), 0.5), 118.67 / 0.5);
}

TEST(Quota, PercentWhenRemainingAbsentAndUnlimited) {
  QuotaState q;
  QuotaSnapshot s;
  s.entitlement = 300;
  s.percent_remaining = 25;
  q.apply(s, kStart);
  EXPECT_EQ(q.remaining(), 75);
  EXPECT_TRUE(q.reset_assumed());  // no reset date given: start of next month
  EXPECT_EQ(q.reset_ms(), at("2026-12-01"));

  QuotaSnapshot u;
  u.entitlement = -1;
  u.unlimited = true;
  q.apply(u, kStart);
  EXPECT_TRUE(q.unlimited());
  q.charge(1000);
  EXPECT_TRUE(q.premium_available(kStart));
}

TEST(Quota, HeaderSnapshotReplacesTheEstimate) {
  QuotaState q;
  q.apply(snapshot(300, 300, "2026-12-01"), kStart);
  for (int i = 0; i < 50; ++i)
    q.charge(1);
  EXPECT_EQ(q.remaining(), 250);
  // The header says 80% of 300 are left: the estimate becomes 240, not 250.
  EXPECT_TRUE(q.apply(parse_quota_header("ent=300&ov=0&ovPerm=false&rem=80&rst=2026-12-01"),
                      kStart + 1000));
  EXPECT_EQ(q.remaining(), 240);
  EXPECT_EQ(q.snapshot_ms(), kStart + 1000);
  // Without an entitlement in it, the known one is used.
  EXPECT_TRUE(q.apply(parse_quota_header("rem=10"), kStart + 2000));
  EXPECT_EQ(q.remaining(), 30);
  // Nothing usable: nothing replaced.
  EXPECT_FALSE(q.apply(parse_quota_header("garbage"), kStart + 3000));
  EXPECT_EQ(q.remaining(), 30);
  // Percent alone cannot be used before any entitlement is known.
  QuotaState fresh;
  EXPECT_FALSE(fresh.apply(parse_quota_header("rem=50"), kStart));
  EXPECT_FALSE(fresh.known());
  EXPECT_TRUE(fresh.apply(parse_quota_header("ent=-1&rem=100"), kStart));
  EXPECT_TRUE(fresh.unlimited());
  // Limited again without a percentage: unknown (not "0 left").
  EXPECT_FALSE(fresh.apply(parse_quota_header("ent=300"), kStart));
  EXPECT_FALSE(fresh.known());
  EXPECT_TRUE(fresh.premium_available(kStart));
}

TEST(Quota, ExhaustedUntilResetThenBack) {
  QuotaState q;
  q.apply(snapshot(300, 3, "2026-12-01"), kStart);
  q.mark_exhausted(kStart, -1, kDayMs);
  EXPECT_EQ(q.remaining(), 0);
  EXPECT_FALSE(q.premium_available(kStart));
  EXPECT_FALSE(q.premium_available(at("2026-11-30T23:59:59Z")));
  EXPECT_EQ(q.premium_back_at(kStart), at("2026-12-01"));
  q.roll_over(at("2026-12-01"));
  EXPECT_TRUE(q.premium_available(at("2026-12-01")));
  EXPECT_EQ(q.remaining(), 300);
  EXPECT_EQ(q.reset_ms(), at("2027-01-01"));
}

TEST(Quota, ExhaustedWithoutResetDateUsesRetryAfterOrFallback) {
  QuotaState q;  // unknown quota
  q.mark_exhausted(kStart, 2 * kHourMs, kDayMs);
  EXPECT_FALSE(q.premium_available(kStart + kHourMs));
  EXPECT_TRUE(q.premium_available(kStart + 2 * kHourMs));
  QuotaState r;
  r.mark_exhausted(kStart, -1, kDayMs);
  EXPECT_FALSE(r.premium_available(kStart + kDayMs - 1));
  EXPECT_TRUE(r.premium_available(kStart + kDayMs));
}

TEST(Quota, RefilledSnapshotLiftsTheBlockButAZeroOneDoesNot) {
  QuotaState q;
  q.apply(snapshot(300, 0, "2026-12-01"), kStart);
  q.mark_exhausted(kStart, -1, kDayMs);
  q.apply(parse_quota_header("ent=300&rem=0&ovPerm=true"), kStart + 1);
  EXPECT_TRUE(q.overage_permitted());
  EXPECT_FALSE(q.premium_available(kStart + 2));  // still blocked: the 402 is newer evidence
  q.apply(snapshot(300, 50, "2026-12-01"), kStart + 3);
  EXPECT_TRUE(q.premium_available(kStart + 4));
}

TEST(Quota, EstimateAtZeroStopsPremiumUnlessOveragePermitted) {
  QuotaState q;
  q.apply(snapshot(300, 1, "2026-12-01"), kStart);
  EXPECT_TRUE(q.premium_available(kStart));
  q.charge(1);
  EXPECT_FALSE(q.premium_available(kStart));
  EXPECT_EQ(q.premium_back_at(kStart), at("2026-12-01"));
  QuotaSnapshot s = snapshot(300, 0, "2026-12-01");
  s.overage_permitted = true;
  q.apply(s, kStart);
  EXPECT_TRUE(q.premium_available(kStart));
}

TEST(Quota, RollOverSkipsMissedMonths) {
  QuotaState q;
  q.apply(snapshot(300, 10, "2026-12-01"), kStart);
  q.roll_over(at("2027-03-15"));
  EXPECT_EQ(q.remaining(), 300);
  EXPECT_EQ(q.reset_ms(), at("2027-04-01"));
}

}  // namespace
}  // namespace cg::pool
