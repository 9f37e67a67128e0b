// Premium quota: the pure accounting (quota.h) and, over real sockets, how the simulator charges
// completions, refuses them with 402 in each API's error shape, reports the quota in the
// x-quota-snapshot-premium_interactions header, /copilot_internal/user and /_sim/stats, and how
// Simulator::set_quota, POST /_sim/quota and reset change it. Test thread only.
#include "sim/quota.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "sim/sim_test_client.h"

namespace cg::sim {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::Headers;
using testing::Response;

// ---------------------------------------------------------------- accounting (pure)

Quota limited(int entitlement, double remaining, bool overage = false) {
  SimAccount a;
  a.premium_entitlement = entitlement;
  a.premium_remaining = remaining;
  a.overage_permitted = overage;
  a.quota_reset_date = "2026-12-01";
  return configured_quota(a);
}

std::string header_of(const Quota& q) {
  std::string out;
  append_quota_header(out, q);
  return out;
}

std::string hundredths(int64_t v) {
  std::string out;
  append_hundredths(out, v);
  return out;
}

TEST(QuotaMath, ChargeTakesTheMultiplierExactly) {
  Quota q = limited(300, 300);
  EXPECT_TRUE(charge(q, to_cents(1)));
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(charge(q, to_cents(0.33)));
  EXPECT_EQ(q.remaining, 29801);  // 300 - 1 - 3 x 0.33, no floating drift
  EXPECT_EQ(q.overage, 0);
}

TEST(QuotaMath, ShortOfTheMultiplierIsRefusedWithoutOverage) {
  Quota q = limited(300, 0.5);
  EXPECT_FALSE(charge(q, to_cents(1)));
  EXPECT_EQ(q.remaining, 50);  // unchanged
  EXPECT_TRUE(charge(q, to_cents(0.33)));
  EXPECT_FALSE(charge(q, to_cents(0.33)));  // 0.17 left
  EXPECT_EQ(q.remaining, 17);
}

TEST(QuotaMath, OverageUsesUpRemainingThenCounts) {
  Quota q = limited(300, 0.5, true);
  EXPECT_TRUE(charge(q, to_cents(1)));
  EXPECT_EQ(q.remaining, 0);
  EXPECT_EQ(q.overage, 50);
  EXPECT_TRUE(charge(q, to_cents(10)));
  EXPECT_EQ(q.overage, 1050);
}

TEST(QuotaMath, UnlimitedTakesNothing) {
  Quota q = limited(300, 0);
  q.unlimited = true;
  EXPECT_TRUE(charge(q, to_cents(10)));
  EXPECT_EQ(q.remaining, 0);
  EXPECT_EQ(q.overage, 0);
  EXPECT_EQ(percent_remaining_hundredths(q), 10000);
}

TEST(QuotaMath, Hundredths) {
  EXPECT_EQ(hundredths(0), "0.0");
  EXPECT_EQ(hundredths(1250), "12.5");
  EXPECT_EQ(hundredths(9967), "99.67");
  EXPECT_EQ(hundredths(10000), "100.0");
  EXPECT_EQ(hundredths(5), "0.05");
  EXPECT_EQ(hundredths(-100), "-1.0");
}

TEST(QuotaMath, PercentRemaining) {
  EXPECT_EQ(percent_remaining_hundredths(limited(300, 299)), 9967);  // 99.666.. rounded
  EXPECT_EQ(percent_remaining_hundredths(limited(300, 75)), 2500);
  EXPECT_EQ(percent_remaining_hundredths(limited(300, 900)), 10000);  // clamped
  EXPECT_EQ(percent_remaining_hundredths(limited(0, 5)), 0);
}

TEST(QuotaMath, HeaderAsCopilotSendsIt) {
  EXPECT_EQ(header_of(limited(300, 299)),
            "x-quota-snapshot-premium_interactions: "
            "ent=300&ov=0.0&ovPerm=false&rem=99.67&rst=2026-12-01T00%3A00%3A00Z\r\n");
  Quota q = limited(50, 0, true);
  q.overage = 150;
  q.reset = ResetStamp("2027-01-15T08:30:00Z");
  EXPECT_EQ(header_of(q),
            "x-quota-snapshot-premium_interactions: "
            "ent=50&ov=1.5&ovPerm=true&rem=0.0&rst=2027-01-15T08%3A30%3A00Z\r\n");
  q.unlimited = true;
  EXPECT_EQ(header_of(q),
            "x-quota-snapshot-premium_interactions: "
            "ent=-1&ov=1.5&ovPerm=true&rem=100.0&rst=2027-01-15T08%3A30%3A00Z\r\n");
}

TEST(QuotaMath, UpdateValidation) {
  EXPECT_EQ(quota_update_error(QuotaUpdate{}), "");
  EXPECT_EQ(quota_update_error(QuotaUpdate{.remaining = 12.5, .reset_date = "2026-12-01"}), "");
  EXPECT_EQ(quota_update_error(QuotaUpdate{.reset_date = "2026-12-01T00:00:00Z"}), "");
  EXPECT_NE(quota_update_error(QuotaUpdate{.remaining = -1}), "");
  EXPECT_NE(quota_update_error(QuotaUpdate{.entitlement = -5}), "");
  EXPECT_NE(quota_update_error(QuotaUpdate{.reset_date = "next month"}), "");
  EXPECT_NE(quota_update_error(QuotaUpdate{.reset_date = "2026-12-1"}), "");
}

// ---------------------------------------------------------------- over HTTP

// The header's form data, decoded (%XX and '+').
std::map<std::string, std::string> parse_form(const std::string& s) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t amp = s.find('&', pos);
    if (amp == std::string::npos) amp = s.size();
    const std::string pair = s.substr(pos, amp - pos);
    const size_t eq = pair.find('=');
    std::string value;
    const std::string raw = eq == std::string::npos ? "" : pair.substr(eq + 1);
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '%' && i + 2 < raw.size()) {
        value += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        value += raw[i] == '+' ? ' ' : raw[i];
      }
    }
    out[pair.substr(0, eq)] = value;
    pos = amp + 1;
  }
  return out;
}

