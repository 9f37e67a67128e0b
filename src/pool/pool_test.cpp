// Pool lifecycle: outcomes reported through on_finish (429 cooldown and recovery, 402 out of
// premium until the reset, 401/403 unhealthy with slow re-probe, the circuit breaker), in-flight
// accounting with leases and the RAII guard, charges counted once per request, header snapshots,
// and the status snapshot.
#include "pool/pool.h"

#include <gtest/gtest.h>

#include "pool/test_pool.h"

namespace cg::pool {
namespace {

using namespace testing;

TEST(PoolAccounts, IdsAndAliasesAreUnique) {
  Pool pool;
  AccountConfig a;
  a.id = "1001";
  a.alias = "work";
  EXPECT_EQ(pool.add_account(a), 0);
  EXPECT_FALSE(pool.add_account(a));  // same id
  AccountConfig b;
  b.id = "work";  // clashes with an alias
  EXPECT_FALSE(pool.add_account(b));
  b.id = "1002";
  b.alias = "1001";  // clashes with an id
  EXPECT_FALSE(pool.add_account(b));
  b.alias = "home";
  b.weight = 0;  // read as 1
  EXPECT_EQ(pool.add_account(b), 1);
  EXPECT_EQ(pool.account(1).config.weight, 1u);
  EXPECT_FALSE(pool.add_account(AccountConfig{}));  // empty id
  b.alias = "work";
  EXPECT_FALSE(pool.update_account(1, b));
  b.alias = "home2";
  b.tier = 3;
  EXPECT_TRUE(pool.update_account(1, b));
  EXPECT_EQ(pool.find("home2"), 1);
  EXPECT_EQ(pool.find("home"), kNoAccount);
  EXPECT_EQ(pool.find("1001"), 0);
  for (int i = 2; i < kMaxAccounts; ++i) {
    AccountConfig c;
    c.id = "x";
    c.id += std::to_string(i);
    ASSERT_TRUE(pool.add_account(c));
  }
  AccountConfig over;
  over.id = "one-too-many";
  EXPECT_FALSE(pool.add_account(over));
}

TEST(PoolOutcomes, RateLimitCoolsDownAndRecovers) {
  Pool pool = make_pool({{}, {}}, with_strategy(Strategy::kRoundRobin));
  FakeClock clock;
  SelectRequest req = request(clock.now);
  req.pinned = 0;
  Lease l = pool.on_start(0, req);
  pool.on_finish(l, Outcome::rate_limited(*parse_retry_after_ms("45", clock.now)), clock.now);
  req.pinned = kNoAccount;
  for (int i = 0; i < 10; ++i) {
    clock.advance(4 * kSecondMs);
    req.now = clock.now;
    EXPECT_EQ(run(pool, req).account, 1) << i;  // 40 s: still cooling
  }
  clock.advance(5 * kSecondMs);  // 45 s
  req.now = clock.now;
  int counts[2] = {0, 0};
  for (int i = 0; i < 10; ++i)
    ++counts[run(pool, req).account];
  EXPECT_GE(counts[0], 5);  // back in the rotation (rejoining at its front)
  EXPECT_GE(counts[1], 4);
}

TEST(PoolOutcomes, RateLimitHeaderMeansRateLimited) {
  EXPECT_EQ(classify_status(429), OutcomeKind::kRateLimited);
  EXPECT_EQ(classify_status(200, true), OutcomeKind::kRateLimited);
  EXPECT_EQ(classify_status(503, true), OutcomeKind::kRateLimited);
  EXPECT_EQ(classify_status(200), OutcomeKind::kSuccess);
  EXPECT_EQ(classify_status(402), OutcomeKind::kQuotaExhausted);
  EXPECT_EQ(classify_status(401), OutcomeKind::kAuthFailed);
  EXPECT_EQ(classify_status(403), OutcomeKind::kAuthFailed);
  EXPECT_EQ(classify_status(500), OutcomeKind::kServerError);
  EXPECT_EQ(classify_status(503), OutcomeKind::kServerError);
  EXPECT_EQ(classify_status(400), OutcomeKind::kRejected);
  EXPECT_EQ(classify_status(422), OutcomeKind::kRejected);
}

TEST(PoolOutcomes, QuotaExhaustedLeavesPremiumUntilResetButServesFree) {
  Pool pool = make_pool({{}, {}});
  FakeClock clock;
  const TimeMs reset = at("2026-11-20");
  pool.apply_quota(0, quota(300, 280, reset), clock.now);  // plenty, by the estimate
  pool.apply_quota(1, quota(300, 10, at("2026-12-01")), clock.now);
  SelectRequest premium = request(clock.now, 1.0);
  ASSERT_EQ(pool.select(premium).account, 0);
  run(pool, premium, Outcome::quota_exhausted());
  EXPECT_EQ(pool.account(0).quota.remaining(), 0);
  // Premium: only account 1 now, for as long as the reset is ahead.
  for (int day = 0; day < 18; ++day) {
    clock.advance(kDayMs);
    premium.now = clock.now;
    if (clock.now >= reset) break;
    EXPECT_EQ(pool.select(premium).account, 1) << day;
    // Free models still use account 0.
    SelectRequest free_req = request(clock.now, 0.0);
    free_req.exclude.insert(1);
    EXPECT_EQ(pool.select(free_req).account, 0);
  }
  // After the reset date the allowance is back (300) and account 0 leads again.
  premium.now = reset;
  EXPECT_EQ(pool.select(premium).account, 0);
  EXPECT_EQ(pool.account(0).quota.remaining(), 300);
  EXPECT_EQ(pool.account(0).quota.reset_ms(), at("2026-12-20"));
}

TEST(PoolOutcomes, AuthFailureMakesUnhealthyWithSlowSingleReprobe) {
  Pool pool = make_pool({{}, {}}, with_strategy(Strategy::kRoundRobin));
  FakeClock clock;
  SelectRequest req = request(clock.now);
  Lease l = pool.on_start(0, req);
  pool.on_finish(l, Outcome::auth_failed("401 after token refresh"), clock.now);
  for (int i = 0; i < 20; ++i) {
    clock.advance(29 * kSecondMs);
    req.now = clock.now;
    ASSERT_EQ(run(pool, req).account, 1);
  }
  // Only account 0 left and it is unhealthy: the reason and its re-probe time.
  pool.set_enabled(1, false);
  Selection s = pool.select(req);
  EXPECT_EQ(s.reason, NoAccountReason::kUnhealthy);
  EXPECT_EQ(s.retry_at, kStart + 10 * kMinuteMs);
  // Re-probe time: exactly one request goes through.
  clock.now = kStart + 10 * kMinuteMs;
  req.now = clock.now;
  s = pool.select(req);
  ASSERT_EQ(s.account, 0);
  Lease probe = pool.on_start(0, req);
  EXPECT_TRUE(probe.probe());
  EXPECT_EQ(pool.select(req).reason, NoAccountReason::kCoolingDown);  // probe busy
  pool.on_finish(probe, Outcome::auth_failed("still 401"), clock.now);
  s = pool.select(req);
  EXPECT_EQ(s.reason, NoAccountReason::kUnhealthy);
  EXPECT_EQ(s.retry_at, clock.now + 20 * kMinuteMs);  // doubled
  clock.advance(20 * kMinuteMs);
  req.now = clock.now;
  Lease second = pool.on_start(pool.select(req).account, req);
  ASSERT_TRUE(second.probe());
  pool.on_finish(second, Outcome::success(), clock.now);
  pool.set_enabled(1, true);
  int counts[2] = {0, 0};
  for (int i = 0; i < 10; ++i)
    ++counts[run(pool, req).account];
  EXPECT_EQ(counts[0], 5);  // healthy again
}

TEST(PoolOutcomes, CircuitBreakerOpensHalfOpensAndCloses) {
  PoolPolicy p = with_strategy(Strategy::kRoundRobin);
  p.health.breaker_threshold = 5;
  p.health.breaker_open_ms = 30 * kSecondMs;
  Pool pool = make_pool({{}, {}}, p);
  FakeClock clock;
  SelectRequest on0 = request(clock.now);
  on0.pinned = 0;
  for (int i = 0; i < 4; ++i)
    run(pool, on0, i % 2 ? Outcome::server_error() : Outcome::network_error());
  EXPECT_TRUE(pool.select(on0).ok());  // 4 failures: still closed
  run(pool, on0, Outcome::server_error());
  Selection s = pool.select(on0);
  EXPECT_EQ(s.reason, NoAccountReason::kCoolingDown);
  EXPECT_EQ(s.retry_at, clock.now + 30 * kSecondMs);
  EXPECT_EQ(run(pool, request(clock.now)).account, 1);  // unpinned traffic avoids it

  // Half-open: one probe; meanwhile the rest goes to account 1.
  clock.advance(30 * kSecondMs);
  SelectRequest req = request(clock.now);
  Lease probe;
  for (int i = 0; i < 4; ++i) {
    const Selection pick = pool.select(req);
    Lease l = pool.on_start(pick.account, req);
    if (l.probe()) {
      EXPECT_FALSE(probe.active()) << "a second probe";
      probe = std::move(l);
    } else {
      EXPECT_EQ(l.account(), 1);
      pool.on_finish(l, Outcome::success(), clock.now);
    }
  }
  ASSERT_TRUE(probe.active());
  EXPECT_EQ(probe.account(), 0);
  // The probe fails: re-opened for twice as long.
  pool.on_finish(probe, Outcome::server_error(), clock.now);
  s = pool.select(on0);
  EXPECT_EQ(s.retry_at, clock.now + 60 * kSecondMs);
  clock.advance(60 * kSecondMs);
  on0.now = clock.now;
  run(pool, on0, Outcome::success());  // the probe succeeds: closed
  EXPECT_EQ(pool.account(0).health.consecutive_failures(), 0u);
  EXPECT_FALSE(pool.account(0).health.circuit_open_or_half_open());
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(run(pool, on0).ok());
}

TEST(PoolOutcomes, CancelledIsNobodysFault) {
  PoolPolicy p;
  p.health.breaker_threshold = 1;
  Pool pool = make_pool({{}}, p);
  for (int i = 0; i < 10; ++i)
    run(pool, request(kStart), Outcome::cancelled());
  EXPECT_EQ(pool.account(0).health.consecutive_failures(), 0u);
  EXPECT_TRUE(pool.select(request(kStart)).ok());
}

TEST(PoolLeases, InFlightNeverLeaksOrGoesNegative) {
  Pool pool = make_pool({{}, {}});
  SelectRequest req = request(kStart, 1.0);
  req.vision = true;
  Lease a = pool.on_start(0, req);
  EXPECT_EQ(pool.account(0).in_flight, 1u);
  EXPECT_EQ(pool.account(0).in_flight_vision, 1u);
  EXPECT_EQ(pool.account(0).quota.pending(), 1.0);
  Lease moved = std::move(a);
  EXPECT_FALSE(a.active());
  pool.on_finish(a, Outcome::success(), kStart);  // empty: no-op
  EXPECT_EQ(pool.account(0).in_flight, 1u);
  pool.on_finish(moved, Outcome::success(), kStart);
  pool.on_finish(moved, Outcome::success(), kStart);  // finished twice: no-op
  EXPECT_EQ(pool.account(0).in_flight, 0u);
  EXPECT_EQ(pool.account(0).in_flight_vision, 0u);
  EXPECT_EQ(pool.account(0).quota.pending(), 0.0);
  Lease unknown = pool.on_start(9, req);
  EXPECT_FALSE(unknown.active());
}

TEST(PoolLeases, GuardReleasesOnScopeExitAndFinishesOnce) {
  Pool pool = make_pool({{}});
  const SelectRequest req = request(kStart);
  {
    LeaseGuard g(pool, pool.on_start(0, req));
    EXPECT_EQ(pool.account(0).in_flight, 1u);
    LeaseGuard other = std::move(g);  // ownership moves; still one in flight
    EXPECT_FALSE(g.active());
    EXPECT_EQ(pool.account(0).in_flight, 1u);
  }
  EXPECT_EQ(pool.account(0).in_flight, 0u);
  {
    LeaseGuard g(pool, pool.on_start(0, req));
    g.finish(Outcome::rate_limited(5 * kSecondMs), kStart);
    g.finish(Outcome::success(), kStart);  // ignored
    EXPECT_FALSE(g.active());
  }
  EXPECT_EQ(pool.account(0).in_flight, 0u);
  EXPECT_EQ(pool.select(req).reason, NoAccountReason::kCoolingDown);
  // A guard dropped during a half-open probe frees the probe slot.
  PoolPolicy p;
  p.health.breaker_threshold = 1;
  Pool broken = make_pool({{}}, p);
  run(broken, request(kStart), Outcome::server_error());
  const SelectRequest later = request(kStart + p.health.breaker_open_ms);
  {
    LeaseGuard g(broken, broken.on_start(0, later));
    EXPECT_TRUE(g.lease().probe());
    EXPECT_FALSE(broken.select(later).ok());
  }
  EXPECT_TRUE(broken.select(later).ok());
}

TEST(PoolCharges, OnlyTheBilledAttemptIsChargedAndOnlyOnce) {
  Pool pool = make_pool({{}, {}});
  pool.apply_quota(0, quota(300, 100, at("2026-12-01")), kStart);
  pool.apply_quota(1, quota(300, 100, at("2026-12-01")), kStart);
  SelectRequest req = request(kStart, 3.0);
  req.request_id = 777;
  // Attempt 1 on account 0: 429 before any answer — not charged.
  req.pinned = 0;
  run(pool, req, Outcome::rate_limited());
  EXPECT_EQ(pool.account(0).quota.remaining(), 100);
  // Attempt 2 on account 1 succeeds: charged 3 there.
  req.pinned = 1;
  run(pool, req, Outcome::success());
  EXPECT_EQ(pool.account(1).quota.remaining(), 97);
  // Any further report for the same request id is ignored.
  run(pool, req, Outcome::success());
  EXPECT_FALSE(pool.charge(1, 777, 3.0));
  EXPECT_FALSE(pool.charge(0, 777, 3.0));
  EXPECT_EQ(pool.account(1).quota.remaining(), 97);
  EXPECT_EQ(pool.account(0).quota.remaining(), 100);
  // A stream that broke, or a client that left, after the 2xx was billed: charged.
  req.request_id = 778;
  run(pool, req, Outcome::network_error(/*billed=*/true));
  req.request_id = 779;
  run(pool, req, Outcome::cancelled(/*billed=*/true));
  req.request_id = 780;
  run(pool, req, Outcome::cancelled());  // left before the answer: not charged
  EXPECT_EQ(pool.account(1).quota.remaining(), 91);
  // Free models are never charged.
  SelectRequest free_req = request(kStart, 0.0);
  free_req.request_id = 781;
  run(pool, free_req);
  EXPECT_EQ(pool.account(0).quota.remaining() + pool.account(1).quota.remaining(), 191);
}

TEST(PoolCharges, HeaderSnapshotOnTheAnswerReplacesTheEstimate) {
  Pool pool = make_pool({{}});
  pool.apply_quota(0, quota(300, 200, at("2026-12-01")), kStart);
  SelectRequest req = request(kStart, 1.0);
  for (uint64_t id = 1; id <= 10; ++id) {
    req.request_id = id;
    run(pool, req);
  }
  EXPECT_EQ(pool.account(0).quota.remaining(), 190);
  // The upstream says 50% (150 of 300) on this answer: taken as is, this request included.
  req.request_id = 11;
  run(pool, req, Outcome::success("ent=300&ov=0.0&ovPerm=false&rem=50&rst=2026-12-01T00:00:00Z"));
  EXPECT_EQ(pool.account(0).quota.remaining(), 150);
  EXPECT_FALSE(pool.charge(0, 11, 1.0));  // recorded as charged
  req.request_id = 12;
  run(pool, req);
  EXPECT_EQ(pool.account(0).quota.remaining(), 149);
  // A header alone (e.g. on a free request's answer) also updates the account.
  EXPECT_TRUE(pool.apply_quota_header(0, "ent=300&rem=10", kStart));
  EXPECT_EQ(pool.account(0).quota.remaining(), 30);
  EXPECT_FALSE(pool.apply_quota_header(0, "\x01garbage", kStart));
  EXPECT_FALSE(pool.apply_quota_header(5, "ent=300&rem=10", kStart));
}

TEST(PoolStatus, ReportsHealthInFlightAndQuota) {
  PoolPolicy p;
  p.health.breaker_threshold = 1;
  Pool pool = make_pool({{}, {}, {}, {}, {}, {.enabled = false}}, p);
  FakeClock clock;
  pool.apply_quota(0, quota(300, 150, at("2026-11-16")), clock.now);  // 15 days: 10 per day
  auto finish_with = [&](AccountIndex i, const Outcome& o) {
    Lease l = pool.on_start(i, request(clock.now));
    pool.on_finish(l, o, clock.now);
  };
  finish_with(1, Outcome::rate_limited(90 * kSecondMs));
  finish_with(2, Outcome::server_error());
  finish_with(3, Outcome::auth_failed("403 no Copilot seat"));
  run(pool, request(clock.now));  // account 0 or 4
  Lease busy = pool.on_start(0, request(clock.now, 1.0));
  finish_with(0, Outcome::quota_exhausted());

  const std::vector<AccountStatus> st = pool.status(clock.now);
  ASSERT_EQ(st.size(), 6u);
  EXPECT_EQ(st[0].alias, "A");
  EXPECT_EQ(describe_health(st[0]), "ok");
  EXPECT_EQ(st[0].in_flight, 1u);
  EXPECT_TRUE(st[0].quota_known);
  EXPECT_EQ(st[0].premium_remaining, 0);
  EXPECT_EQ(st[0].premium_pending, 1.0);
  EXPECT_EQ(st[0].reset_ms, at("2026-11-16"));
  EXPECT_EQ(st[0].premium_blocked_until, at("2026-11-16"));
  EXPECT_EQ(describe_health(st[1]), "cooling down until 2026-11-01T00:01:30Z");
  EXPECT_EQ(describe_health(st[2]), "circuit open until 2026-11-01T00:00:30Z");
  EXPECT_EQ(st[2].consecutive_failures, 1u);
  EXPECT_EQ(describe_health(st[3]),
            "unhealthy: 403 no Copilot seat (re-probe at 2026-11-01T00:10:00Z)");
  EXPECT_EQ(describe_health(st[4]), "ok");
  EXPECT_FALSE(st[4].quota_known);
  EXPECT_EQ(describe_health(st[5]), "disabled");
  clock.advance(30 * kSecondMs);
  EXPECT_EQ(describe_health(pool.status(clock.now)[2]), "half-open");
  pool.on_finish(busy, Outcome::cancelled(), clock.now);

  pool.apply_quota(4, quota(300, 150, at("2026-11-16")), clock.now);
  EXPECT_NEAR(pool.status(clock.now)[4].per_day, 150.0 / (15 - 30.0 / 86400), 1e-9);
}

}  // namespace
}  // namespace cg::pool
