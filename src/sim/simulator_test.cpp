// In-process tests of the Simulator over real sockets: GitHub device flow and token exchange,
// /models, chat completions (plain, tools, SSE), faults, auth failures, stats and the /_sim
// control surface. Test thread only (the simulator runs its own worker thread).
#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "sim/sim_test_client.h"

namespace cg::sim {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::Headers;
using testing::Response;
using testing::sse_data;

std::string chat_body(const std::string& model, const std::string& text, bool stream = false,
                      const std::string& extra = {}) {
  json::object body{{"model", model},
                    {"stream", stream},
                    {"messages", json::array{json::object{{"role", "user"}, {"content", text}}}}};
  std::string s = json::serialize(body);
  if (!extra.empty()) s.insert(s.size() - 1, "," + extra);
  return s;
}

constexpr const char* kTools =
    R"("tools":[{"type":"function","function":{"name":"search","parameters":)"
    R"({"type":"object","properties":{"query":{"type":"string"}}}}}])";

class SimTest : public ::testing::Test {
 protected:
  void start(SimConfig cfg = {}) {
    sim_ = std::make_unique<Simulator>(std::move(cfg));
    sim_->start();
  }
  void SetUp() override {}
  Client client() { return Client(sim_->port()); }

  std::string copilot_token(const std::string& github = "ghu_sim_default") {
    Client c = client();
    Response r = c.get("/copilot_internal/v2/token", {{"authorization", "token " + github}});
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(r.json().at("token").as_string());
  }
  Headers auth(const std::string& token, Headers more = {}) {
    more.emplace_back("authorization", "Bearer " + token);
    return more;
  }
  std::unique_ptr<Simulator> sim_;
};

// ---------------------------------------------------------------- GitHub side

std::string poll(Client& c, const std::string& device_code) {
  Response r = c.post("/login/oauth/access_token",
                      json::serialize(json::object{
                          {"client_id", "Iv1.b507a08c87ecfe98"},
                          {"device_code", device_code},
                          {"grant_type", "urn:ietf:params:oauth:grant-type:device_code"}}));
  EXPECT_EQ(r.status, 200);
  const json::object o = r.json().as_object();
  if (o.contains("access_token")) return "token:" + std::string(o.at("access_token").as_string());
  std::string e(o.at("error").as_string());
  if (o.contains("interval")) e += ":" + std::to_string(o.at("interval").as_int64());
  return e;
}

std::string new_device_code(Client& c, const std::string& base) {
  Response r =
      c.post("/login/device/code", R"({"client_id":"Iv1.b507a08c87ecfe98","scope":"read:user"})");
  EXPECT_EQ(r.status, 200);
  const json::value v = r.json();
  EXPECT_TRUE(std::regex_match(std::string(v.at("user_code").as_string()),
                               std::regex("[A-Z0-9]{4}-[A-Z0-9]{4}")));
  EXPECT_EQ(v.at("verification_uri").as_string(), base + "/login/device");
  EXPECT_EQ(v.at("expires_in"), 900);
  EXPECT_EQ(v.at("interval"), 5);
  return std::string(v.at("device_code").as_string());
}

TEST_F(SimTest, DeviceFlowPendingThenToken) {
  SimConfig cfg;
  cfg.device_approve_after_polls = 3;
  start(cfg);
  Client c = client();
  const std::string code = new_device_code(c, sim_->base_url());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(poll(c, code), "authorization_pending");
  EXPECT_EQ(poll(c, code), "token:ghu_sim_default");
  EXPECT_EQ(poll(c, code), "expired_token");  // consumed
  EXPECT_EQ(poll(c, "no-such-code"), "expired_token");
}

TEST_F(SimTest, DeviceFlowFormBodyAccepted) {
  SimConfig cfg;
  cfg.device_approve_after_polls = 0;
  start(cfg);
  Client c = client();
  const std::string code = new_device_code(c, sim_->base_url());
  Response r = c.post("/login/oauth/access_token", "client_id=x&device_code=" + code,
                      {{"content-type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.json().at("access_token"), "ghu_sim_default");
  EXPECT_EQ(r.json().at("token_type"), "bearer");
}

TEST_F(SimTest, DeviceFlowSlowDownOnce) {
  SimConfig cfg;
  cfg.device_outcome = "slow_down_once";
  cfg.device_approve_after_polls = 1;
  start(cfg);
  Client c = client();
  const std::string code = new_device_code(c, sim_->base_url());
  EXPECT_EQ(poll(c, code), "slow_down:10");
  EXPECT_EQ(poll(c, code), "authorization_pending");
  EXPECT_EQ(poll(c, code), "token:ghu_sim_default");
}

TEST_F(SimTest, DeviceFlowExpireAndDeny) {
  for (const char* outcome : {"expire", "deny"}) {
    SimConfig cfg;
    cfg.device_outcome = outcome;
    cfg.device_approve_after_polls = 1;
    start(cfg);
    Client c = client();
    const std::string code = new_device_code(c, sim_->base_url());
    EXPECT_EQ(poll(c, code), "authorization_pending");
    EXPECT_EQ(poll(c, code), std::string(outcome) == "deny" ? "access_denied" : "expired_token");
  }
}

TEST_F(SimTest, TokenExchange) {
  SimConfig cfg;
  cfg.token_lifetime_s = 100;
  cfg.refresh_in_s = 2;
  start(cfg);
  Client c = client();
  Response r = c.get("/copilot_internal/v2/token", {{"authorization", "token ghu_sim_default"}});
  ASSERT_EQ(r.status, 200);
  const json::value v = r.json();
  const std::string token(v.at("token").as_string());
  EXPECT_TRUE(token.starts_with("tid=")) << token;
  EXPECT_NE(token.find(";exp="), std::string::npos);
  const int64_t now = std::time(nullptr);
  EXPECT_NEAR(static_cast<double>(v.at("expires_at").as_int64()), static_cast<double>(now + 100),
              2.0);
  EXPECT_EQ(v.at("refresh_in"), 2);
  EXPECT_EQ(v.at("sku"), "monthly_subscriber");
  EXPECT_EQ(v.at("chat_enabled"), true);
  EXPECT_EQ(v.at("endpoints").at("api").as_string(), sim_->base_url());

  // Bearer works too, and every token is new.
  Response again =
      c.get("/copilot_internal/v2/token", {{"authorization", "Bearer ghu_sim_default"}});
  ASSERT_EQ(again.status, 200);
  EXPECT_NE(std::string(again.json().at("token").as_string()), token);
  EXPECT_EQ(sim_->stats("sim-user").token_exchanges, 2u);

  Response bad = c.get("/copilot_internal/v2/token", {{"authorization", "token ghu_nope"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.json().at("message"), "Bad credentials");
  EXPECT_EQ(bad.json().at("status"), "401");
  EXPECT_EQ(c.get("/copilot_internal/v2/token").status, 401);
  EXPECT_EQ(sim_->stats("sim-user").token_exchanges, 2u);
}

TEST_F(SimTest, ApiBaseUrlOverride) {
  SimConfig cfg;
  cfg.api_base_url = "http://127.0.0.1:1/copilot";
  start(cfg);
  Client c = client();
  Response r = c.get("/copilot_internal/v2/token", {{"authorization", "token ghu_sim_default"}});
  EXPECT_EQ(r.json().at("endpoints").at("api"), "http://127.0.0.1:1/copilot");
}

TEST_F(SimTest, QuotaSnapshot) {
  SimConfig cfg;
  cfg.accounts[0].premium_entitlement = 300;
  cfg.accounts[0].premium_remaining = 75;
  start(cfg);
  Client c = client();
  Response r = c.get("/copilot_internal/user", {{"authorization", "token ghu_sim_default"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value v = r.json();
  EXPECT_EQ(v.at("copilot_plan"), "individual_pro");
  EXPECT_EQ(v.at("quota_reset_date").as_string(), default_reset_date());
  EXPECT_EQ(v.at("quota_snapshots").at("chat").at("unlimited"), true);
  EXPECT_EQ(v.at("quota_snapshots").at("chat").at("entitlement"), -1);
  const auto& p = v.at("quota_snapshots").at("premium_interactions");
  EXPECT_EQ(p.at("entitlement"), 300);
  EXPECT_EQ(json::value_to<double>(p.at("remaining")), 75.0);
  EXPECT_EQ(json::value_to<double>(p.at("percent_remaining")), 25.0);
  EXPECT_EQ(p.at("unlimited"), false);
  EXPECT_EQ(p.at("quota_id"), "premium_interactions");
  EXPECT_EQ(c.get("/copilot_internal/user", {{"authorization", "token x"}}).status, 401);
}

// ---------------------------------------------------------------- Copilot side

TEST_F(SimTest, ModelsCatalog) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  EXPECT_EQ(c.get("/models").status, 401);
  Response r = c.get("/models", auth(token));
  ASSERT_EQ(r.status, 200);
  const json::value v = r.json();
  EXPECT_EQ(v.at("object"), "list");
  std::map<std::string, json::value> by_id;
  for (const auto& m : v.at("data").as_array())
    by_id[std::string(m.at("id").as_string())] = m;
  const std::map<std::string, double> multipliers = {{"gpt-4.1", 0},
                                                     {"gpt-4o", 0},
                                                     {"gpt-5-mini", 0},
                                                     {"gpt-5.1-codex", 1},
                                                     {"claude-sonnet-4.5", 1},
                                                     {"claude-haiku-4.5", 0.33},
                                                     {"claude-opus-4.1", 10},
                                                     {"gemini-2.5-pro", 1},
                                                     {"text-embedding-3-small", 0}};
  for (const auto& [id, mult] : multipliers) {
    ASSERT_TRUE(by_id.contains(id)) << id;
    EXPECT_DOUBLE_EQ(json::value_to<double>(by_id[id].at("billing").at("multiplier")), mult) << id;
    EXPECT_EQ(by_id[id].at("object"), "model");
    EXPECT_EQ(by_id[id].at("policy").at("state"), "enabled");
  }
  EXPECT_EQ(by_id["gpt-5.1-codex"].at("supported_endpoints"), json::parse(R"(["/responses"])"));
  EXPECT_EQ(by_id["claude-sonnet-4.5"].at("supported_endpoints"),
            json::parse(R"(["/chat/completions","/v1/messages"])"));
  EXPECT_EQ(by_id["gpt-4.1"].at("supported_endpoints"),
            json::parse(R"(["/chat/completions","/responses"])"));
  EXPECT_EQ(by_id["text-embedding-3-small"].at("capabilities").at("type"), "embeddings");
  EXPECT_EQ(by_id["claude-sonnet-4.5"].at("capabilities").at("supports").at("thinking"), true);
  EXPECT_TRUE(by_id["gpt-4o"].at("capabilities").at("limits").as_object().contains("vision"));
  EXPECT_EQ(sim_->stats("sim-user").last_copilot_token, token);
}

TEST_F(SimTest, ChatPlainAndToolMessage) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  Response r = c.post("/chat/completions", chat_body("gpt-4.1", "hello"), auth(token));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_FALSE(r.headers["x-request-id"].empty());
  json::value v = r.json();
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content"), "You said: hello");
  EXPECT_EQ(v.at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_TRUE(std::string(v.at("id").as_string()).starts_with("chatcmpl-"));

  const std::string tool_body =
      R"({"model":"gpt-4.1","messages":[{"role":"user","content":"q"},)"
      R"({"role":"tool","tool_call_id":"call_1","content":"42 results"}]})";
  r = c.post("/chat/completions", tool_body, auth(token));  // same keep-alive connection
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("choices").at(0).at("message").at("content"),
            "Tool result received: 42 results");
  EXPECT_EQ(sim_->stats("sim-user").completions, 2u);
}

TEST_F(SimTest, ChatToolCallNonStreaming) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  Response r =
      c.post("/chat/completions", chat_body("gpt-4.1", "cats", false, kTools), auth(token));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = r.json();
  ASSERT_EQ(v.at("choices").as_array().size(), 1u);
  const auto& call = v.at("choices").at(0).at("message").at("tool_calls").at(0);
  EXPECT_TRUE(std::string(call.at("id").as_string()).starts_with("call_"));
  EXPECT_EQ(call.at("function").at("name"), "search");
  EXPECT_EQ(json::parse(call.at("function").at("arguments").as_string()),
            json::parse(R"({"query":"cats"})"));
  EXPECT_EQ(v.at("choices").at(0).at("finish_reason"), "tool_calls");

  r = c.post("/chat/completions", chat_body("claude-haiku-4.5", "cats", false, kTools),
             auth(token));
  v = r.json();
  ASSERT_EQ(v.at("choices").as_array().size(), 2u);
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content"), "I'll use the search tool.");
  EXPECT_EQ(v.at("choices").at(1).at("index"), 1);
  EXPECT_EQ(v.at("choices").at(1).at("finish_reason"), "tool_calls");
  EXPECT_EQ(v.at("choices").at(1).at("message").at("tool_calls").at(0).at("function").at("name"),
            "search");
}

TEST_F(SimTest, ChatToolCallStreaming) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  Response r = c.post("/chat/completions", chat_body("claude-sonnet-4.5", "dogs", true, kTools),
                      auth(token));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/event-stream");
  const auto events = sse_data(r.body);
  ASSERT_GE(events.size(), 6u);
  EXPECT_EQ(events.back(), "[DONE]");
  const json::value first = json::parse(events[0]);
  EXPECT_EQ(first.at("choices").at(0).at("delta").at("role"), "assistant");
  const std::string id(first.at("id").as_string());
  std::string args, name, call_id, content, finish;
  int fragments = 0;
  bool usage_seen = false;
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    const json::value e = json::parse(events[i]);
    EXPECT_EQ(e.at("id").as_string(), id);
    EXPECT_EQ(e.at("object"), "chat.completion.chunk");
    const auto& choices = e.at("choices").as_array();
    if (choices.empty()) {
      EXPECT_EQ(i, events.size() - 2);  // the usage chunk comes right before [DONE]
      EXPECT_GT(e.at("usage").at("total_tokens").as_int64(), 0);
      usage_seen = true;
      continue;
    }
    EXPECT_EQ(choices[0].at("index"), 0);  // streams keep index 0 only
    if (!choices[0].at("finish_reason").is_null())
      finish = std::string(choices[0].at("finish_reason").as_string());
    const auto& delta = choices[0].at("delta").as_object();
    if (auto* c2 = delta.if_contains("content")) content += c2->as_string();
    if (auto* tc = delta.if_contains("tool_calls")) {
      const auto& t = tc->at(0).as_object();
      EXPECT_EQ(t.at("index"), 0);
      if (t.contains("id")) {
        call_id = std::string(t.at("id").as_string());
        name = std::string(t.at("function").at("name").as_string());
        EXPECT_EQ(t.at("type"), "function");
        EXPECT_EQ(t.at("function").at("arguments"), "");
      } else {
        args += t.at("function").at("arguments").as_string();
        ++fragments;
      }
    }
  }
  EXPECT_TRUE(usage_seen);
  EXPECT_EQ(finish, "tool_calls");
  EXPECT_EQ(name, "search");
  EXPECT_TRUE(call_id.starts_with("call_"));
  EXPECT_GE(fragments, 3);
  EXPECT_EQ(json::parse(args), json::parse(R"({"query":"dogs"})"));
  EXPECT_EQ(content, "I'll use the search tool.");
}

std::string streamed_content(const std::vector<std::string>& events, int* deltas) {
  std::string content;
  *deltas = 0;
  for (const auto& ev : events) {
    if (ev == "[DONE]") continue;
    const json::value e = json::parse(ev);
    if (e.at("choices").as_array().empty()) continue;
    const auto& delta = e.at("choices").at(0).at("delta").as_object();
    if (delta.contains("role")) continue;
    if (auto* c = delta.if_contains("content")) {
      content += c->as_string();
      ++*deltas;
    }
  }
  return content;
}

TEST_F(SimTest, StreamChunkCount) {
  SimConfig cfg;
  cfg.default_stream_chunks = 5;
  start(cfg);
  const std::string token = copilot_token();
  Client c = client();
  int deltas = 0;
  Response r = c.post("/chat/completions", chat_body("gpt-4o", "hello world", true), auth(token));
  EXPECT_EQ(streamed_content(sse_data(r.body), &deltas), "You said: hello world");
  EXPECT_EQ(deltas, 5);
  r = c.post("/chat/completions", chat_body("gpt-4o", "hello world [[sim:chunks=9]]", true),
             auth(token));
  EXPECT_EQ(streamed_content(sse_data(r.body), &deltas), "You said: hello world");
  EXPECT_EQ(deltas, 9);
  r = c.post("/chat/completions", chat_body("gpt-4o", "hello world", true),
             auth(token, {{"x-sim-fault", "chunks=2"}}));
  EXPECT_EQ(streamed_content(sse_data(r.body), &deltas), "You said: hello world");
  EXPECT_EQ(deltas, 2);
}

TEST_F(SimTest, FaultStatusWithRetryAfter) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  Response r = c.post("/chat/completions",
                      chat_body("gpt-4.1", "x [[sim:status=429,retry_after=1]]"), auth(token));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers["retry-after"], "1");
  EXPECT_EQ(r.json().at("error").at("code"), "rate_limited");
  EXPECT_EQ(r.json().at("error").at("message"), "simulated 429");

  r = c.post("/chat/completions", chat_body("gpt-4.1", "x", true),
             auth(token, {{"x-sim-fault", "status=503"}}));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.json().at("error").at("code"), "server_error");
  EXPECT_EQ(r.headers.count("retry-after"), 0u);

  Fault f;
  f.status = 500;
  f.retry_after_s = 7;
  sim_->set_fault("sim-user", f);
  r = c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(token));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.headers["retry-after"], "7");
  sim_->set_fault("sim-user", Fault{});
  EXPECT_EQ(c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(token)).status, 200);
}

