// Tests for reading usage out of native Anthropic answers and stream events.
#include "wire/anthropic/usage.h"

#include <gtest/gtest.h>

namespace cg::wire::anthropic {
namespace {

struct Seen {
  int64_t in = -7, out = -7;  // sentinels: "untouched"
};

Seen read(std::string_view data, Seen s = {}) {
  read_stream_usage(data, s.in, s.out);
  return s;
}

TEST(AnthropicUsage, MessageStart) {
  const Seen s = read(
      R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",)"
      R"("content":[],"model":"claude-sonnet-4","stop_reason":null,"usage":{"input_tokens":25,)"
      R"("cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}})");
  EXPECT_EQ(s.in, 25);
  EXPECT_EQ(s.out, 1);
}

TEST(AnthropicUsage, CacheTokensAreAddedToInput) {
  const Seen s = read(
      R"({"type":"message_start","message":{"usage":{"input_tokens":10,)"
      R"("cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":1}}})");
  EXPECT_EQ(s.in, 3210);
  EXPECT_EQ(s.out, 1);
  // Cache counts alone, without input_tokens, do not set the input.
  const Seen c = read(R"({"usage":{"cache_read_input_tokens":50,"output_tokens":4}})");
  EXPECT_EQ(c.in, -7);
  EXPECT_EQ(c.out, 4);
}

TEST(AnthropicUsage, MessageDeltaSetsOutputOnly) {
  Seen s{30, 1};
  s = read(R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},)"
           R"("usage":{"output_tokens":57}})",
           s);
  EXPECT_EQ(s.in, 30);
  EXPECT_EQ(s.out, 57);
  // Newer deltas also repeat the input side.
  s = read(R"({"type":"message_delta","usage":{"input_tokens":31,"cache_read_input_tokens":9,)"
           R"("output_tokens":60}})",
           s);
  EXPECT_EQ(s.in, 40);
  EXPECT_EQ(s.out, 60);
}

TEST(AnthropicUsage, WholeMessage) {
  const Seen s = read(
      R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4",)"
      R"("content":[{"type":"text","text":"{\"usage\":{\"input_tokens\":999}}"}],)"
      R"("stop_reason":"end_turn","stop_sequence":null,)"
      R"("usage":{"input_tokens":12,"cache_creation_input_tokens":1,"cache_read_input_tokens":2,)"
      R"("output_tokens":6,"service_tier":"standard"}})");
  EXPECT_EQ(s.in, 15);
  EXPECT_EQ(s.out, 6);
}

TEST(AnthropicUsage, OtherEventsAndNestedUsageAreIgnored) {
  for (std::string_view data :
       {R"({"type":"ping"})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}})",
        R"({"type":"message_stop"})",
        // usage deeper than message.usage (inside a tool input) is not the answer's usage
        R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use",)"
        R"("input":{"usage":{"input_tokens":5,"output_tokens":5}}}})",
        R"({"message":{"content":[{"usage":{"input_tokens":5,"output_tokens":5}}]}})",
        R"({"usage":"none"})", R"({"usage":{"input_tokens":"5","output_tokens":1.5}})", "", "[]",
        "not json", R"({"type":"message_start","message":{"usage":{"input_tokens":)"}) {
    const Seen s = read(data);
    EXPECT_EQ(s.in, -7) << data;
    if (s.out != -7) {
      ADD_FAILURE() << data << " set output " << s.out;
    }
  }
}

TEST(AnthropicUsage, ZeroIsAValue) {
  const Seen s = read(R"({"usage":{"input_tokens":0,"output_tokens":0}})");
  EXPECT_EQ(s.in, 0);
  EXPECT_EQ(s.out, 0);
}

}  // namespace
}  // namespace cg::wire::anthropic
