// Micro-benchmark of one selection with 1 and 10 accounts (disabled by default; it asserts
// nothing about timing). Run it on a Release build:
//   ./unit_pool --gtest_also_run_disabled_tests --gtest_filter='*SelectBench*'
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "pool/test_pool.h"

namespace cg::pool {
namespace {

using namespace testing;

struct Case {
  const char* name;
  Strategy strategy;
  double multiplier;
  bool affinity;
  bool lifecycle;    // select + on_start + on_finish
  bool ids = false;  // a request id per request (the charge ledger records each)
};

double ns_per_op(size_t accounts, const Case& c) {
  std::vector<Spec> specs(accounts);
  Pool pool = make_pool(specs, with_strategy(c.strategy));
  for (size_t i = 0; i < accounts; ++i)
    pool.apply_quota(static_cast<AccountIndex>(i),
                     quota(1e9, 1e8 + 1e6 * i, kStart + (5 + i) * kDayMs), kStart);
  SelectRequest req = request(kStart, c.multiplier);
  req.affinity_key = c.affinity ? 0x9e3779b97f4a7c15ull : 0;
  // The best of several rounds: the machine is shared, the minimum is the cost.
  constexpr int kRounds = 7, kIters = 300'000;
  double best = 1e18;
  uint64_t sink = 0;
  TimeMs now = kStart;
  for (int round = 0; round < kRounds; ++round) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kIters; ++i) {
      req.now = ++now;  // time moves, as it would
      if (c.ids) req.request_id = static_cast<uint64_t>(now);
      const Selection s = pool.select(req);
      sink += s.account;
      if (c.lifecycle) {
        Lease l = pool.on_start(s.account, req);
        pool.on_finish(l, Outcome::success(), req.now);
      }
    }
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() / kIters);
  }
  EXPECT_NE(sink, 0xffffffffffffffffull);
  return best;
}

TEST(SelectBench, DISABLED_OneVersusTenAccounts) {
  const Case cases[] = {
      {"round-robin", Strategy::kRoundRobin, 0, false, false},
      {"least-busy", Strategy::kLeastBusy, 0, false, false},
      {"quota-aware free", Strategy::kQuotaAware, 0, false, false},
      {"quota-aware premium", Strategy::kQuotaAware, 1, false, false},
      {"quota-aware premium + affinity hit", Strategy::kQuotaAware, 1, true, false},
      {"quota-aware premium, select+start+finish", Strategy::kQuotaAware, 1, false, true},
      {"  same, with request ids (charge ledger)", Strategy::kQuotaAware, 1, false, true, true},
  };
  std::printf("%-44s %10s %10s\n", "ns per selection", "1 acct", "10 accts");
  for (const Case& c : cases)
    std::printf("%-44s %10.1f %10.1f\n", c.name, ns_per_op(1, c), ns_per_op(10, c));
}

}  // namespace
}  // namespace cg::pool
