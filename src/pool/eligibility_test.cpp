// The cached eligibility masks agree with a full check of every account (check_account) after
// any sequence of starts, outcomes, quota updates, configuration changes and clock movement.
#include "pool/eligibility.h"

#include <gtest/gtest.h>

#include <random>

#include "pool/test_pool.h"

namespace cg::pool {
namespace {

using namespace testing;

uint64_t brute_force(const Pool& pool, const SelectRequest& req) {
  uint64_t mask = 0;
  for (size_t k = 0; k < pool.size(); ++k) {
    AccountState copy = pool.account(static_cast<AccountIndex>(k));
    copy.quota.roll_over(req.now);
    TimeMs until;
    if (check_account(copy, static_cast<AccountIndex>(k), req, &until) == Block::kNone)
      mask |= uint64_t{1} << k;
  }
  return mask;
}

Outcome random_outcome(std::mt19937_64& rng) {
  switch (rng() % 10) {
    case 0:
      return Outcome::rate_limited(rng() % 2 ? -1 : static_cast<int64_t>(rng() % 120) * kSecondMs);
    case 1:
      return Outcome::quota_exhausted(rng() % 2 ? -1 : static_cast<int64_t>(rng() % 3) * kDayMs);
    case 2:
      return Outcome::auth_failed("401");
    case 3:
      return Outcome::server_error();
    case 4:
      return Outcome::network_error(rng() % 2 == 0);
    case 5:
      return Outcome::cancelled(rng() % 2 == 0);
    case 6:
      return Outcome::rejected();
    case 7:
      return Outcome::success(rng() % 2 ? "ent=300&rem=1&rst=2026-11-20" : "ent=300&rem=40");
    default:
      return Outcome::success();
  }
}

TEST(EligibilityCache, MasksMatchAFullCheck) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    PoolPolicy p;
    p.health.breaker_threshold = 2;
    std::vector<Spec> specs;
    for (int i = 0; i < 6; ++i)
      specs.push_back({.weight = static_cast<uint32_t>(1 + rng() % 3),
                       .tier = static_cast<int32_t>(rng() % 2),
                       .cap = static_cast<uint32_t>(rng() % 4),
                       .vision_cap = static_cast<uint32_t>(rng() % 2),
                       .enabled = rng() % 6 != 0});
    Pool pool = make_pool(specs, p);
    FakeClock clock;
    std::vector<Lease> leases;
    uint64_t id = 0;
    for (int step = 0; step < 3000; ++step) {
      const int op = static_cast<int>(rng() % 12);
      if (op <= 3) {  // a request starts
        SelectRequest req = request(clock.now, rng() % 2 ? 1.0 : 0.0);
        req.vision = rng() % 3 == 0;
        req.request_id = ++id;
        if (rng() % 4 == 0) req.pinned = static_cast<AccountIndex>(rng() % 6);
        const Selection s = pool.select(req);
        if (s.ok()) leases.push_back(pool.on_start(s.account, req));
      } else if (op <= 6 && !leases.empty()) {  // one ends
        const size_t k = rng() % leases.size();
        pool.on_finish(leases[k], random_outcome(rng), clock.now);
        leases.erase(leases.begin() + static_cast<long>(k));
      } else if (op == 7) {
        clock.advance(static_cast<int64_t>(rng() % 90) * kSecondMs);
      } else if (op == 8) {
        clock.advance(static_cast<int64_t>(rng() % 20) * kMinuteMs +
                      (rng() % 50 == 0 ? 5 * kDayMs : 0));
      } else if (op == 9) {
        pool.apply_quota(static_cast<AccountIndex>(rng() % 6),
                         quota(300, static_cast<double>(rng() % 3),
                               clock.now + static_cast<int64_t>(1 + rng() % 3) * kDayMs),
                         clock.now);
      } else if (op == 10) {
        pool.set_enabled(static_cast<AccountIndex>(rng() % 6), rng() % 5 != 0);
      } else {
        const auto i = static_cast<AccountIndex>(rng() % 6);
        AccountConfig c = pool.account(i).config;
        c.max_concurrent = static_cast<uint32_t>(rng() % 4);
        c.tier = static_cast<int32_t>(rng() % 3);
        ASSERT_TRUE(pool.update_account(i, c));
      }
      for (int v = 0; v < 4; ++v) {
        SelectRequest req = request(clock.now, v & 1 ? 1.0 : 0.0);
        req.vision = (v & 2) != 0;
        req.exclude = AccountSet(rng() % 4 == 0 ? rng() & 0x3f : 0);
        const uint64_t cached = pool.eligible(req);
        ASSERT_EQ(cached, brute_force(pool, req)) << "seed " << seed << " step " << step;
      }
    }
    for (Lease& l : leases)
      pool.on_finish(l, Outcome::cancelled(), clock.now);
    for (size_t k = 0; k < pool.size(); ++k) {
      EXPECT_EQ(pool.account(static_cast<AccountIndex>(k)).in_flight, 0u);
      EXPECT_EQ(pool.account(static_cast<AccountIndex>(k)).in_flight_vision, 0u);
      EXPECT_EQ(pool.account(static_cast<AccountIndex>(k)).quota.pending(), 0.0);
    }
  }
}

}  // namespace
}  // namespace cg::pool
