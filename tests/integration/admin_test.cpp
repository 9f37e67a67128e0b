// The running gateway's admin endpoints: GET /admin/accounts (the pool as `accounts status` shows
// it), POST /admin/accounts/{ref}/refresh and GET /admin/config. Test thread only.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"

namespace cg::test {
namespace {

namespace json = boost::json;

json::object body_of(const Response& r) {
  json::error_code ec;
  json::value v = json::parse(r.body, ec);
  EXPECT_FALSE(ec) << r.body;
  return v.is_object() ? v.as_object() : json::object{};
}

TEST(Admin, AccountsShowsHealthTokenQuotaAndLoad) {
  sim::SimAccount a = sim_account("alice"), b = sim_account("bob");
  a.premium_entitlement = 300;
  a.premium_remaining = 120;
  b.premium_unlimited = true;
  auto env = start_pool_env({a, b}, {}, [](std::vector<accounts::ServedAccount>& s) {
    s[1].pool.max_concurrent = 3;
    s[1].pool.tier = 1;
  });
  // The quota is polled at start; one request makes sure tokens were exchanged.
  ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "hi")).status, 200);
  json::object root;
  ASSERT_TRUE(eventually([&] {
    Response r = request(env->port(), http::verb::get, "/admin/accounts");
    if (r.status != 200) return false;
    root = body_of(r);
    const json::array& list = root.at("accounts").as_array();
    return list.size() == 2 && list[0].at("quota").at("known").as_bool() &&
           list[1].at("quota").at("known").as_bool();
  }));
  EXPECT_EQ(root.at("strategy").as_string(), "quota-aware");
  const json::object& alice = root.at("accounts").as_array()[0].as_object();
  EXPECT_EQ(alice.at("id").as_string(), "alice");
  EXPECT_EQ(alice.at("health").as_string(), "ok");
  EXPECT_EQ(alice.at("token").at("state").as_string(), "valid");
  EXPECT_TRUE(alice.at("token").at("expires_at").is_string());
  EXPECT_DOUBLE_EQ(alice.at("quota").at("entitlement").to_number<double>(), 300);
  EXPECT_DOUBLE_EQ(alice.at("quota").at("remaining").to_number<double>(), 120);
  EXPECT_EQ(alice.at("in_flight").as_int64(), 0);
  const json::object& bob = root.at("accounts").as_array()[1].as_object();
  EXPECT_TRUE(bob.at("quota").at("unlimited").as_bool());
  EXPECT_EQ(bob.at("tier").as_int64(), 1);
  EXPECT_EQ(bob.at("max_concurrent").as_int64(), 3);
  // No token of any kind in the answer.
  for (const char* secret : {"ghu_alice", "ghu_bob", "tid="})
    EXPECT_EQ(json::serialize(root).find(secret), std::string::npos) << secret;
}

TEST(Admin, RefreshGetsANewTokenAndQuotaNow) {
  auto env = start_pool_env({sim_account("alice"), sim_account("bob")});
  ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "hi")).status, 200);
  ASSERT_TRUE(eventually([&] { return env->sim->stats("bob").token_exchanges == 1; }));
  sim::QuotaUpdate u;
  u.remaining = 42;
  ASSERT_TRUE(env->sim->set_quota("bob", u));
  Response r = request(env->port(), http::verb::post, "/admin/accounts/bob/refresh");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(env->sim->stats("bob").token_exchanges, 2u);
  EXPECT_EQ(env->sim->stats("alice").token_exchanges, 1u);
  const json::object answer = body_of(r);
  const json::array& list = answer.at("accounts").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("id").as_string(), "bob");
  EXPECT_DOUBLE_EQ(list[0].at("quota").at("remaining").to_number<double>(), 42);

  Response unknown = request(env->port(), http::verb::post, "/admin/accounts/carol/refresh");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(body_of(unknown).at("error").at("code").as_string(), "unknown_account");
}

TEST(Admin, DisableTakesAnAccountOutOfRotationUntilEnabled) {
  auto env = start_pool_env({sim_account("alice"), sim_account("bob")},
                            [](Config& c) { c.pool.strategy = "round-robin"; });
  Response off = request(env->port(), http::verb::post, "/admin/accounts/alice/disable");
  ASSERT_EQ(off.status, 200) << off.body;
  const json::object answer = body_of(off);
  EXPECT_EQ(answer.at("accounts").as_array()[0].at("health").as_string(), "disabled");
  for (int i = 0; i < 6; ++i)
    ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "hi " + std::to_string(i))).status, 200);
  EXPECT_EQ(env->sim->stats("alice").completions, 0u);
  EXPECT_EQ(env->sim->stats("bob").completions, 6u);
  Response pinned = request(env->port(), http::verb::post, "/v1/chat/completions",
                            chat_body("gpt-4.1", "x"), {{"x-copilot-account", "alice"}});
  EXPECT_EQ(pinned.status, 503);

  ASSERT_EQ(request(env->port(), http::verb::post, "/admin/accounts/alice/enable").status, 200);
  for (int i = 0; i < 6; ++i)
    ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "again " + std::to_string(i))).status,
              200);
  // Back in the rotation (round-robin may give it one turn more while it catches up).
  EXPECT_GE(env->sim->stats("alice").completions, 2u);
  EXPECT_GE(env->sim->stats("bob").completions, 6u + 2u);
  EXPECT_EQ(request(env->port(), http::verb::post, "/admin/accounts/carol/disable").status, 404);
}

TEST(Admin, NeedsAnApiKeyAndMasksSecretsInConfig) {
  auto env = start_pool_env({sim_account("alice")});
  EXPECT_EQ(request(env->port(), http::verb::get, "/admin/accounts", {}, {}, false).status, 401);
  EXPECT_EQ(request(env->port(), http::verb::get, "/admin/config", {}, {}, false).status, 401);
  Response c = request(env->port(), http::verb::get, "/admin/config");
  ASSERT_EQ(c.status, 200);
  EXPECT_NE(c.body.find("[pool]"), std::string::npos);
  EXPECT_NE(c.body.find("strategy = \"quota-aware\""), std::string::npos);
  EXPECT_EQ(c.body.find(kApiKey), std::string::npos) << c.body;
  EXPECT_EQ(request(env->port(), http::verb::get, "/admin/accounts/alice/refresh").status, 405);
}

}  // namespace
}  // namespace cg::test
