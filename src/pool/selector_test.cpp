// Selection: distribution per strategy, priority tiers, disabled accounts, exclusion (failover),
// concurrency and vision caps, pinning, affinity, and the reason when no account can take a
// request.
#include "pool/selector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>

#include "pool/test_pool.h"

namespace cg::pool {
namespace {

using namespace testing;

std::vector<int> counts_of(Pool& pool, int n, const SelectRequest& req) {
  std::vector<int> counts(pool.size(), 0);
  for (int i = 0; i < n; ++i) {
    const Selection s = run(pool, req);
    EXPECT_TRUE(s.ok());
    if (s.ok()) ++counts[s.account];
  }
  return counts;
}

TEST(Strategy, NamesRoundTrip) {
  for (Strategy s : {Strategy::kRoundRobin, Strategy::kLeastBusy, Strategy::kQuotaAware})
    EXPECT_EQ(parse_strategy(strategy_name(s)), s);
  EXPECT_FALSE(parse_strategy("random"));
}

TEST(RoundRobin, WeightsOneTwoThreeGiveSixthsExactly) {
  Pool pool = make_pool({{.weight = 1}, {.weight = 2}, {.weight = 3}},
                        with_strategy(Strategy::kRoundRobin));
  const std::vector<int> c = counts_of(pool, 10'000, request(kStart));
  // Smooth weighted round robin is exact up to one cycle of 6.
  EXPECT_NEAR(c[0], 10'000 / 6.0, 2);
  EXPECT_NEAR(c[1], 2 * 10'000 / 6.0, 2);
  EXPECT_NEAR(c[2], 3 * 10'000 / 6.0, 2);
}

TEST(RoundRobin, InterleavesRatherThanBursts) {
  Pool pool = make_pool({{.weight = 1}, {.weight = 2}, {.weight = 3}},
                        with_strategy(Strategy::kRoundRobin));
  // Within any window of 6 consecutive picks each account appears exactly weight times.
  std::deque<AccountIndex> window;
  for (int i = 0; i < 600; ++i) {
    window.push_back(run(pool, request(kStart)).account);
    if (window.size() > 6) window.pop_front();
    if (window.size() == 6) {
      int c[3] = {0, 0, 0};
      for (AccountIndex a : window)
        ++c[a];
      ASSERT_EQ(c[0], 1);
      ASSERT_EQ(c[1], 2);
      ASSERT_EQ(c[2], 3);
    }
  }
}

TEST(LeastBusy, PrefersTheIdleAccount) {
  Pool pool = make_pool({{}, {}}, with_strategy(Strategy::kLeastBusy));
  const SelectRequest req = request(kStart);
  Lease a = pool.on_start(0, req);
  Lease b = pool.on_start(0, req);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(run(pool, req).account, 1);
  pool.on_finish(a, Outcome::success(), kStart);
  pool.on_finish(b, Outcome::success(), kStart);
}

TEST(LeastBusy, LoadIsRelativeToWeight) {
  Pool pool = make_pool({{.weight = 3}, {.weight = 1}}, with_strategy(Strategy::kLeastBusy));
  const SelectRequest req = request(kStart);
  Lease a1 = pool.on_start(0, req), a2 = pool.on_start(0, req), b1 = pool.on_start(1, req);
  // 2 of weight 3 (0.67) against 1 of weight 1 (1.0): account 0 is less busy.
  EXPECT_EQ(pool.select(req).account, 0);
  pool.on_finish(a1, Outcome::success(), kStart);
  pool.on_finish(a2, Outcome::success(), kStart);
  pool.on_finish(b1, Outcome::success(), kStart);
}

TEST(LeastBusy, SlowAccountGetsLessUnderLoad) {
  // Requests on account 0 last 8 steps, on account 1 one step; 3 arrive per step.
  Pool pool = make_pool({{}, {}}, with_strategy(Strategy::kLeastBusy));
  struct Live {
    Lease lease;
    int ends;
  };
  std::vector<Live> live;
  int counts[2] = {0, 0};
  int max_in_flight_gap = 0;
  for (int step = 0; step < 3'000; ++step) {
    for (auto it = live.begin(); it != live.end();) {
      if (it->ends <= step) {
        pool.on_finish(it->lease, Outcome::success(), kStart);
        it = live.erase(it);
      } else {
        ++it;
      }
    }
    for (int k = 0; k < 3; ++k) {
      const SelectRequest req = request(kStart);
      const Selection s = pool.select(req);
      ASSERT_TRUE(s.ok());
      ++counts[s.account];
      live.push_back({pool.on_start(s.account, req), step + (s.account == 0 ? 8 : 1)});
    }
    const int gap =
        static_cast<int>(pool.account(0).in_flight) - static_cast<int>(pool.account(1).in_flight);
    max_in_flight_gap = std::max(max_in_flight_gap, std::abs(gap));
  }
  EXPECT_GT(counts[1], 2 * counts[0]);
  EXPECT_LE(max_in_flight_gap, 2);  // in-flight stays balanced
  for (Live& l : live)
    pool.on_finish(l.lease, Outcome::success(), kStart);
  EXPECT_EQ(pool.account(0).in_flight + pool.account(1).in_flight, 0u);
}

TEST(QuotaAware, PremiumGoesToMostRemainingPerDayUntilRatiosCross) {
  Pool pool = make_pool({{}, {}});                                     // quota-aware is the default
  pool.apply_quota(0, quota(300, 100, kStart + 2 * kDayMs), kStart);   // 50 per day
  pool.apply_quota(1, quota(300, 300, kStart + 20 * kDayMs), kStart);  // 15 per day
  const SelectRequest req = request(kStart, 1.0);
  // A gets them until (100 - n) / 2 reaches 15: n = 70.
  for (int i = 0; i < 70; ++i)
    ASSERT_EQ(run(pool, req).account, 0) << i;
  EXPECT_DOUBLE_EQ(pool.account(0).quota.remaining(), 30);
  // From then on they alternate so the allowances per day stay together.
  int counts[2] = {0, 0};
  for (int i = 0; i < 110; ++i) {
    ++counts[run(pool, req).account];
    const double a = pool.account(0).quota.allowance_per_day(kStart, 0.5);
    const double b = pool.account(1).quota.allowance_per_day(kStart, 0.5);
    ASSERT_LT(std::abs(a - b), 0.6) << i;
  }
  // A's per-day drops 0.5 per request, B's 0.05: B takes ~10x as many.
  EXPECT_NEAR(counts[1], 10 * counts[0], 12);
}

TEST(QuotaAware, PendingPremiumRequestsCountAgainstTheAllowance) {
  Pool pool = make_pool({{}, {}});
  pool.apply_quota(0, quota(300, 31, kStart + 30 * kDayMs), kStart);  // 1.03 per day
  pool.apply_quota(1, quota(300, 30, kStart + 30 * kDayMs), kStart);  // 1.00 per day
  const SelectRequest req = request(kStart, 1.0);
  Lease first = pool.on_start(pool.select(req).account, req);
  EXPECT_EQ(first.account(), 0);
  Lease second = pool.on_start(pool.select(req).account, req);  // 30 - 0 vs 31 - 1: tie
  Lease third = pool.on_start(pool.select(req).account, req);
  EXPECT_NE(second.account(), third.account());  // concurrent requests spread
  for (Lease* l : {&first, &second, &third})
    pool.on_finish(*l, Outcome::success(), kStart);
  EXPECT_EQ(pool.account(0).quota.pending() + pool.account(1).quota.pending(), 0);
}

TEST(QuotaAware, FreeRequestsSpreadAcrossAll) {
  Pool pool = make_pool({{}, {}, {}});
  pool.apply_quota(0, quota(300, 300, kStart + 2 * kDayMs), kStart);
  pool.apply_quota(1, quota(300, 0, kStart + 20 * kDayMs), kStart);  // no premium left at all
  // account 2: quota unknown
  const std::vector<int> c = counts_of(pool, 9'000, request(kStart, 0.0));
  for (int x : c)
    EXPECT_NEAR(x, 3'000, 2);
  // Free requests charge nothing.
  EXPECT_EQ(pool.account(0).quota.remaining(), 300);
}

TEST(QuotaAware, FreeRoundRobinOptionHonoursWeights) {
  PoolPolicy p;
  p.selection.free_strategy = Strategy::kRoundRobin;
  Pool pool = make_pool({{.weight = 1}, {.weight = 3}}, p);
  const std::vector<int> c = counts_of(pool, 4'000, request(kStart, 0.0));
  EXPECT_NEAR(c[0], 1'000, 2);
  EXPECT_NEAR(c[1], 3'000, 2);
}

TEST(QuotaAware, UnknownQuotaGetsTheMeanAndUnlimitedComesFirst) {
  Pool pool = make_pool({{}, {}, {}, {}});
  pool.apply_quota(0, quota(300, 100, kStart + 10 * kDayMs), kStart);  // 10 per day
  pool.apply_quota(1, quota(300, 300, kStart + 10 * kDayMs), kStart);  // 30 per day
  // account 2 unknown: mean of the known ones, 20 per day
  QuotaSnapshot unlimited;
  unlimited.entitlement = -1;
  unlimited.unlimited = true;
  pool.apply_quota(3, unlimited, kStart);
  SelectRequest req = request(kStart, 1.0);
  EXPECT_EQ(pool.select(req).account, 3);
  req.exclude.insert(3);
  EXPECT_EQ(pool.select(req).account, 1);
  req.exclude.insert(1);
  EXPECT_EQ(pool.select(req).account, 2);
  req.exclude.insert(2);
  EXPECT_EQ(pool.select(req).account, 0);
}

TEST(Tiers, OnlyTheBestTierWithAnEligibleAccountIsUsed) {
  Pool pool =
      make_pool({{.weight = 1, .tier = 1}, {.weight = 1, .tier = 0}, {.weight = 3, .tier = 0}},
                with_strategy(Strategy::kRoundRobin));
  std::vector<int> c = counts_of(pool, 4'000, request(kStart));
  EXPECT_EQ(c[0], 0);  // tier 1: failover only
  EXPECT_NEAR(c[1], 1'000, 2);
  EXPECT_NEAR(c[2], 3'000, 2);
  // Tier 0 cooling down: tier 1 takes over; after the cooldown, back to tier 0.
  for (AccountIndex i : {1, 2}) {
    Lease l = pool.on_start(i, request(kStart));
    pool.on_finish(l, Outcome::rate_limited(10 * kSecondMs), kStart);
  }
  EXPECT_EQ(run(pool, request(kStart + kSecondMs)).account, 0);
  EXPECT_NE(run(pool, request(kStart + 10 * kSecondMs)).account, 0);
}

TEST(Tiers, QuotaAwarePremiumFallsToTheNextTierWhenExhausted) {
  Pool pool = make_pool({{.tier = 0}, {.tier = 1}});
  pool.apply_quota(0, quota(300, 1, kStart + 10 * kDayMs), kStart);
  pool.apply_quota(1, quota(300, 300, kStart + 10 * kDayMs), kStart);
  EXPECT_EQ(run(pool, request(kStart, 1.0)).account, 0);  // tier first, despite less allowance
  EXPECT_EQ(run(pool, request(kStart, 1.0)).account, 1);  // 0 has none left
  EXPECT_EQ(run(pool, request(kStart, 0.0)).account, 0);  // free still prefers tier 0
}

TEST(Eligibility, DisabledAccountsAreNeverChosen) {
  Pool pool = make_pool({{.enabled = false}, {}}, with_strategy(Strategy::kRoundRobin));
  const std::vector<int> c = counts_of(pool, 100, request(kStart));
  EXPECT_EQ(c[0], 0);
  EXPECT_EQ(c[1], 100);
  pool.set_enabled(1, false);
  const Selection s = pool.select(request(kStart));
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.reason, NoAccountReason::kNoneEnabled);
  Pool empty = make_pool({});
  EXPECT_EQ(empty.select(request(kStart)).reason, NoAccountReason::kNoneEnabled);
}

TEST(Eligibility, ExclusionFailsOverToAnotherAccount) {
  Pool pool = make_pool({{}, {}, {}}, with_strategy(Strategy::kRoundRobin));
  SelectRequest req = request(kStart);
  AccountSet tried;
  for (int attempt = 0; attempt < 3; ++attempt) {
    req.exclude = tried;
    const Selection s = pool.select(req);
    ASSERT_TRUE(s.ok());
    EXPECT_FALSE(tried.contains(s.account));
    tried.insert(s.account);
  }
  req.exclude = tried;
  const Selection none = pool.select(req);
  EXPECT_EQ(none.reason, NoAccountReason::kAllExcluded);
}

TEST(Eligibility, ConcurrencyCapAndAtCapacityReason) {
  Pool pool = make_pool({{.cap = 2}, {.cap = 1}}, with_strategy(Strategy::kRoundRobin));
  const SelectRequest req = request(kStart);
  std::vector<Lease> leases;
  for (int i = 0; i < 3; ++i) {
    const Selection s = pool.select(req);
    ASSERT_TRUE(s.ok()) << i;
    leases.push_back(pool.on_start(s.account, req));
  }
  EXPECT_EQ(pool.account(0).in_flight, 2u);
  EXPECT_EQ(pool.account(1).in_flight, 1u);
  const Selection full = pool.select(req);
  EXPECT_EQ(full.reason, NoAccountReason::kAtCapacity);
  pool.on_finish(leases[0], Outcome::success(), kStart);
  EXPECT_TRUE(pool.select(req).ok());
  for (Lease& l : leases)
    pool.on_finish(l, Outcome::success(), kStart);
}

TEST(Eligibility, VisionCapIsSeparateAndLower) {
  Pool pool = make_pool({{.cap = 4, .vision_cap = 1}, {}}, with_strategy(Strategy::kRoundRobin));
  SelectRequest vision = request(kStart);
  vision.vision = true;
  vision.pinned = 0;
  const Selection first = pool.select(vision);
  ASSERT_TRUE(first.ok());
  Lease v = pool.on_start(0, vision);
  EXPECT_EQ(pool.select(vision).reason, NoAccountReason::kAtCapacity);  // vision cap reached
  SelectRequest text = request(kStart);
  text.pinned = 0;
  EXPECT_TRUE(pool.select(text).ok());  // text still fits under the total cap
  vision.pinned = kNoAccount;
  EXPECT_EQ(pool.select(vision).account, 1);  // unpinned vision goes elsewhere
  pool.on_finish(v, Outcome::success(), kStart);
  EXPECT_EQ(pool.account(0).in_flight_vision, 0u);
  vision.pinned = 0;
  EXPECT_TRUE(pool.select(vision).ok());
}

TEST(Reasons, AllCoolingDownGivesTheSoonestRecovery) {
  Pool pool = make_pool({{}, {}, {}});
  const TimeMs recover[] = {30 * kSecondMs, 10 * kSecondMs, 50 * kSecondMs};
  for (AccountIndex i = 0; i < 3; ++i) {
    Lease l = pool.on_start(i, request(kStart));
    pool.on_finish(l, Outcome::rate_limited(recover[i]), kStart);
  }
  const Selection s = pool.select(request(kStart + kSecondMs));
  EXPECT_EQ(s.reason, NoAccountReason::kCoolingDown);
  EXPECT_EQ(s.retry_at, kStart + 10 * kSecondMs);
  EXPECT_EQ(run(pool, request(kStart + 10 * kSecondMs)).account, 1);
}

TEST(Reasons, CapacityOutranksCoolingAndCoolingOutranksExhaustion) {
  Pool pool = make_pool({{.cap = 1}, {}, {}});
  pool.apply_quota(2, quota(300, 0, kStart + 5 * kDayMs), kStart);
  Lease busy = pool.on_start(0, request(kStart));
  Lease l = pool.on_start(1, request(kStart));
  pool.on_finish(l, Outcome::rate_limited(20 * kSecondMs), kStart);
  EXPECT_EQ(pool.select(request(kStart, 1.0)).reason, NoAccountReason::kAtCapacity);
  pool.on_finish(busy, Outcome::success(), kStart);
  pool.set_enabled(0, false);
  Selection s = pool.select(request(kStart, 1.0));
  EXPECT_EQ(s.reason, NoAccountReason::kCoolingDown);
  EXPECT_EQ(s.retry_at, kStart + 20 * kSecondMs);
  s = pool.select(request(kStart + 20 * kSecondMs, 1.0));
  EXPECT_EQ(s.account, 1);
  pool.apply_quota(1, quota(300, 0, kStart + 3 * kDayMs), kStart);
  s = pool.select(request(kStart + 20 * kSecondMs, 1.0));
  EXPECT_EQ(s.reason, NoAccountReason::kPremiumExhausted);
  EXPECT_EQ(s.retry_at, kStart + 3 * kDayMs);  // the soonest reset
}

TEST(Pinning, UsesThePinnedAccountOrSaysWhyNot) {
  Pool pool = make_pool({{.tier = 0}, {.tier = 5}});
  SelectRequest req = request(kStart);
  req.pinned = pool.find("B");
  ASSERT_EQ(req.pinned, 1);
  EXPECT_EQ(pool.find("acct-1"), 1);
  EXPECT_EQ(pool.find("nobody"), kNoAccount);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(run(pool, req).account, 1);  // despite the better tier

  // Cooling down: no fallback, the reason and when.
  Lease l = pool.on_start(1, req);
  pool.on_finish(l, Outcome::rate_limited(15 * kSecondMs), kStart);
  Selection s = pool.select(req);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.reason, NoAccountReason::kCoolingDown);
  EXPECT_EQ(s.retry_at, kStart + 15 * kSecondMs);

  req.now = kStart + 15 * kSecondMs;
  req.exclude.insert(1);
  EXPECT_EQ(pool.select(req).reason, NoAccountReason::kAllExcluded);
  req.exclude = {};
  pool.set_enabled(1, false);
  EXPECT_EQ(pool.select(req).reason, NoAccountReason::kNoneEnabled);
  pool.set_enabled(1, true);
  pool.apply_quota(1, quota(300, 0, kStart + kDayMs), kStart);
  req.multiplier = 1;
  s = pool.select(req);
  EXPECT_EQ(s.reason, NoAccountReason::kPremiumExhausted);
  EXPECT_EQ(s.retry_at, kStart + kDayMs);
  req.multiplier = 0;
  EXPECT_EQ(pool.select(req).account, 1);
  req.pinned = 7;  // unknown index
  EXPECT_EQ(pool.select(req).reason, NoAccountReason::kNoneEnabled);
}

TEST(Affinity, HoldsAcrossTurnsMovesWhenIneligibleExpiresAfterTtl) {
  PoolPolicy p = with_strategy(Strategy::kRoundRobin);
  p.affinity_ttl_ms = 10 * kMinuteMs;
  Pool pool = make_pool({{}, {}, {}}, p);
  FakeClock clock;
  SelectRequest req = request(clock.now);
  req.affinity_key = affinity_key_from_session("conversation-1");
  const Selection first = run(pool, req);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first.affinity_hit);
  // Other traffic rotates the round robin; the conversation stays put.
  for (int turn = 0; turn < 20; ++turn) {
    run(pool, request(clock.now));
    clock.advance(5 * kMinuteMs);  // under the TTL, refreshed each turn
    req.now = clock.now;
    const Selection s = run(pool, req);
    ASSERT_EQ(s.account, first.account) << turn;
    EXPECT_TRUE(s.affinity_hit);
  }
  // Its account cools down: the conversation moves, and stays on the new account after.
  Lease l = pool.on_start(first.account, req);
  pool.on_finish(l, Outcome::rate_limited(60 * kSecondMs), clock.now);
  const Selection moved = run(pool, req);
  ASSERT_TRUE(moved.ok());
  EXPECT_NE(moved.account, first.account);
  EXPECT_FALSE(moved.affinity_hit);
  clock.advance(2 * kMinuteMs);
  req.now = clock.now;
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(run(pool, req).account, moved.account);
  // Idle past the TTL: forgotten (the strategy chooses again and the key is re-learned).
  clock.advance(10 * kMinuteMs + 1);
  req.now = clock.now;
  const Selection fresh = run(pool, req);
  EXPECT_FALSE(fresh.affinity_hit);
  EXPECT_TRUE(run(pool, req).affinity_hit);
  EXPECT_EQ(pool.affinity().size(), 1u);
}

TEST(Affinity, PinningIgnoresAffinity) {
  Pool pool = make_pool({{}, {}});
  SelectRequest req = request(kStart);
  req.affinity_key = 99;
  const Selection s = run(pool, req);
  req.pinned = s.account == 0 ? 1 : 0;
  EXPECT_EQ(run(pool, req).account, req.pinned);
}

}  // namespace
}  // namespace cg::pool