TEST_F(SimTest, FirstByteDelay) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  const auto t0 = std::chrono::steady_clock::now();
  Response r = c.post("/chat/completions",
                      chat_body("gpt-4.1", "x [[sim:first_byte_delay_ms=300]]"), auth(token));
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(ms, 295);
  EXPECT_LT(ms, 3000);
  const auto t1 = std::chrono::steady_clock::now();
  c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(token));
  EXPECT_LT(std::chrono::steady_clock::now() - t1, std::chrono::milliseconds(250));
}

TEST_F(SimTest, DropAfterClosesConnection) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  Response r = c.post("/chat/completions", chat_body("gpt-4.1", "x [[sim:drop_after=3]]", true),
                      auth(token));
  EXPECT_TRUE(r.ec) << "response should be truncated";
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(sse_data(r.body).size(), 3u);
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_EQ(sim_->stats("sim-user").cancelled_streams, 0u);  // the server dropped, not the client
}

TEST_F(SimTest, ChunkDelayAndClientCancel) {
  start();
  const std::string token = copilot_token();
  {
    Client c = client();
    const auto t0 = std::chrono::steady_clock::now();
    Response r =
        c.post("/chat/completions",
               chat_body("gpt-4.1", "x [[sim:chunk_delay_ms=20,chunks=3]]", true), auth(token));
    EXPECT_FALSE(r.ec);
    const size_t events = sse_data(r.body).size();
    EXPECT_GE(std::chrono::steady_clock::now() - t0,
              std::chrono::milliseconds(20 * static_cast<int>(events - 1) - 5));
  }
  {
    Client c = client();
    c.send(http::verb::post, "/chat/completions",
           chat_body("gpt-4.1", "x [[sim:chunk_delay_ms=30]]", true), auth(token));
    char buf[64];
    c.socket().read_some(net::buffer(buf));  // the stream has started
    error_code ignored;
    c.socket().close(ignored);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (sim_->stats("sim-user").cancelled_streams == 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(sim_->stats("sim-user").cancelled_streams, 1u);
}

TEST_F(SimTest, RevokedExpiredAndUnknownTokens) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  EXPECT_EQ(c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(token)).status, 200);
  sim_->revoke_tokens("sim-user");
  Response r = c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(token));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json().at("error").at("code"), "token_expired");
  EXPECT_EQ(c.get("/models", auth(token)).status, 401);
  EXPECT_EQ(sim_->stats("sim-user").unauthorized, 2u);

  const std::string fresh = copilot_token();  // a new token works again
  EXPECT_EQ(c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(fresh)).status, 200);

  sim_->set_token_lifetime(0, 0);
  const std::string expired = copilot_token();
  EXPECT_EQ(c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(expired)).status, 401);
  EXPECT_EQ(sim_->stats("sim-user").unauthorized, 3u);

  EXPECT_EQ(c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth("bogus")).status, 401);
  EXPECT_EQ(c.post("/chat/completions", chat_body("gpt-4.1", "x")).status, 401);

  Fault f;
  f.revoke_token = true;
  sim_->set_fault("sim-user", f);
  EXPECT_EQ(c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(fresh)).status, 401);
  EXPECT_EQ(sim_->stats("sim-user").unauthorized, 4u);
  EXPECT_EQ(sim_->stats("sim-user").completions, 2u);
}

