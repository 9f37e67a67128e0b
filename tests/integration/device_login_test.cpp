// The device-flow login end to end against the simulator's GitHub side: approval after pending
// polls, slow_down, an expired code that is replaced by a new one, denial; then the account's
// login, plan and quota from copilot_internal/user. GitHub's seconds are shortened to 20 ms.
#include <gtest/gtest.h>

#include <optional>

#include "copilot/copilot_user.h"
#include "copilot/device_login.h"
#include "sim/simulator.h"
#include "upstream/client.h"
#include "upstream/test_support.h"

namespace cg::test {
namespace {

using namespace std::chrono_literals;

using upstream::testing::run;

struct Login {
  std::optional<Result<std::string>> result;
  std::vector<std::string> codes;
  std::vector<int64_t> waits;
  int restarts = 0;
};

Login login_with(sim::Simulator& sim, int max_restarts = 3) {
  net::io_context ioc;
  upstream::Client client(ioc.get_executor(), nullptr, upstream::ClientOptions{});
  copilot::DeviceLoginOptions opt;
  opt.github = *upstream::Target::parse(sim.base_url());
  opt.second = 20ms;
  opt.max_restarts = max_restarts;
  Login l;
  copilot::DeviceLoginEvents ev;
  ev.on_code = [&](const copilot::DeviceCode& c) { l.codes.push_back(c.user_code); };
  ev.on_wait = [&](int, int64_t ms) { l.waits.push_back(ms); };
  ev.on_restart = [&](std::string_view) { ++l.restarts; };
  l.result = run(ioc, copilot::device_login(client, opt, ev));
  return l;
}

std::unique_ptr<sim::Simulator> start_sim(const std::string& outcome) {
  sim::SimConfig sc;
  sc.device_outcome = outcome;
  sc.device_interval_s = 1;
  sc.device_approve_after_polls = 2;
  sc.accounts.front().copilot_plan = "business";
  sc.accounts.front().premium_entitlement = 300;
  sc.accounts.front().premium_remaining = 120;
  auto sim = std::make_unique<sim::Simulator>(sc);
  sim->start();
  return sim;
}

TEST(DeviceLogin, ApprovedAfterPendingPollsThenAccountInfo) {
  auto sim = start_sim("approve");
  Login l = login_with(*sim);
  ASSERT_TRUE(l.result.has_value());
  ASSERT_TRUE(l.result->ok()) << l.result->error().message;
  EXPECT_EQ(**l.result, "ghu_sim_default");
  ASSERT_EQ(l.codes.size(), 1u);
  EXPECT_EQ(l.codes[0].size(), 9u);  // "ABCD-1234"
  EXPECT_EQ(l.waits.size(), 3u);     // two pending answers, then the token
  for (int64_t w : l.waits)
    EXPECT_EQ(w, 1000);
  EXPECT_EQ(l.restarts, 0);

  net::io_context ioc;
  upstream::Client client(ioc.get_executor(), nullptr, upstream::ClientOptions{});
  auto user =
      run(ioc, copilot::fetch_copilot_user(client, *upstream::Target::parse(sim->base_url()),
                                           UpstreamConfig{}, **l.result, 5000ms));
  ASSERT_TRUE(user.has_value());
  ASSERT_TRUE(user->ok()) << user->error().message;
  EXPECT_EQ((*user)->login, "sim-user");
  EXPECT_EQ((*user)->plan, "business");
  ASSERT_TRUE((*user)->premium.has_value());
  EXPECT_DOUBLE_EQ((*user)->premium->entitlement, 300);
  EXPECT_DOUBLE_EQ((*user)->premium->remaining, 120);

  auto bad = run(ioc, copilot::fetch_copilot_user(client, *upstream::Target::parse(sim->base_url()),
                                                  UpstreamConfig{}, "ghu_not_an_account", 5000ms));
  ASSERT_TRUE(bad.has_value());
  ASSERT_FALSE(bad->ok());
  EXPECT_EQ(bad->error().status, 401);
  EXPECT_EQ(bad->error().message.find("ghu_not_an_account"), std::string::npos);
}

TEST(DeviceLogin, SlowDownAddsFiveSecondsToEveryLaterPoll) {
  auto sim = start_sim("slow_down_once");
  Login l = login_with(*sim);
  ASSERT_TRUE(l.result.has_value() && l.result->ok());
  ASSERT_GE(l.waits.size(), 3u);
  EXPECT_EQ(l.waits[0], 1000);
  for (size_t i = 1; i < l.waits.size(); ++i)
    EXPECT_EQ(l.waits[i], 6000) << i;  // 1 s + 5 s, for good
}

TEST(DeviceLogin, ExpiredCodeIsReplacedByANewOne) {
  auto sim = start_sim("expire_once");
  Login l = login_with(*sim);
  ASSERT_TRUE(l.result.has_value());
  ASSERT_TRUE(l.result->ok()) << l.result->error().message;
  EXPECT_EQ(l.restarts, 1);
  ASSERT_EQ(l.codes.size(), 2u);  // shown again
  EXPECT_NE(l.codes[0], l.codes[1]);
}

TEST(DeviceLogin, CodesThatKeepExpiringFailAfterTheRestarts) {
  auto sim = start_sim("expire");
  Login l = login_with(*sim, 1);
  ASSERT_TRUE(l.result.has_value());
  ASSERT_FALSE(l.result->ok());
  EXPECT_NE(l.result->error().message.find("expired"), std::string::npos);
  EXPECT_EQ(l.codes.size(), 2u);
}

TEST(DeviceLogin, DeniedFailsClearly) {
  auto sim = start_sim("deny");
  Login l = login_with(*sim);
  ASSERT_TRUE(l.result.has_value());
  ASSERT_FALSE(l.result->ok());
  EXPECT_NE(l.result->error().message.find("denied"), std::string::npos);
}

TEST(DeviceLogin, UnreachableGitHubIsAnError) {
  net::io_context ioc;
  upstream::Client client(ioc.get_executor(), nullptr, upstream::ClientOptions{});
  copilot::DeviceLoginOptions opt;
  opt.github = *upstream::Target::parse("http://127.0.0.1:1");
  opt.second = 20ms;
  auto r = run(ioc, copilot::device_login(client, opt, {}));
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->ok());
}

}  // namespace
}  // namespace cg::test
