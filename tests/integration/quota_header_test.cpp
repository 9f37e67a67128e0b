// The quota snapshot header as the simulator sends it (Copilot's encoding, percent-encoded reset
// timestamp) read by the pool's parser: the two sides of the premium accounting agree.
#include <gtest/gtest.h>

#include "pool/dates.h"
#include "pool/quota_header.h"
#include "sim/sim_test_client.h"
#include "sim/simulator.h"

namespace cg::test {
namespace {

class QuotaHeaderTest : public sim::testing::SimFixture {};

TEST_F(QuotaHeaderTest, SimulatorHeaderReadsBackInThePool) {
  sim::SimConfig sc;
  sc.accounts.front().premium_entitlement = 300;
  sc.accounts.front().premium_remaining = 150;
  sc.accounts.front().quota_reset_date = "2026-12-01";
  start(sc);
  const std::string tok = copilot_token();
  sim::testing::Client c = client();
  auto r = c.post("/chat/completions",
                  R"({"model":"claude-sonnet-4.5","messages":[{"role":"user","content":"hi"}]})",
                  {{"authorization", "Bearer " + tok}, {"content-type", "application/json"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto it = r.headers.find("x-quota-snapshot-premium_interactions");
  ASSERT_NE(it, r.headers.end());
  const pool::QuotaHeader h = pool::parse_quota_header(it->second);
  ASSERT_TRUE(h.entitlement && h.percent_remaining && h.reset_ms && h.overage_permitted)
      << it->second;
  EXPECT_DOUBLE_EQ(*h.entitlement, 300);
  EXPECT_NEAR(*h.percent_remaining, 100.0 * 149 / 300, 0.01);  // this request included
  EXPECT_FALSE(*h.overage_permitted);
  EXPECT_EQ(*h.reset_ms, *pool::parse_date_ms("2026-12-01"));
}

}  // namespace
}  // namespace cg::test