TEST_F(SimTest, StaticCopilotToken) {
  SimConfig cfg;
  cfg.static_copilot_token = "static-bench-token";
  start(cfg);
  Client c = client();
  EXPECT_EQ(
      c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth("static-bench-token")).status,
      200);
  EXPECT_EQ(sim_->stats("sim-user").completions, 1u);
}

TEST_F(SimTest, RecordsInitiatorVisionHeadersAndBody) {
  SimConfig cfg;
  SimAccount second;
  second.login = "sim-user-2";
  second.github_token = "ghu_sim_2";
  cfg.accounts.push_back(second);
  start(cfg);
  const std::string t1 = copilot_token(), t2 = copilot_token("ghu_sim_2");
  Client c = client();
  const std::string body = chat_body("gpt-4.1", "x");
  c.post("/chat/completions", body, auth(t1, {{"X-Initiator", "user"}}));
  c.post("/chat/completions", body, auth(t1, {{"X-Initiator", "agent"}}));
  c.post("/chat/completions", body,
         auth(t1, {{"X-Initiator", "agent"},
                   {"Copilot-Vision-Request", "true"},
                   {"Editor-Version", "vscode/1.104.3"}}));
  c.post("/chat/completions", chat_body("gpt-4o", "other"), auth(t2, {{"X-Initiator", "user"}}));
  const AccountStats s1 = sim_->stats("sim-user");
  EXPECT_EQ(s1.completions, 3u);
  EXPECT_EQ(s1.initiator_user, 1u);
  EXPECT_EQ(s1.initiator_agent, 2u);
  EXPECT_EQ(s1.vision_requests, 1u);
  EXPECT_EQ(s1.last_copilot_token, t1);
  EXPECT_EQ(s1.last_headers.at("editor-version"), "vscode/1.104.3");
  EXPECT_EQ(s1.last_headers.at("x-initiator"), "agent");
  EXPECT_EQ(s1.last_headers.at("authorization"), "Bearer " + t1);
  EXPECT_EQ(s1.last_body, body);
  const AccountStats s2 = sim_->stats("sim-user-2");
  EXPECT_EQ(s2.completions, 1u);
  EXPECT_EQ(s2.initiator_user, 1u);
  EXPECT_EQ(s2.last_copilot_token, t2);
  EXPECT_EQ(sim_->stats("nobody").completions, 0u);

  sim_->reset_stats();
  EXPECT_EQ(sim_->stats("sim-user").completions, 0u);
  EXPECT_TRUE(sim_->stats("sim-user").last_headers.empty());
}

