// Copilot token lifecycle through the gateway: single-flight exchange, refresh ahead of expiry,
// refresh-and-retry on 401, static COPILOT_TOKEN mode, bad credentials, and no secret in logs.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <mutex>
#include <thread>

#include "core/log.h"
#include "harness.h"

namespace cg::test {
namespace {

namespace json = boost::json;

std::vector<int> burst(uint16_t port, int n, const std::string& body) {
  std::vector<int> statuses(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] { statuses[i] = post_chat(port, body).status; });
  for (auto& t : threads)
    t.join();
  return statuses;
}

TEST(Auth, BurstWithoutATokenCausesExactlyOneExchange) {
  // The first exchange is still in flight (or just done) when 24 requests arrive together.
  auto env = start_env();
  auto statuses = burst(env->port(), 24, chat_body("gpt-4.1", "burst"));
  for (int s : statuses)
    EXPECT_EQ(s, 200);
  EXPECT_EQ(env->sim->stats(kSimLogin).token_exchanges, 1u);
  EXPECT_EQ(env->gw->tokens().exchanges_ok(), 1u);
}

TEST(Auth, UpstreamRejectionRefreshesOnceAndRetries) {
  auto env = start_env();
  ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "warm")).status, 200);
  const std::string old_token = env->sim->stats(kSimLogin).last_copilot_token;
  env->sim->revoke_tokens(kSimLogin);
  // A burst at the moment of revocation: every request sees a 401, one refresh serves them all.
  auto statuses = burst(env->port(), 12, chat_body("gpt-4.1", "after revoke"));
  for (int s : statuses)
    EXPECT_EQ(s, 200);
  auto st = env->sim->stats(kSimLogin);
  EXPECT_EQ(st.token_exchanges, 2u);
  EXPECT_GE(st.unauthorized, 1u);
  EXPECT_NE(st.last_copilot_token, old_token);
}

TEST(Auth, TokenIsRefreshedAheadOfExpiry) {
  auto env = start_env([](sim::SimConfig& s) {
    s.token_lifetime_s = 2;
    s.refresh_in_s = 1;
  });
  ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "t0")).status, 200);
  // Without any request, the background loop renews before the 2 s lifetime runs out.
  EXPECT_TRUE(eventually([&] { return env->sim->stats(kSimLogin).token_exchanges >= 3; },
                         std::chrono::seconds(4)));
  auto st_before = env->sim->stats(kSimLogin);
  ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "t1")).status, 200);
  EXPECT_EQ(env->sim->stats(kSimLogin).unauthorized, st_before.unauthorized);
}

TEST(Auth, StaticCopilotTokenSkipsTheExchange) {
  auto env = start_env([](sim::SimConfig& s) { s.static_copilot_token = "static-copilot-token"; },
                       [](Config& c) {
                         c.auth.github_token.clear();
                         c.auth.copilot_token = "static-copilot-token";
                         c.upstream.copilot_api_url = c.upstream.github_api_url;
                       });
  Response r = post_chat(env->port(), chat_body("gpt-4.1", "static"));
  EXPECT_EQ(r.status, 200) << r.body;
  auto st = env->sim->stats(kSimLogin);
  EXPECT_EQ(st.token_exchanges, 0u);
  EXPECT_EQ(st.last_copilot_token, "static-copilot-token");
}

TEST(Auth, BadGithubTokenGivesAClearErrorAndNotReady) {
  auto env = start_env({}, [](Config& c) { c.auth.github_token = "ghu_not_a_real_token_123"; });
  Response r = post_chat(env->port(), chat_body("gpt-4.1", "x"));
  EXPECT_EQ(r.status, 502) << r.body;
  auto v = json::parse(r.body).as_object();
  std::string msg(v.at("error").at("message").as_string());
  EXPECT_NE(msg.find("GitHub"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("ghu_not_a_real_token_123"), std::string::npos);
  EXPECT_EQ(request(env->port(), http::verb::get, "/readyz").status, 503);
  EXPECT_EQ(request(env->port(), http::verb::get, "/healthz").status, 200);
}

TEST(Auth, SecretsNeverReachTheLogs) {
  std::mutex mu;
  std::string captured;
  log::set_level(log::Level::kDebug);
  log::set_sink_for_tests([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    captured.append(line);
  });
  {
    auto env = start_env({}, [](Config& c) { c.log.access_log = true; });
    ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "log me")).status, 200);
    ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "log me", true)).status, 200);
    request(env->port(), http::verb::get, "/v1/models");
    request(env->port(), http::verb::get, "/v1/models", {}, {{"authorization", "Bearer wrong-key"}},
            false);
    const std::string copilot_token = env->sim->stats(kSimLogin).last_copilot_token;
    env->gw->shutdown();
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_FALSE(copilot_token.empty());
    EXPECT_NE(captured.find("\"msg\":\"request\""), std::string::npos);  // logs were written
    EXPECT_EQ(captured.find("ghu_sim_default"), std::string::npos);
    EXPECT_EQ(captured.find(copilot_token), std::string::npos);
    EXPECT_EQ(captured.find(kApiKey), std::string::npos);
    EXPECT_EQ(captured.find("wrong-key"), std::string::npos);
  }
  log::set_sink_for_tests(nullptr);
  log::set_level(log::Level::kInfo);
}

}  // namespace
}  // namespace cg::test
