// Operations: /v1/models (shape, cache, coalescing), health and readiness, Prometheus metrics,
// keep-alive, and graceful shutdown that lets an open stream finish.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <thread>

#include "harness.h"

namespace cg::test {
namespace {

namespace json = boost::json;

TEST(Models, OpenAiShapeWithCopilotMetadata) {
  auto env = start_env();
  Response r = request(env->port(), http::verb::get, "/v1/models");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("object").as_string(), "list");
  bool saw_sonnet = false, saw_gpt41 = false;
  for (auto& m : v.at("data").as_array()) {
    auto& o = m.as_object();
    EXPECT_EQ(o.at("object").as_string(), "model");
    EXPECT_TRUE(o.contains("created") && o.contains("owned_by"));
    if (o.at("id").as_string() == "claude-sonnet-4.5") {
      saw_sonnet = true;
      EXPECT_GT(o.at("billing").at("multiplier").to_number<double>(), 0.0);
      EXPECT_TRUE(o.contains("supported_endpoints"));
      EXPECT_TRUE(o.contains("limits"));
    }
    if (o.at("id").as_string() == "gpt-4.1") {
      saw_gpt41 = true;
      EXPECT_EQ(o.at("billing").at("multiplier").to_number<double>(), 0.0);
    }
  }
  EXPECT_TRUE(saw_sonnet && saw_gpt41);
  Response one = request(env->port(), http::verb::get, "/v1/models/gpt-4.1");
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(json::parse(one.body).at("id").as_string(), "gpt-4.1");
  Response missing = request(env->port(), http::verb::get, "/v1/models/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(missing.body).at("error").at("code").as_string(), "model_not_found");
}

TEST(Models, ConcurrentMissesMakeOneUpstreamCallAndTheCacheHolds) {
  auto env = start_env();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i)
    threads.emplace_back(
        [&] { ok += request(env->port(), http::verb::get, "/v1/models").status == 200; });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), 16);
  EXPECT_EQ(env->gw->models().fetches(), 1u);
  EXPECT_EQ(request(env->port(), http::verb::get, "/v1/models").status, 200);
  EXPECT_EQ(env->gw->models().fetches(), 1u);
}

TEST(Ops, HealthReadyAndMetrics) {
  auto env = start_env();
  EXPECT_EQ(request(env->port(), http::verb::get, "/healthz").status, 200);
  Response ready = request(env->port(), http::verb::get, "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "m")).status, 200);
  ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "m", true)).status, 200);
  // The client may see the end of a response just before the gateway counts it.
  Response m;
  eventually([&] {
    m = request(env->port(), http::verb::get, "/metrics");
    return m.body.find(R"(stream="true",status="200"} 1)") != std::string::npos;
  });
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.header("content-type").find("text/plain"), std::string::npos);
  for (const char* name :
       {"http_requests_total", "http_request_duration_seconds_bucket", "http_requests_in_flight",
        "copilot_chat_completions_total", "copilot_chat_completion_duration_seconds_bucket",
        "copilot_image_attachments_total"})
    EXPECT_NE(m.body.find(name), std::string::npos) << name;
  EXPECT_NE(m.body.find(
                R"(http_requests_total{method="POST",path="/v1/chat/completions",status="200"} 2)"),
            std::string::npos)
      << m.body.substr(0, 2000);
  EXPECT_NE(m.body.find(
                R"(copilot_chat_completions_total{model="gpt-4.1",stream="true",status="200"} 1)"),
            std::string::npos);
}

TEST(Ops, KeepAliveServesManyRequestsOnOneConnection) {
  auto env = start_env();
  net::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), env->port()));
  beast::flat_buffer buf;
  for (int i = 0; i < 20; ++i) {
    http::request<http::string_body> req{http::verb::post, "/v1/chat/completions", 11};
    req.set(http::field::host, "x");
    req.set(http::field::authorization, std::string("Bearer ") + kApiKey);
    req.body() = chat_body("gpt-4.1", "ka" + std::to_string(i), i % 2 == 1);
    req.prepare_payload();
    http::write(s, req);
    http::response<http::string_body> res;
    http::read(s, buf, res);
    ASSERT_EQ(res.result_int(), 200);
    ASSERT_TRUE(res.keep_alive());
  }
}

TEST(Ops, ShutdownLetsAnOpenStreamFinishAndRefusesNewWork) {
  auto env = start_env();
  StreamClient s(env->port(),
                 chat_body("gpt-4.1", "drain [[sim:chunks=10]] [[sim:chunk_delay_ms=100]]", true));
  ASSERT_EQ(s.status(), 200);
  ASSERT_TRUE(s.read_some());
  std::thread stopper([&] { env->gw->shutdown(); });
  // New connections are no longer accepted once shutdown began.
  EXPECT_TRUE(eventually(
      [&] {
        net::io_context io;
        tcp::socket probe(io);
        error_code ec;
        probe.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), env->port()), ec);
        return bool(ec);
      },
      std::chrono::seconds(2)));
  while (s.read_some()) {
  }
  stopper.join();
  EXPECT_NE(s.received().find("data: [DONE]"), std::string::npos);
  EXPECT_EQ(s.received().find("\"error\""), std::string::npos);
}

}  // namespace
}  // namespace cg::test