TEST_F(SimTest, StatsByEndpoint) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  const std::string chat = chat_body("gpt-4.1", "x");
  const std::string responses = R"({"model":"gpt-5","input":"x"})";
  const std::string messages =
      R"({"model":"claude-sonnet-4.5","max_tokens":64,"messages":[{"role":"user","content":"x"}]})";
  const std::string embeddings = R"({"model":"text-embedding-3-small","input":"x"})";
  EXPECT_EQ(c.post("/chat/completions", chat, auth(token, {{"X-Initiator", "user"}})).status, 200);
  EXPECT_EQ(c.post("/chat/completions", chat, auth(token)).status, 200);
  EXPECT_EQ(c.post("/responses", responses, auth(token, {{"X-Initiator", "agent"}})).status, 200);
  EXPECT_EQ(c.post("/embeddings", embeddings, auth(token)).status, 200);
  EXPECT_EQ(c.post("/v1/messages", messages,
                   auth(token, {{"X-Initiator", "agent"},
                                {"Copilot-Vision-Request", "true"},
                                {"anthropic-version", "2023-06-01"}}))
                .status,
            200);
  EXPECT_EQ(c.post("/v1/messages", messages, auth("bogus")).status, 401);  // not attributable
  sim_->revoke_tokens("sim-user");
  EXPECT_EQ(c.post("/responses", responses, auth(token)).status, 401);
  EXPECT_EQ(c.post("/embeddings", embeddings, auth(token)).status, 401);

  const AccountStats s = sim_->stats("sim-user");
  EXPECT_EQ(s.completions, 5u);
  const std::map<std::string, uint64_t> expected = {
      {"/chat/completions", 2}, {"/responses", 1}, {"/v1/messages", 1}, {"/embeddings", 1}};
  EXPECT_EQ(s.by_endpoint, expected);
  EXPECT_EQ(s.initiator_user, 1u);
  EXPECT_EQ(s.initiator_agent, 2u);
  EXPECT_EQ(s.vision_requests, 1u);
  EXPECT_EQ(s.unauthorized, 2u);
  EXPECT_EQ(s.last_body, messages);
  EXPECT_EQ(s.last_headers.at("anthropic-version"), "2023-06-01");
  EXPECT_EQ(s.last_copilot_token, token);

  const json::value j = c.get("/_sim/stats").json().at("accounts").at("sim-user");
  EXPECT_EQ(j.at("by_endpoint"), json::parse(R"({"/chat/completions":2,"/responses":1,)"
                                             R"("/v1/messages":1,"/embeddings":1})"));
  EXPECT_EQ(j.at("completions"), 5);
  sim_->reset_stats();
  EXPECT_EQ(sim_->stats("sim-user").by_endpoint.at("/v1/messages"), 0u);
}

