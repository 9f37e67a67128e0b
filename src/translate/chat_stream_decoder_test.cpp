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
                         size_t* same_shape = nullptr, size_t* same_envelope = nullptr,
                         size_t* malformed = nullptr) {
  std::vector<Seen> out;
  ChatStreamDecoder d(learn_shapes);
  auto sink = [&](const StreamEvent& e) {
    Seen s{e.kind, e.index, std::string(e.text)};
    if (e.kind == StreamEvent::Kind::kFinish) s.text = std::to_string(static_cast<int>(e.finish));
    if (e.kind == StreamEvent::Kind::kUsage && e.usage)
      s.text = std::to_string(e.usage->input_tokens) + "/" + std::to_string(e.usage->output_tokens);
    if (e.kind != StreamEvent::Kind::kStart) out.push_back(std::move(s));
  };
  for (const std::string& c : chunks)
    d.feed(c, sink);
  if (same_shape) *same_shape = d.same_shape_chunks();
  if (same_envelope) *same_envelope = d.same_envelope_chunks();
  if (malformed) *malformed = d.malformed();
  return out;
}

void expect_same(const std::vector<Seen>& fast, const std::vector<Seen>& full) {
  ASSERT_EQ(fast.size(), full.size());
  for (size_t i = 0; i < fast.size(); ++i) {
    EXPECT_EQ(fast[i].kind, full[i].kind) << i;
    EXPECT_EQ(fast[i].index, full[i].index) << i;
    EXPECT_EQ(fast[i].text, full[i].text) << i;
  }
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
  expect_same(fast, decode(chunks, false));
  // The texts arrive intact, escapes untouched.
  ASSERT_GE(fast.size(), 3u);
  EXPECT_EQ(fast[0].text, "Hel");
  EXPECT_EQ(fast[1].text, "lo");
  EXPECT_EQ(fast[2].text, R"(\"q\" \u00e9\n)");
}

// Chunks that repeat the members before `choices` are scanned from the choices value on, with
// the same events as the full scan; anything else before choices (usage, error, other bytes)
// takes the full scan.
TEST(ChatStreamDecoder, SameEnvelopeChunksDecodeLikeTheFullPath) {
  const std::string env = R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",)";
  std::vector<std::string> chunks = {
      env +
          R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})",
      env + R"("choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})",
      env +
          R"("choices":[{"index":0,"delta":{"content":"!","role":"assistant"},"finish_reason":null}]})",
      env +
          R"("choices":[{"index":0,"delta":{},"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":2}})",
      env + R"("choices":[{"index":0,"delta":{"content":"x"}}, 7]})",  // a non-object choice
      env + R"("choices":[{"index":0,"delta":{"content":"y"}} tail)",  // malformed after choices
      env + R"("usage":{"prompt_tokens":9,"completion_tokens":9},"choices":[]})",
      R"({"id":"c2","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"z"}}]})",
      env + R"("choices":[],"usage":{"prompt_tokens":4,"completion_tokens":5}})",
  };
  size_t same_envelope = 0, malformed_fast = 0, malformed_full = 0;
  const auto fast = decode(chunks, true, nullptr, &same_envelope, &malformed_fast);
  const auto full = decode(chunks, false, nullptr, nullptr, &malformed_full);
  expect_same(fast, full);
  EXPECT_EQ(malformed_fast, malformed_full);
  EXPECT_EQ(malformed_fast, 1u);
  // "Hi", "!", the finish, the non-object choice and the malformed one. The usage-first chunk
  // does not match and teaches nothing; "z"'s chunk (id c2) teaches its own envelope, so the
  // last chunk scans fully and teaches c1's again.
  EXPECT_EQ(same_envelope, 5u);
}

// A chunk whose bytes before the text are too long to keep inline teaches nothing: every chunk
// takes the full path and says the same.
TEST(ChatStreamDecoder, LongChunkHeadsAreNotLearned) {
  const std::string id(600, 'x');
  std::vector<std::string> chunks;
  for (const char* t : {"a", "b", "c"}) {
    chunks.push_back(R"({"id":")" + id + R"(","choices":[{"index":0,"delta":{"content":")" + t +
                     R"("}}]})");
  }
  size_t same_shape = 0, same_envelope = 0;
  const auto fast = decode(chunks, true, &same_shape, &same_envelope);
  EXPECT_EQ(same_shape, 0u);
  EXPECT_EQ(same_envelope, 0u);
  expect_same(fast, decode(chunks, false));
  ASSERT_EQ(fast.size(), 3u);
  EXPECT_EQ(fast[2].text, "c");
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
