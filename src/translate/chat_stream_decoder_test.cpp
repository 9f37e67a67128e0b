// ChatStreamDecoder: the learned-shape fast path gives exactly what the full decode gives, and
// falls back whenever a chunk is not the same shape. Test thread only.
#include "translate/chat_stream_decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cg::translate {
namespace {

struct Seen {
  StreamEvent::Kind kind;
  int index;
  std::string text;
};

std::vector<Seen> decode(const std::vector<std::string>& chunks, bool learn_shapes,
                         size_t* same_shape = nullptr) {
  std::vector<Seen> out;
  ChatStreamDecoder d(learn_shapes);
  auto sink = [&](const StreamEvent& e) {
    if (e.kind != StreamEvent::Kind::kStart) out.push_back({e.kind, e.index, std::string(e.text)});
  };
  for (const std::string& c : chunks)
    d.feed(c, sink);
  if (same_shape) *same_shape = d.same_shape_chunks();
  return out;
}

std::string text_chunk(const std::string& body) {
  return R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":")" +
         body + R"("},"finish_reason":null}]})";
}

TEST(ChatStreamDecoder, SameShapeChunksDecodeLikeTheFullPath) {
  std::vector<std::string> chunks = {
      text_chunk("Hel"),
      text_chunk("lo"),
      text_chunk(R"(\"q\" \u00e9\n)"),
      text_chunk(""),
      // Not the same shape: a quote that would close the string early must not be taken.
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a","role":"x"},"finish_reason":null}]})",
      text_chunk(R"(x\)"),  // malformed escape: the full path decides (malformed chunk)
      text_chunk("end"),
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"reasoning_text":"think"},"finish_reason":null}]})",
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"reasoning_text":"ing"},"finish_reason":null}]})",
      R"({"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"t1","type":"function","function":{"name":"f","arguments":""}}]}}]})",
      R"({"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\""}}]}}]})",
      R"({"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]}}]})",
      R"({"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})",
  };
  size_t same_shape = 0;
  const auto fast = decode(chunks, true, &same_shape);
  // The escaped text and "" (shape learned from "lo"), "ing" and the second argument fragment;
  // "end" follows a chunk of another shape (the one with "role") and takes the full path.
  EXPECT_EQ(same_shape, 4u);
  const auto full = decode(chunks, false);
  ASSERT_EQ(fast.size(), full.size());
  for (size_t i = 0; i < fast.size(); ++i) {
    EXPECT_EQ(fast[i].kind, full[i].kind) << i;
    EXPECT_EQ(fast[i].index, full[i].index) << i;
    EXPECT_EQ(fast[i].text, full[i].text) << i;
  }
  // The texts arrive intact, escapes untouched.
  ASSERT_GE(fast.size(), 3u);
  EXPECT_EQ(fast[0].text, "Hel");
  EXPECT_EQ(fast[1].text, "lo");
  EXPECT_EQ(fast[2].text, R"(\"q\" \u00e9\n)");
}

TEST(ChatStreamDecoder, ToolArgumentsOfTheSameCallKeepTheirIndex) {
  ChatStreamDecoder d;
  std::vector<Seen> out;
  auto sink = [&](const StreamEvent& e) { out.push_back({e.kind, e.index, std::string(e.text)}); };
  d.feed(
      R"({"choices":[{"index":1,"delta":{"tool_calls":[{"index":2,"id":"t","function":{"name":"n","arguments":""}}]}}]})",
      sink);
  for (const char* part : {"{", R"(\"k\")", ":", "2}"}) {
    d.feed(
        std::string(
            R"({"choices":[{"index":1,"delta":{"tool_calls":[{"index":2,"function":{"arguments":")") +
            part + R"("}}]}}]})",
        sink);
  }
  std::string args;
  for (const Seen& s : out) {
    if (s.kind == StreamEvent::Kind::kToolArgs) {
      EXPECT_EQ(s.index, 1 * 1024 + 2);
      args += s.text;
    }
  }
  EXPECT_EQ(args, R"({\"k\":2})");
}

}  // namespace
}  // namespace cg::translate