TEST_F(SimTest, ChatValidationErrors) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  Response r = c.post("/chat/completions", "{oops", auth(token));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("error").at("code"), "invalid_request_body");
  EXPECT_EQ(r.json().at("error").at("type"), "invalid_request_error");
  EXPECT_TRUE(r.json().at("error").at("param").is_null());
  r = c.post("/chat/completions", chat_body("gpt-7", "x"), auth(token));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("error").at("code"), "model_not_supported");
  r = c.post("/chat/completions", chat_body("gpt-5.1-codex", "x"), auth(token));
  EXPECT_EQ(r.json().at("error").at("code"), "unsupported_api_for_model");
}

TEST_F(SimTest, RoutingErrors) {
  start();
  Client c = client();
  // The API endpoints are routed (401 without a token), with their own error shapes.
  Response r = c.post("/embeddings", "{}");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json().at("error").at("code"), "unauthorized");
  EXPECT_EQ(c.post("/responses", "{}").status, 401);
  r = c.post("/v1/messages", "{}");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json().at("type"), "error");
  EXPECT_EQ(r.json().at("error").at("type"), "authentication_error");
  EXPECT_EQ(c.get("/v1/messages").status, 405);
  r = c.get("/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(r.json().at("error").is_object());
  EXPECT_EQ(c.post("/models", "{}").status, 405);
  EXPECT_EQ(c.get("/chat/completions").status, 405);
}

