// Errors in OpenAI shape with the right status, for bad client input and upstream failures;
// hostile input never crashes or hangs the server.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <random>

#include "harness.h"

namespace cg::test {
namespace {

namespace json = boost::json;

// Every error body carries all four OpenAI keys.
json::object error_of(const Response& r) {
  auto v = json::parse(r.body).as_object();
  auto& e = v.at("error").as_object();
  EXPECT_TRUE(e.contains("message") && e.contains("type") && e.contains("param") &&
              e.contains("code"))
      << r.body;
  return e;
}

class Errors : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = start_env({}, [](Config& c) {
      c.server.max_body_bytes = 64 * 1024;
      c.server.max_header_bytes = 8 * 1024;
    });
  }
  std::unique_ptr<Env> env_;
};

TEST_F(Errors, MalformedJsonIs400) {
  Response r = post_chat(env_->port(), R"({"model":"gpt-4.1","messages":[)");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_of(r).at("type").as_string(), "invalid_request_error");
}

TEST_F(Errors, MissingFieldsAre400WithParam) {
  Response r = post_chat(env_->port(), R"({"model":"gpt-4.1"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_of(r).at("param").as_string(), "messages");
  Response m = post_chat(env_->port(), R"({"messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(m.status, 400);
  EXPECT_EQ(error_of(m).at("param").as_string(), "model");
  Response s =
      post_chat(env_->port(),
                R"({"model":"gpt-4.1","stream":"yes","messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(s.status, 400);
}

TEST_F(Errors, UnknownRouteIs404AndWrongMethodIs405) {
  Response r = request(env_->port(), http::verb::get, "/v1/nothing-here");
  EXPECT_EQ(r.status, 404);
  error_of(r);
  Response m = request(env_->port(), http::verb::get, "/v1/chat/completions");
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.header("allow"), "POST");
  error_of(m);
}

TEST_F(Errors, MissingOrWrongKeyIs401) {
  Response none = request(env_->port(), http::verb::post, "/v1/chat/completions",
                          chat_body("gpt-4.1", "x"), {}, false);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(error_of(none).at("code").as_string(), "invalid_api_key");
  Response wrong = request(env_->port(), http::verb::post, "/v1/chat/completions",
                           chat_body("gpt-4.1", "x"), {{"authorization", "Bearer nope"}}, false);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body.find("nope"), std::string::npos);
  // Probes stay open for orchestrators.
  EXPECT_EQ(request(env_->port(), http::verb::get, "/healthz", {}, {}, false).status, 200);
}

TEST_F(Errors, OversizeBodyIs413AndOversizeHeaderIs431) {
  std::string big = chat_body("gpt-4.1", std::string(100 * 1024, 'a'));
  Response r = post_chat(env_->port(), big);
  EXPECT_EQ(r.status, 413);
  error_of(r);
  Response h = request(env_->port(), http::verb::get, "/v1/models", {},
                       {{"x-filler", std::string(16 * 1024, 'b')}});
  EXPECT_EQ(h.status, 431);
  // The server is still fine afterwards.
  EXPECT_EQ(post_chat(env_->port(), chat_body("gpt-4.1", "ok")).status, 200);
}

TEST_F(Errors, UpstreamStatusesArePassedOnWithTheirMessage) {
  Response m = post_chat(env_->port(), chat_body("no-such-model", "x"));
  EXPECT_EQ(m.status, 400);
  EXPECT_EQ(error_of(m).at("code").as_string(), "model_not_supported");
  Response s = post_chat(env_->port(), chat_body("gpt-4.1", "x [[sim:status=503]]", true));
  EXPECT_EQ(s.status, 503);
  error_of(s);  // Last: the 429 also rests the (only) account for its retry-after.
  Response r = post_chat(env_->port(), chat_body("gpt-4.1", "x [[sim:status=429,retry_after=7]]"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "7");
  EXPECT_NE(std::string(error_of(r).at("message").as_string()).find("simulated"),
            std::string::npos);
  Response rested = post_chat(env_->port(), chat_body("gpt-4.1", "x"));
  EXPECT_EQ(rested.status, 429);
  EXPECT_EQ(error_of(rested).at("code").as_string(), "accounts_cooling_down");
  const int wait = std::stoi(rested.header("retry-after"));
  EXPECT_GE(wait, 1);
  EXPECT_LE(wait, 7);
}

TEST(ErrorsUpstream, UnreachableUpstreamIs502) {
  // A port that was just free: nothing listens there.
  uint16_t dead_port;
  {
    net::io_context io;
    tcp::acceptor a(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    dead_port = a.local_endpoint().port();
  }
  auto env = start_env({}, [dead_port](Config& c) {
    c.upstream.copilot_api_url = "http://127.0.0.1:" + std::to_string(dead_port);
  });
  Response r = post_chat(env->port(), chat_body("gpt-4.1", "x"));
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_EQ(error_of(r).at("type").as_string(), "server_error");
}

TEST_F(Errors, GarbageNeverCrashesOrHangs) {
  std::mt19937 rng(42);
  for (int i = 0; i < 200; ++i) {
    std::string body(rng() % 300, '\0');
    for (auto& ch : body)
      ch = static_cast<char>(rng() % 128);
    if (i % 3 == 0) body = R"({"model":"gpt-4.1","messages":[{"role":)" + body;
    Response r = post_chat(env_->port(), body);
    EXPECT_TRUE(r.status == 400 || r.status == 200) << r.status << " " << r.body;
  }
  // Raw bytes that are not HTTP at all.
  net::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), env_->port()));
  net::write(s, net::buffer(std::string("\x16\x03\x01garbage\r\n\r\n")));
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  error_code ec;
  http::read(s, buf, res, ec);
  EXPECT_FALSE(ec);
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(post_chat(env_->port(), chat_body("gpt-4.1", "still alive")).status, 200);
}

}  // namespace
}  // namespace cg::test
