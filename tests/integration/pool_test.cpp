// Serving from a pool of several simulator accounts: distribution, failover, cooldown, affinity,
// pinning, caps. Test thread only.
#include <gtest/gtest.h>

#include "harness.h"

namespace cg::test {
namespace {

TEST(Pool, RoundRobinSpreadsEvenly) {
  auto env = start_pool_env({sim_account("a"), sim_account("b"), sim_account("c")},
                            [](Config& c) { c.pool.strategy = "round-robin"; });
  for (int i = 0; i < 30; ++i)
    ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "hi " + std::to_string(i))).status, 200);
  for (const char* login : {"a", "b", "c"})
    EXPECT_EQ(env->sim->stats(login).completions, 10u) << login;
}

}  // namespace
}  // namespace cg::test