TEST_F(SimTest, ControlSurface) {
  start();
  const std::string token = copilot_token();
  Client c = client();
  c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(token, {{"x-initiator", "user"}}));
  Response r = c.get("/_sim/stats");
  ASSERT_EQ(r.status, 200);
  const json::value s = r.json().at("accounts").at("sim-user");
  EXPECT_EQ(s.at("completions"), 1);
  EXPECT_EQ(s.at("initiator_user"), 1);
  EXPECT_EQ(s.at("token_exchanges"), 1);
  EXPECT_EQ(s.at("last_copilot_token").as_string(), token);
  EXPECT_EQ(s.at("last_headers").at("x-initiator"), "user");
  EXPECT_FALSE(s.as_object().contains("last_body"));

  r = c.post("/_sim/fault", R"({"login":"sim-user","status":429,"retry_after_s":3})");
  EXPECT_EQ(r.status, 200);
  r = c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(token));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers["retry-after"], "3");
  EXPECT_EQ(c.post("/_sim/fault", R"({"login":"nobody"})").status, 400);
  c.post("/_sim/fault", R"({"login":"sim-user"})");
  EXPECT_EQ(c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(token)).status, 200);

  EXPECT_EQ(c.post("/_sim/reset", "").status, 200);
  EXPECT_EQ(c.get("/_sim/stats").json().at("accounts").at("sim-user").at("completions"), 0);
  EXPECT_EQ(sim_->stats("sim-user").completions, 0u);
}

TEST_F(SimTest, ThreadsShareOnePort) {
  SimConfig cfg;
  cfg.threads = 2;
  start(cfg);
  const std::string token = copilot_token();
  for (int i = 0; i < 8; ++i) {
    Client c = client();
    EXPECT_EQ(c.post("/chat/completions", chat_body("gpt-4.1", "x"), auth(token)).status, 200);
  }
  EXPECT_EQ(sim_->stats("sim-user").completions, 8u);
  sim_->stop();
  sim_->stop();  // idempotent
}

TEST(Simulator, StartThrowsWhenBindFails) {
  // SO_REUSEPORT would let a second simulator share a busy port, so provoke the failure with an
  // address this host does not own (TEST-NET-3) and with a malformed host.
  SimConfig cfg;
  cfg.host = "203.0.113.1";
  Simulator foreign(cfg);
  EXPECT_THROW(foreign.start(), std::runtime_error);
  cfg.host = "not-an-ip";
  Simulator malformed(cfg);
  EXPECT_THROW(malformed.start(), std::runtime_error);
}

}  // namespace
}  // namespace cg::sim
