// Streaming through the gateway: event-by-event relay, usage handling, stream_options, upstream
// failures mid-stream, timeouts and client disconnects.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <thread>

#include "harness.h"

namespace cg::test {
namespace {

namespace json = boost::json;

std::string content_of(const std::vector<std::string>& events) {
  std::string text;
  for (const auto& e : events) {
    if (e == "[DONE]") continue;
    auto v = json::parse(e).as_object();
    for (auto& c : v.at("choices").as_array()) {
      auto& d = c.at("delta").as_object();
      if (auto* p = d.if_contains("content"); p && p->is_string()) text += p->as_string().c_str();
    }
  }
  return text;
}

bool has_usage_only_chunk(const std::vector<std::string>& events) {
  for (const auto& e : events) {
    if (e == "[DONE]") continue;
    auto v = json::parse(e).as_object();
    if (v.at("choices").as_array().empty() && v.contains("usage")) return true;
  }
  return false;
}

TEST(Streaming, EventsAreRelayedAndEndWithDone) {
  auto env = start_env();
  Response r = post_chat(env->port(), chat_body("gpt-4.1", "stream me [[sim:chunks=7]]", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  auto events = sse_data(r.body);
  ASSERT_GE(events.size(), 9u);
  EXPECT_EQ(events.back(), "[DONE]");
  EXPECT_EQ(content_of(events), "You said: stream me");  // the simulator drops its directives
  auto first = json::parse(events.front()).as_object();
  EXPECT_EQ(first.at("choices").at(0).at("delta").at("role").as_string(), "assistant");
  // Without stream_options.include_usage the client gets no usage-only chunk.
  EXPECT_FALSE(has_usage_only_chunk(events));
}

TEST(Streaming, IncludeUsageIsHonouredAndNotSentUpstream) {
  auto env = start_env();
  Response r = post_chat(env->port(), chat_body("gpt-4.1", "count", true,
                                                R"("stream_options":{"include_usage":true})"));
  ASSERT_EQ(r.status, 200);
  auto events = sse_data(r.body);
  EXPECT_TRUE(has_usage_only_chunk(events));
  const std::string sent = env->sim->stats(kSimLogin).last_body;
  EXPECT_EQ(sent.find("stream_options"), std::string::npos) << sent;
  EXPECT_NO_THROW(json::parse(sent));
}

TEST(Streaming, UsageOnTheFinishChunkStillGivesTheUsageChunk) {
  auto env = start_env();
  Response r = post_chat(env->port(), chat_body("gpt-4.1", "x [[sim:usage_on_finish=1]]", true,
                                                R"("stream_options":{"include_usage":true})"));
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has_usage_only_chunk(sse_data(r.body)));
}

TEST(Streaming, EventsArriveAsTheyAreProducedNotBuffered) {
  auto env = start_env();
  StreamClient s(env->port(),
                 chat_body("gpt-4.1", "slow [[sim:chunks=5]] [[sim:chunk_delay_ms=300]]", true));
  ASSERT_EQ(s.status(), 200);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(s.read_some());
  const auto first = std::chrono::steady_clock::now() - t0;
  // The whole stream takes > 1.5 s; the first event must not wait for it.
  EXPECT_LT(first, std::chrono::milliseconds(900));
  while (s.read_some()) {
  }
  EXPECT_NE(s.received().find("data: [DONE]"), std::string::npos);
}

TEST(Streaming, UpstreamDropMidStreamBecomesAnErrorEventAndACleanEnd) {
  auto env = start_env();
  Response r = post_chat(env->port(), chat_body("gpt-4.1", "drop [[sim:drop_after=3]]", true));
  ASSERT_EQ(r.status, 200);  // the response itself ended cleanly (chunked terminator read)
  auto events = sse_data(r.body);
  ASSERT_FALSE(events.empty());
  auto last = json::parse(events.back()).as_object();
  ASSERT_TRUE(last.contains("error")) << events.back();
  EXPECT_EQ(last.at("error").at("type").as_string(), "server_error");
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
}

TEST(Streaming, SlowChunksHitTheUpstreamIdleTimeout) {
  auto env =
      start_env({}, [](Config& c) { c.upstream.idle_timeout = std::chrono::milliseconds(300); });
  const auto t0 = std::chrono::steady_clock::now();
  Response r =
      post_chat(env->port(), chat_body("gpt-4.1", "idle [[sim:chunk_delay_ms=2000]]", true));
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_EQ(r.status, 200);
  auto events = sse_data(r.body);
  ASSERT_FALSE(events.empty());
  auto last = json::parse(events.back()).as_object();
  ASSERT_TRUE(last.contains("error"));
  EXPECT_EQ(last.at("error").at("code").as_string(), "upstream_timeout");
  EXPECT_LT(took, std::chrono::milliseconds(1800));
}

TEST(Streaming, SlowFirstByteIsA504) {
  auto env = start_env(
      {}, [](Config& c) { c.upstream.first_byte_timeout = std::chrono::milliseconds(300); });
  const auto t0 = std::chrono::steady_clock::now();
  Response r =
      post_chat(env->port(), chat_body("gpt-4.1", "late [[sim:first_byte_delay_ms=2000]]"));
  EXPECT_EQ(r.status, 504) << r.body;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1800));
  auto v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("error").at("code").as_string(), "upstream_timeout");
  // The same for a stream: nothing was sent yet, so it is a plain 504.
  Response s =
      post_chat(env->port(), chat_body("gpt-4.1", "late [[sim:first_byte_delay_ms=2000]]", true));
  EXPECT_EQ(s.status, 504);
}

TEST(Streaming, ClientDisconnectCancelsTheUpstreamCall) {
  auto env = start_env();
  {
    StreamClient s(env->port(),
                   chat_body("gpt-4.1", "long [[sim:chunks=40]] [[sim:chunk_delay_ms=100]]", true));
    ASSERT_EQ(s.status(), 200);
    ASSERT_TRUE(s.read_some());
    s.close();
  }
  // The gateway closes its upstream connection at once; the simulator sees its write fail.
  EXPECT_TRUE(eventually([&] { return env->sim->stats(kSimLogin).cancelled_streams == 1; },
                         std::chrono::milliseconds(1500)));
}

}  // namespace
}  // namespace cg::test