std::string chat(const std::string& model, bool stream = false, const std::string& text = "hi") {
  return json::serialize(
      json::object{{"model", model},
                   {"stream", stream},
                   {"messages", json::array{json::object{{"role", "user"}, {"content", text}}}}});
}

std::string messages(const std::string& model, bool stream = false) {
  return json::serialize(
      json::object{{"model", model},
                   {"max_tokens", 64},
                   {"stream", stream},
                   {"messages", json::array{json::object{{"role", "user"}, {"content", "hi"}}}}});
}

std::string responses(const std::string& model, bool stream = false) {
  return json::serialize(json::object{{"model", model}, {"input", "hi"}, {"stream", stream}});
}

class QuotaTest : public testing::SimFixture {
 protected:
  // One account per (entitlement, remaining) pair: sim-user, sim-user-2, ...
  void start_with(std::vector<SimAccount> accounts) {
    SimConfig cfg;
    for (size_t i = 1; i < accounts.size(); ++i) {
      accounts[i].login = "sim-user-" + std::to_string(i + 1);
      accounts[i].github_token = "ghu_sim_" + std::to_string(i + 1);
    }
    cfg.accounts = std::move(accounts);
    start(cfg);
    token_ = copilot_token();
  }
  static SimAccount account(int entitlement, double remaining, bool overage = false,
                            bool unlimited = false) {
    SimAccount a;
    a.premium_entitlement = entitlement;
    a.premium_remaining = remaining;
    a.overage_permitted = overage;
    a.premium_unlimited = unlimited;
    return a;
  }
  Response post(const std::string& path, const std::string& body, Headers more = {}) {
    Client c = client();
    return c.post(path, body, auth(token_, std::move(more)));
  }
  // The quota header of `r`, decoded; fails the test when absent.
  static std::map<std::string, std::string> snapshot(const Response& r) {
    const auto it = r.headers.find("x-quota-snapshot-premium_interactions");
    EXPECT_NE(it, r.headers.end()) << "no quota header; status " << r.status;
    return it == r.headers.end() ? std::map<std::string, std::string>{} : parse_form(it->second);
  }
  json::value premium_of_user(const std::string& github = "ghu_sim_default") {
    Client c = client();
    Response r = c.get("/copilot_internal/user", {{"authorization", "token " + github}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("quota_snapshots").at("premium_interactions");
  }
  static double num(const json::value& v) { return json::value_to<double>(v); }
  std::string token_;
};

TEST_F(QuotaTest, PremiumRequestsUseTheMultiplierOnEveryApi) {
  start_with({account(300, 300)});
  Response r = post("/chat/completions", chat("claude-sonnet-4.5"));  // x1
  ASSERT_EQ(r.status, 200) << r.body;
  auto s = snapshot(r);
  EXPECT_EQ(s["ent"], "300");
  EXPECT_EQ(s["ov"], "0.0");
  EXPECT_EQ(s["ovPerm"], "false");
  EXPECT_EQ(s["rem"], "99.67");  // 299 / 300
  EXPECT_EQ(s["rst"], default_reset_date() + "T00:00:00Z");

  r = post("/v1/messages", messages("claude-haiku-4.5"));  // x0.33
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(snapshot(r)["rem"], "99.56");  // 298.67 / 300

  r = post("/responses", responses("gpt-5"));  // x1
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(snapshot(r)["rem"], "99.22");  // 297.67 / 300

  r = post("/chat/completions", chat("gpt-4.1"));  // free: carries the header, uses nothing
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(snapshot(r)["rem"], "99.22");

  // Agent turns (tool loops, sub-agents) are not billed; user turns are.
  r = post("/chat/completions", chat("claude-sonnet-4.5"), {{"x-initiator", "agent"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(snapshot(r)["rem"], "99.22");
  r = post("/chat/completions", chat("claude-sonnet-4.5"), {{"x-initiator", "user"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(snapshot(r)["rem"], "98.89");  // 296.67 / 300

  const json::value p = premium_of_user();
  EXPECT_DOUBLE_EQ(num(p.at("remaining")), 296.67);
  EXPECT_DOUBLE_EQ(num(p.at("quota_remaining")), 296.67);
  EXPECT_DOUBLE_EQ(num(p.at("percent_remaining")), 98.89);
  EXPECT_EQ(p.at("entitlement"), 300);
  EXPECT_EQ(p.at("unlimited"), false);
  EXPECT_DOUBLE_EQ(num(p.at("overage_count")), 0);

  const AccountStats st = sim_->stats("sim-user");
  EXPECT_DOUBLE_EQ(st.premium_used, 3.33);
  EXPECT_DOUBLE_EQ(st.premium_remaining, 296.67);
  EXPECT_EQ(st.completions, 6u);
  EXPECT_EQ(st.quota_rejections, 0u);
}

TEST_F(QuotaTest, ExhaustedQuotaAnswers402InEachApisShape) {
  start_with({account(300, 1.2)});
  ASSERT_EQ(post("/chat/completions", chat("claude-sonnet-4.5")).status, 200);  // 0.2 left

  Response r = post("/chat/completions", chat("claude-sonnet-4.5"));
  ASSERT_EQ(r.status, 402) << r.body;
  json::value e = r.json().at("error");
  EXPECT_EQ(e.at("code"), "quota_exceeded");
  EXPECT_EQ(e.at("type"), "invalid_request_error");
  EXPECT_NE(std::string(e.at("message").as_string()).find("premium request allowance"),
            std::string::npos);
  EXPECT_EQ(snapshot(r)["rem"], "0.07");  // 0.2 / 300, unchanged by the refusal
  EXPECT_TRUE(r.headers.count("x-request-id"));

  r = post("/responses", responses("gpt-5", true));  // a stream is refused before it starts
  ASSERT_EQ(r.status, 402) << r.body;
  EXPECT_EQ(r.json().at("error").at("code"), "quota_exceeded");
  EXPECT_EQ(snapshot(r)["ent"], "300");

  r = post("/v1/messages", messages("claude-sonnet-4.5"));
  ASSERT_EQ(r.status, 402) << r.body;
  EXPECT_EQ(r.json().at("type"), "error");
  EXPECT_EQ(r.json().at("error").at("type"), "billing_error");
  EXPECT_EQ(
      std::string(r.json().at("error").at("message").as_string()).rfind("quota_exceeded: ", 0), 0u);
  EXPECT_EQ(snapshot(r)["rem"], "0.07");

  // Less left than the multiplier (0.2 < 0.33) is not enough, even when it is more than zero.
  EXPECT_EQ(post("/v1/messages", messages("claude-haiku-4.5")).status, 402);

  // Free models go on.
  r = post("/chat/completions", chat("gpt-4.1"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(snapshot(r)["rem"], "0.07");

  const AccountStats st = sim_->stats("sim-user");
  EXPECT_EQ(st.quota_rejections, 4u);
  EXPECT_EQ(st.completions, 2u);
  EXPECT_EQ(st.by_endpoint.at("/responses"), 0u);
  EXPECT_EQ(st.by_endpoint.at("/v1/messages"), 0u);
  EXPECT_DOUBLE_EQ(st.premium_used, 1);
  EXPECT_DOUBLE_EQ(st.premium_remaining, 0.2);
}

TEST_F(QuotaTest, OveragePermittedGoesOnAndCounts) {
  start_with({account(300, 0.5, /*overage=*/true)});
  Response r = post("/chat/completions", chat("claude-sonnet-4.5"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto s = snapshot(r);
  EXPECT_EQ(s["ov"], "0.5");  // 0.5 from the allowance, 0.5 past it
  EXPECT_EQ(s["ovPerm"], "true");
  EXPECT_EQ(s["rem"], "0.0");
  r = post("/v1/messages", messages("claude-opus-4.1"));  // x10
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(snapshot(r)["ov"], "10.5");

  const json::value p = premium_of_user();
  EXPECT_DOUBLE_EQ(num(p.at("overage_count")), 10.5);
  EXPECT_EQ(p.at("overage_permitted"), true);
  EXPECT_DOUBLE_EQ(num(p.at("remaining")), 0);
  const AccountStats st = sim_->stats("sim-user");
  EXPECT_DOUBLE_EQ(st.overage_count, 10.5);
  EXPECT_DOUBLE_EQ(st.premium_used, 11);
  EXPECT_DOUBLE_EQ(st.premium_remaining, 0);
  EXPECT_EQ(st.quota_rejections, 0u);
}

TEST_F(QuotaTest, UnlimitedNeverRunsOut) {
  start_with({account(300, 0, false, /*unlimited=*/true)});
  for (int i = 0; i < 5; ++i) {
    Response r = post("/chat/completions", chat("claude-opus-4.1"));  // x10
    ASSERT_EQ(r.status, 200) << r.body;
    auto s = snapshot(r);
    EXPECT_EQ(s["ent"], "-1");
    EXPECT_EQ(s["rem"], "100.0");
  }
  const json::value p = premium_of_user();
  EXPECT_EQ(p.at("unlimited"), true);
  EXPECT_EQ(p.at("entitlement"), -1);
  EXPECT_DOUBLE_EQ(num(p.at("percent_remaining")), 100);
  const AccountStats st = sim_->stats("sim-user");
  EXPECT_DOUBLE_EQ(st.premium_used, 50);
  EXPECT_EQ(st.quota_rejections, 0u);
}

TEST_F(QuotaTest, OnlyAnsweredRequestsAreCharged) {
  start_with({account(300, 10)});
  const std::string sonnet = "claude-sonnet-4.5";
  // Validation error, fault statuses from the header, a directive and the account: not charged.
  EXPECT_EQ(post("/chat/completions", R"({"model":"claude-sonnet-4.5"})").status, 400);
  EXPECT_EQ(post("/v1/messages", R"({"model":"claude-sonnet-4.5","messages":[]})").status, 400);
  EXPECT_EQ(post("/chat/completions", chat(sonnet), {{"x-sim-fault", "status=429"}}).status, 429);
  EXPECT_EQ(post("/responses", responses("gpt-5"), {{"x-sim-fault", "status=503"}}).status, 503);
  EXPECT_EQ(post("/chat/completions", chat(sonnet, false, "x [[sim:status=500]]")).status, 500);
  sim_->set_fault("sim-user", Fault{.status = 502});
  EXPECT_EQ(post("/chat/completions", chat(sonnet)).status, 502);
  EXPECT_DOUBLE_EQ(sim_->stats("sim-user").premium_remaining, 10);
  // A directive that lifts the account's fault gets an answer, so it is charged.
  Response r = post("/chat/completions", chat(sonnet, false, "x [[sim:status=0]]"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(snapshot(r)["rem"], "3.0");  // 9 / 300
  sim_->set_fault("sim-user", Fault{});
  // A non-streaming request dropped on purpose reached the model: charged.
  Client c = client();
  r = c.post("/chat/completions", chat(sonnet), auth(token_, {{"x-sim-fault", "drop_after=0"}}));
  EXPECT_TRUE(r.ec);
  // Embeddings are not premium requests: no charge, no quota header.
  r = post("/embeddings", R"({"model":"text-embedding-3-small","input":"hi"})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.count("x-quota-snapshot-premium_interactions"), 0u);

  const AccountStats st = sim_->stats("sim-user");
  EXPECT_DOUBLE_EQ(st.premium_remaining, 8);
  EXPECT_DOUBLE_EQ(st.premium_used, 2);
  EXPECT_EQ(st.quota_rejections, 0u);
}

TEST_F(QuotaTest, SetQuotaInProcessAndOverHttp) {
  start_with({account(300, 300)});
  ASSERT_TRUE(sim_->set_quota("sim-user", QuotaUpdate{.remaining = 0}));
  EXPECT_EQ(post("/chat/completions", chat("claude-sonnet-4.5")).status, 402);
  EXPECT_FALSE(sim_->set_quota("nobody", QuotaUpdate{.remaining = 1}));
  EXPECT_FALSE(sim_->set_quota("sim-user", QuotaUpdate{.remaining = -1}));
  EXPECT_DOUBLE_EQ(sim_->stats("sim-user").premium_remaining, 0);

  Client c = client();
  Response r = c.post("/_sim/quota", R"({"login":"sim-user","remaining":12.5,"entitlement":50,)"
                                     R"("reset_date":"2027-01-01"})");
  ASSERT_EQ(r.status, 200) << r.body;
  r = post("/chat/completions", chat("claude-sonnet-4.5"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto s = snapshot(r);
  EXPECT_EQ(s["ent"], "50");
  EXPECT_EQ(s["rem"], "23.0");  // 11.5 / 50
  EXPECT_EQ(s["rst"], "2027-01-01T00:00:00Z");
  {
    Client u = client();
    Response user = u.get("/copilot_internal/user", {{"authorization", "token ghu_sim_default"}});
    EXPECT_EQ(user.json().at("quota_reset_date"), "2027-01-01");
  }

  // Omitted fields stay; the login defaults to sim-user.
  ASSERT_EQ(c.post("/_sim/quota", R"({"overage_permitted":true})").status, 200);
  json::value p = premium_of_user();
  EXPECT_EQ(p.at("entitlement"), 50);
  EXPECT_DOUBLE_EQ(num(p.at("remaining")), 11.5);
  EXPECT_EQ(p.at("overage_permitted"), true);
  ASSERT_EQ(c.post("/_sim/quota", R"({"unlimited":true})").status, 200);
  EXPECT_EQ(snapshot(post("/chat/completions", chat("gpt-4.1")))["ent"], "-1");

  for (const char* bad :
       {R"({"login":"nobody","remaining":1})", R"({"remaining":"1"})", R"({"remaining":-1})",
        R"({"entitlement":1.5})", R"({"unlimited":1})", R"({"reset_date":"soon"})", "[]"}) {
    r = c.post("/_sim/quota", bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.json().at("error").at("code"), "invalid_request_body") << bad;
  }
  EXPECT_EQ(premium_of_user().at("unlimited"), true);  // the bad updates changed nothing
}

TEST_F(QuotaTest, ResetRestoresTheConfiguredOrLastSetQuota) {
  start_with({account(300, 2)});
  const std::string sonnet = chat("claude-sonnet-4.5");
  EXPECT_EQ(post("/chat/completions", sonnet).status, 200);
  EXPECT_EQ(post("/chat/completions", sonnet).status, 200);
  EXPECT_EQ(post("/chat/completions", sonnet).status, 402);
  sim_->reset_stats();
  AccountStats st = sim_->stats("sim-user");
  EXPECT_DOUBLE_EQ(st.premium_used, 0);
  EXPECT_EQ(st.quota_rejections, 0u);
  EXPECT_DOUBLE_EQ(st.premium_remaining, 2);  // the configured value
  EXPECT_DOUBLE_EQ(num(premium_of_user().at("remaining")), 2);

  // What set_quota sets is what a reset goes back to; overage is undone too.
  ASSERT_TRUE(sim_->set_quota("sim-user", QuotaUpdate{.remaining = 1, .overage_permitted = true}));
  EXPECT_EQ(post("/chat/completions", sonnet).status, 200);
  EXPECT_EQ(post("/chat/completions", sonnet).status, 200);  // overage
  EXPECT_DOUBLE_EQ(sim_->stats("sim-user").overage_count, 1);
  Client c = client();
  ASSERT_EQ(c.post("/_sim/reset", "{}").status, 200);
  st = sim_->stats("sim-user");
  EXPECT_DOUBLE_EQ(st.premium_remaining, 1);
  EXPECT_DOUBLE_EQ(st.overage_count, 0);
  EXPECT_EQ(premium_of_user().at("overage_permitted"), true);
}

TEST_F(QuotaTest, AccountsKeepSeparateQuotas) {
  start_with({account(300, 1), account(100, 1)});
  const std::string token2 = copilot_token("ghu_sim_2");
  const std::string sonnet = chat("claude-sonnet-4.5");
  EXPECT_EQ(post("/chat/completions", sonnet).status, 200);
  EXPECT_EQ(post("/chat/completions", sonnet).status, 402);
  Client c = client();
  Response r = c.post("/chat/completions", sonnet, auth(token2));
  ASSERT_EQ(r.status, 200) << r.body;  // the other account still had its own
  EXPECT_EQ(snapshot(r)["ent"], "100");
  EXPECT_EQ(snapshot(r)["rem"], "0.0");

  ASSERT_TRUE(sim_->set_quota("sim-user-2", QuotaUpdate{.remaining = 5}));
  EXPECT_EQ(post("/chat/completions", sonnet).status, 402);  // sim-user is still out
  EXPECT_DOUBLE_EQ(num(premium_of_user("ghu_sim_2").at("remaining")), 5);
  EXPECT_DOUBLE_EQ(num(premium_of_user().at("remaining")), 0);

  const json::value stats = c.get("/_sim/stats").json().at("accounts");
  EXPECT_DOUBLE_EQ(num(stats.at("sim-user").at("premium_used")), 1);
  EXPECT_DOUBLE_EQ(num(stats.at("sim-user").at("premium_remaining")), 0);
  EXPECT_EQ(stats.at("sim-user").at("quota_rejections"), 2);
  EXPECT_DOUBLE_EQ(num(stats.at("sim-user").at("overage_count")), 0);
  EXPECT_DOUBLE_EQ(num(stats.at("sim-user-2").at("premium_used")), 1);
  EXPECT_DOUBLE_EQ(num(stats.at("sim-user-2").at("premium_remaining")), 5);
  EXPECT_EQ(stats.at("sim-user-2").at("quota_rejections"), 0);
}

TEST_F(QuotaTest, StreamsCarryTheHeaderOnTheirHead) {
  start_with({account(300, 300)});
  Response r = post("/chat/completions", chat("claude-sonnet-4.5", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"].rfind("text/event-stream", 0), 0u);
  EXPECT_EQ(snapshot(r)["rem"], "99.67");
  r = post("/v1/messages", messages("claude-haiku-4.5", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(snapshot(r)["rem"], "99.56");
  r = post("/responses", responses("gpt-5", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(snapshot(r)["rem"], "99.22");
}

TEST_F(QuotaTest, ACancelledStreamIsStillCharged) {
  start_with({account(300, 300)});
  {
    Client c = client();
    c.send(http::verb::post, "/chat/completions",
           chat("claude-sonnet-4.5", true, "x [[sim:chunk_delay_ms=50]]"), auth(token_));
    std::string head;
    char buf[512];
    while (head.find("\r\n\r\n") == std::string::npos) {
      error_code ec;
      const size_t n = c.socket().read_some(net::buffer(buf), ec);
      ASSERT_FALSE(ec) << ec.message();
      head.append(buf, n);
    }
    EXPECT_NE(head.find("x-quota-snapshot-premium_interactions: ent=300&ov=0.0&ovPerm=false&"
                        "rem=99.67&rst=" +
                        default_reset_date() + "T00%3A00%3A00Z\r\n"),
              std::string::npos)
        << head;
    error_code ignored;
    c.socket().close(ignored);  // the client leaves mid-stream
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (sim_->stats("sim-user").cancelled_streams == 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const AccountStats st = sim_->stats("sim-user");
  EXPECT_EQ(st.cancelled_streams, 1u);
  EXPECT_DOUBLE_EQ(st.premium_used, 1);
  EXPECT_DOUBLE_EQ(st.premium_remaining, 299);
}

}  // namespace
}  // namespace cg::sim
