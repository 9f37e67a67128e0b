// Golden and property tests of the translations that serve OpenAI Chat clients from the
// /responses and native /v1/messages upstreams, and Chat / Responses clients from the native
// Anthropic upstream. Golden pairs under src/translate/testdata/ (requests and responses compared
// as JSON values, streams byte for byte):
//   <case>.chat-client-request.json -> .responses-upstream-from-chat.json (from_chat_request +
//     to_responses_request) and .anthropic-upstream-from-chat.json (+ to_anthropic_request);
//   <case>.responses-upstream-response.json -> .chat-response-from-responses.json
//     (from_responses_response + to_chat_response);
//   <case>.anthropic-upstream-response.json -> .chat-response-from-anthropic.json and
//     .responses-response-from-anthropic.json (from_anthropic_response + to_chat_response /
//     to_responses_response);
//   <case>.responses-upstream-stream.sse -> .chat-stream-from-responses.sse
//     (ResponsesStreamDecoder + ChatStreamEncoder);
//   <case>.anthropic-upstream-stream.sse -> .chat-stream-from-anthropic.sse,
//     .responses-stream-from-anthropic.sse and .anthropic-stream-from-anthropic.sse
//     (AnthropicStreamDecoder + ChatStreamEncoder / ResponsesStreamEncoder /
//     AnthropicStreamEncoder; the last must keep the upstream's blocks);
//   <case>.chat-stream.sse and <case>.chat-upstream-stream.sse -> .chat-stream-from-chat.sse
//     (ChatStreamDecoder + ChatStreamEncoder; must keep content, tool calls and finish).
// Every chat stream produced is also checked against what openai's chat.completions.stream()
// demands (wire-formats.md §5.2). Run with CG_UPDATE_GOLDEN=1 to rewrite the expected files (then
// review the diff). Test thread only.
#include <gtest/gtest.h>

#include "translate/golden_files.h"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "translate/anthropic_stream_decoder.h"
#include "translate/anthropic_stream_encoder.h"
#include "translate/chat_stream_decoder.h"
#include "translate/chat_stream_encoder.h"
#include "translate/from_anthropic_response.h"
#include "translate/from_chat_request.h"
#include "translate/from_responses_response.h"
#include "translate/responses_stream_decoder.h"
#include "translate/responses_stream_encoder.h"
#include "translate/to_anthropic_request.h"
#include "translate/to_chat_response.h"
#include "translate/to_responses_request.h"
#include "translate/to_responses_response.h"

namespace cg::translate {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

using namespace golden;  // NOLINT(google-build-using-namespace): test helpers

constexpr int64_t kCreated = 1700000000;

ChatEnvelope chat_envelope() {
  return ChatEnvelope{"chatcmpl-test", kCreated, "client-model"};
}

ResponsesEnvelope responses_envelope() {
  return ResponsesEnvelope{"resp_test", kCreated, "client-model"};
}

// ---- golden helpers (as in golden_test.cpp) ------------------------------------------------

// ---- what openai's chat.completions.stream() demands (wire-formats.md §5.2) -----------------

// Checks every rule on one produced chat stream; `where` names it in failures.
void check_chat_stream(const std::string& sse, bool include_usage, const std::string& where) {
  SCOPED_TRACE(where);
  ASSERT_FALSE(sse.empty());
  // Raw framing: `data: ...\n\n` events only.
  for (size_t pos = 0; pos < sse.size();) {
    const size_t end = sse.find("\n\n", pos);
    ASSERT_NE(end, std::string::npos) << "unterminated event";
    const std::string_view ev(sse.data() + pos, end - pos);
    EXPECT_TRUE(ev.starts_with("data: ")) << ev;
    EXPECT_EQ(ev.find('\n'), std::string_view::npos) << "one line per event: " << ev;
    pos = end + 2;
  }
  const std::vector<SseEvent> events = sse_events(sse);
  ASSERT_FALSE(events.empty());
  const bool failed = events.back().data != "[DONE]";
  std::string id, model;
  bool role = false, finished = false, usage_chunk = false;
  size_t calls = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const SseEvent& ev = events[i];
    SCOPED_TRACE("event " + std::to_string(i) + ": " + ev.data.substr(0, 300));
    EXPECT_TRUE(ev.name.empty());
    if (ev.data == "[DONE]") {
      EXPECT_EQ(i + 1, events.size()) << "[DONE] must be last";
      continue;
    }
    boost::system::error_code ec;
    json::value v = json::parse(ev.data, ec);
    ASSERT_FALSE(ec) << "data is not JSON";
    ASSERT_TRUE(v.is_object());
    const json::object& o = v.get_object();
    if (o.contains("error")) {
      EXPECT_TRUE(failed);
      EXPECT_EQ(i + 1, events.size()) << "nothing may follow an error";
      const json::object& err = o.at("error").as_object();
      for (const char* k : {"message", "type", "param", "code"}) {
        EXPECT_TRUE(err.contains(k)) << k;
      }
      continue;
    }
    EXPECT_FALSE(usage_chunk) << "the usage chunk must be the last chunk";
    EXPECT_EQ(o.at("object").as_string(), "chat.completion.chunk");
    EXPECT_TRUE(o.at("created").is_int64() || o.at("created").is_uint64());
    if (id.empty()) {
      id = std::string(o.at("id").as_string());
      model = std::string(o.at("model").as_string());
      EXPECT_FALSE(id.empty());
    }
    EXPECT_EQ(o.at("id").as_string(), id);
    EXPECT_EQ(o.at("model").as_string(), model);
    ASSERT_TRUE(o.at("choices").is_array()) << "choices must always be an array";
    const json::array& choices = o.at("choices").as_array();
    if (choices.empty()) {
      EXPECT_TRUE(include_usage) << "a usage chunk without include_usage";
      EXPECT_TRUE(finished) << "usage before the finish chunk";
      EXPECT_TRUE(o.at("usage").is_object());
      const json::object& u = o.at("usage").as_object();
      for (const char* k : {"prompt_tokens", "completion_tokens", "total_tokens"}) {
        EXPECT_TRUE(u.contains(k)) << k;
      }
      usage_chunk = true;
      continue;
    }
    if (include_usage) {
      EXPECT_TRUE(o.contains("usage") && o.at("usage").is_null()) << "usage:null expected";
    } else {
      EXPECT_FALSE(o.contains("usage"));
    }
    ASSERT_EQ(choices.size(), 1u);
    const json::object& c = choices[0].as_object();
    EXPECT_EQ(c.at("index").to_number<int64_t>(), 0);
    EXPECT_FALSE(finished) << "a delta after the finish chunk";
    const json::object& delta = c.at("delta").as_object();
    if (i == 0) {
      EXPECT_EQ(delta.at("role").as_string(), "assistant") << "the first chunk carries the role";
    }
    if (delta.contains("role")) role = true;
    for (const char* k : {"content", "reasoning_text", "reasoning_opaque"}) {
      if (delta.contains(k)) {
        EXPECT_TRUE(delta.at(k).is_string()) << k;
      }
    }
    if (delta.contains("tool_calls")) {
      const json::array& tcs = delta.at("tool_calls").as_array();
      ASSERT_EQ(tcs.size(), 1u);
      const json::object& tc = tcs[0].as_object();
      const auto index = static_cast<size_t>(tc.at("index").to_number<int64_t>());
      ASSERT_LE(index, calls) << "tool call indexes must be sequential";
      const json::object& fn = tc.at("function").as_object();
      EXPECT_TRUE(fn.at("arguments").is_string());
      if (index == calls) {  // the first fragment
        ++calls;
        EXPECT_FALSE(tc.at("id").as_string().empty());
        EXPECT_EQ(tc.at("type").as_string(), "function");
        EXPECT_FALSE(fn.at("name").as_string().empty());
      } else {
        EXPECT_FALSE(tc.contains("id"));
        EXPECT_FALSE(fn.contains("name"));
      }
    }
    const json::value& fr = c.at("finish_reason");
    if (!fr.is_null()) {
      const std::string reason(fr.as_string());
      EXPECT_TRUE(reason == "stop" || reason == "length" || reason == "tool_calls" ||
                  reason == "content_filter")
          << reason;
      if (calls > 0) {
        EXPECT_TRUE(reason == "tool_calls" || reason == "length" || reason == "content_filter")
            << reason;
      }
      finished = true;
    }
  }
  if (!failed) {
    EXPECT_TRUE(role) << "missing role for choice 0";
    EXPECT_TRUE(finished) << "missing finish_reason for choice 0";
  }
}

// ---- accumulated views for the round trips ------------------------------------------------

struct ChatView {
  std::string content, reasoning, opaque, finish;
  std::map<std::string, std::pair<std::string, std::string>> calls;  // id -> name, arguments
};

// Merges every choice of a chat stream into one answer (tool_calls wins the finish). A call's
// fragments are gathered by (choice, index), whenever its id arrives.
ChatView chat_view(const std::string& sse) {
  ChatView v;
  struct Call {
    std::string id, name, arguments;
  };
  std::map<int64_t, Call> calls;  // choice * 1024 + index -> call
  for (const SseEvent& ev : sse_events(sse)) {
    if (ev.data == "[DONE]") continue;
    json::value doc = json::parse(ev.data);
    for (const json::value& cv : doc.at("choices").as_array()) {
      const json::object& c = cv.as_object();
      const int64_t choice = c.contains("index") ? c.at("index").to_number<int64_t>() : 0;
      if (const json::value* fr = c.if_contains("finish_reason"); fr && fr->is_string()) {
        if (v.finish.empty() || fr->as_string() == "tool_calls") v.finish = fr->as_string();
      }
      const json::object& d = c.at("delta").as_object();
      auto str = [&](const char* k) {
        const json::value* x = d.if_contains(k);
        return x && x->is_string() ? std::string(x->as_string()) : std::string();
      };
      v.content += str("content");
      v.reasoning += str("reasoning_text");
      v.opaque += str("reasoning_opaque");
      const json::value* tcs = d.if_contains("tool_calls");
      if (!tcs) continue;
      for (const json::value& tv : tcs->as_array()) {
        const json::object& tc = tv.as_object();
        Call& call = calls[choice * 1024 + tc.at("index").to_number<int64_t>()];
        if (const json::value* id = tc.if_contains("id"); id && id->is_string())
          call.id = id->as_string();
        const json::object& fn = tc.at("function").as_object();
        if (const json::value* n = fn.if_contains("name"); n && n->is_string())
          call.name += n->as_string();
        if (const json::value* a = fn.if_contains("arguments"); a && a->is_string())
          call.arguments += a->as_string();
      }
    }
  }
  for (const auto& [key, call] : calls)
    v.calls[call.id] = {call.name, call.arguments};
  return v;
}

struct AnthropicBlock {
  std::string type, text, signature, id, name, input, data;
};

struct AnthropicView {
  std::vector<AnthropicBlock> blocks;
  std::string stop_reason;
  bool stopped = false;
};

// Applies an Anthropic event sequence the way MessageStream does.
AnthropicView anthropic_view(const std::string& sse) {
  AnthropicView v;
  for (const SseEvent& ev : sse_events(sse)) {
    json::value doc = json::parse(ev.data);
    const std::string type(doc.at("type").as_string());
    if (type == "content_block_start") {
      const auto index = static_cast<size_t>(doc.at("index").to_number<int64_t>());
      EXPECT_EQ(index, v.blocks.size()) << "block indexes are positions";
      const json::object& b = doc.at("content_block").as_object();
      AnthropicBlock blk;
      blk.type = b.at("type").as_string();
      if (blk.type == "server_tool_use") blk.type = "(server)";
      if (const json::value* x = b.if_contains("text")) blk.text = x->as_string();
      if (const json::value* x = b.if_contains("id")) blk.id = x->as_string();
      if (const json::value* x = b.if_contains("name")) blk.name = x->as_string();
      if (const json::value* x = b.if_contains("data")) blk.data = x->as_string();
      v.blocks.push_back(blk);
    } else if (type == "content_block_delta") {
      const auto index = static_cast<size_t>(doc.at("index").to_number<int64_t>());
      EXPECT_LT(index, v.blocks.size());
      if (index >= v.blocks.size()) continue;
      AnthropicBlock& blk = v.blocks[index];
      const json::object& d = doc.at("delta").as_object();
      const std::string dt(d.at("type").as_string());
      if (dt == "text_delta") blk.text += d.at("text").as_string();
      if (dt == "thinking_delta") blk.text += d.at("thinking").as_string();
      if (dt == "signature_delta") blk.signature = d.at("signature").as_string();
      if (dt == "input_json_delta") blk.input += d.at("partial_json").as_string();
    } else if (type == "message_delta") {
      v.stop_reason = doc.at("delta").at("stop_reason").as_string();
    } else if (type == "message_stop") {
      v.stopped = true;
    }
  }
  // Server-tool blocks are not relayed: leave them out of the comparison.
  std::erase_if(v.blocks, [](const AnthropicBlock& b) { return b.type == "(server)"; });
  return v;
}

// The raw (still escaped) string values of `key` members in a JSON / SSE text, in order.
std::vector<std::string> raw_values(std::string_view text, std::string_view key) {
  std::vector<std::string> out;
  const std::string needle = "\"" + std::string(key) + "\":\"";
  for (size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    size_t p = at + needle.size();
    const size_t begin = p;
    while (p < text.size() && text[p] != '"')
      p += text[p] == '\\' ? 2 : 1;
    if (p > begin) out.emplace_back(text.substr(begin, p - begin));
  }
  return out;
}

// ---- goldens: requests ---------------------------------------------------------------------

ResponsesTarget responses_target_from(const json::object& o) {
  ResponsesTarget t;
  t.model = json::value_to<std::string>(o.at("model"));
  if (auto* v = o.if_contains("max_output_tokens")) t.max_output_tokens = v->to_number<int64_t>();
  if (auto* v = o.if_contains("sampling")) t.sampling = v->as_bool();
  return t;
}

AnthropicTarget anthropic_target_from(const json::object& o) {
  AnthropicTarget t;
  t.model = json::value_to<std::string>(o.at("model"));
  if (auto* v = o.if_contains("max_output_tokens")) t.max_output_tokens = v->to_number<int64_t>();
  return t;
}

TEST(ChatGolden, ChatRequestToResponsesAndAnthropic) {
  const auto files = inputs(".chat-client-request.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    json::value doc = json::parse(read_file(in));
    auto req = from_chat_request(json::serialize(doc.at("request")));
    ASSERT_TRUE(req.ok()) << req.error().message;
    auto up =
        to_responses_request(*req, responses_target_from(doc.at("responses_target").as_object()));
    ASSERT_TRUE(up.ok()) << up.error().message;
    expect_json_golden(
        sibling(in, ".chat-client-request.json", ".responses-upstream-from-chat.json"), *up);
    auto an =
        to_anthropic_request(*req, anthropic_target_from(doc.at("anthropic_target").as_object()));
    ASSERT_TRUE(an.ok()) << an.error().message;
    expect_json_golden(
        sibling(in, ".chat-client-request.json", ".anthropic-upstream-from-chat.json"), *an);
  }
}

// ---- goldens: answers ----------------------------------------------------------------------

TEST(ChatGolden, ResponsesAnswerToChat) {
  const auto files = inputs(".responses-upstream-response.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    auto r = from_responses_response(read_file(in));
    ASSERT_TRUE(r.ok()) << r.error().message;
    expect_json_golden(
        sibling(in, ".responses-upstream-response.json", ".chat-response-from-responses.json"),
        to_chat_response(*r, chat_envelope()));
  }
}

TEST(ChatGolden, AnthropicAnswerToChatAndResponses) {
  const auto files = inputs(".anthropic-upstream-response.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    auto r = from_anthropic_response(read_file(in));
    ASSERT_TRUE(r.ok()) << r.error().message;
    expect_json_golden(
        sibling(in, ".anthropic-upstream-response.json", ".chat-response-from-anthropic.json"),
        to_chat_response(*r, chat_envelope()));
    expect_json_golden(
        sibling(in, ".anthropic-upstream-response.json", ".responses-response-from-anthropic.json"),
        to_responses_response(*r, responses_envelope()));
  }
}

// ---- goldens: streams ----------------------------------------------------------------------

// Relays an upstream SSE text through `Decoder` into `enc` (finish, or fail with the upstream's
// failure).
template <class Decoder, class Encoder>
std::string relay(const std::string& sse, Encoder& enc) {
  Decoder dec;
  std::string out;
  auto sink = [&](const StreamEvent& e) { enc.on(e, out); };
  for (const SseEvent& ev : sse_events(sse)) {
    dec.feed(ev.name, ev.data, sink);
    if (dec.failure()) break;
  }
  EXPECT_EQ(dec.malformed(), 0u);
  if (dec.failure()) {
    enc.fail(*dec.failure(), out);
  } else {
    EXPECT_TRUE(dec.done());
    enc.finish(out);
  }
  return out;
}

TEST(ChatGolden, ResponsesStreamToChat) {
  const auto files = inputs(".responses-upstream-stream.sse");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    ChatStreamEncoder enc(chat_envelope(), true);
    const std::string out = relay<ResponsesStreamDecoder>(read_file(in), enc);
    check_chat_stream(out, true, in.filename().string());
    expect_text_golden(
        sibling(in, ".responses-upstream-stream.sse", ".chat-stream-from-responses.sse"), out);
  }
}

TEST(ChatGolden, AnthropicStreamToClients) {
  const auto files = inputs(".anthropic-upstream-stream.sse");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    const std::string upstream = read_file(in);

    ChatStreamEncoder chat(chat_envelope(), true);
    const std::string chat_out = relay<AnthropicStreamDecoder>(upstream, chat);
    check_chat_stream(chat_out, true, in.filename().string());
    expect_text_golden(
        sibling(in, ".anthropic-upstream-stream.sse", ".chat-stream-from-anthropic.sse"), chat_out);

    ResponsesStreamEncoder responses(responses_envelope());
    const std::string responses_out = relay<AnthropicStreamDecoder>(upstream, responses);
    int64_t seq = 0;
    for (const SseEvent& ev : sse_events(responses_out)) {
      json::value v = json::parse(ev.data);
      EXPECT_EQ(v.at("type").as_string(), ev.name);
      EXPECT_EQ(v.at("sequence_number").to_number<int64_t>(), seq++);
    }
    expect_text_golden(
        sibling(in, ".anthropic-upstream-stream.sse", ".responses-stream-from-anthropic.sse"),
        responses_out);

    AnthropicStreamEncoder anthropic("msg_test", "client-model");
    const std::string anthropic_out = relay<AnthropicStreamDecoder>(upstream, anthropic);
    expect_text_golden(
        sibling(in, ".anthropic-upstream-stream.sse", ".anthropic-stream-from-anthropic.sse"),
        anthropic_out);
  }
}

// The Anthropic event sequence survives decode + encode: same blocks, texts, tool inputs,
// signatures (byte for byte) and stop reason.
TEST(ChatRoundTrip, AnthropicStreamSurvivesDecodeAndEncode) {
  const auto files = inputs(".anthropic-upstream-stream.sse");
  ASSERT_FALSE(files.empty());
  size_t compared = 0;
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    const std::string upstream = read_file(in);
    AnthropicStreamEncoder enc("msg_test", "client-model");
    const std::string out = relay<AnthropicStreamDecoder>(upstream, enc);
    const AnthropicView want = anthropic_view(upstream);
    if (!want.stopped) continue;  // a failed stream: compared by its golden only
    ++compared;
    const AnthropicView got = anthropic_view(out);
    EXPECT_TRUE(got.stopped);
    EXPECT_EQ(got.stop_reason, want.stop_reason);
    ASSERT_EQ(got.blocks.size(), want.blocks.size());
    for (size_t i = 0; i < want.blocks.size(); ++i) {
      SCOPED_TRACE("block " + std::to_string(i));
      const AnthropicBlock& g = got.blocks[i];
      const AnthropicBlock& w = want.blocks[i];
      EXPECT_EQ(g.type, w.type);
      EXPECT_EQ(g.text, w.text);
      EXPECT_EQ(g.signature, w.signature);
      EXPECT_EQ(g.id, w.id);
      EXPECT_EQ(g.name, w.name);
      EXPECT_EQ(g.data, w.data);
      if (w.type == "tool_use") {
        EXPECT_EQ(json::serialize(json::parse(g.input.empty() ? "{}" : g.input)),
                  json::serialize(json::parse(w.input.empty() ? "{}" : w.input)));
      }
    }
    EXPECT_EQ(raw_values(out, "signature"), raw_values(upstream, "signature"));
    EXPECT_EQ(raw_values(out, "data"), raw_values(upstream, "data"));
  }
  EXPECT_GE(compared, 3u);
}

TEST(ChatGolden, ChatStreamToChat) {
  std::vector<fs::path> files = inputs(".chat-stream.sse");
  for (const fs::path& p : inputs(".chat-upstream-stream.sse"))
    files.push_back(p);
  ASSERT_GE(files.size(), 4u);
  std::set<fs::path> outputs;
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    const std::string name = in.filename().string();
    const std::string_view suffix = name.ends_with(".chat-upstream-stream.sse")
                                        ? ".chat-upstream-stream.sse"
                                        : ".chat-stream.sse";
    const fs::path expected = sibling(in, suffix, ".chat-stream-from-chat.sse");
    ASSERT_TRUE(outputs.insert(expected).second) << "two inputs for " << expected;
    const std::string upstream = read_file(in);
    ChatStreamDecoder dec;
    ChatStreamEncoder enc(chat_envelope(), true);
    std::string out;
    auto sink = [&](const StreamEvent& e) { enc.on(e, out); };
    for (const SseEvent& ev : sse_events(upstream))
      dec.feed(ev.data, sink);
    EXPECT_TRUE(dec.done());
    EXPECT_EQ(dec.malformed(), 0u);
    enc.finish(out);
    check_chat_stream(out, true, name);
    expect_text_golden(expected, out);

    // Round trip: the same answer, whatever the upstream's choices and tool call indexes.
    const ChatView want = chat_view(upstream);
    const ChatView got = chat_view(out);
    EXPECT_EQ(got.content, want.content);
    EXPECT_EQ(got.reasoning, want.reasoning);
    EXPECT_EQ(got.opaque, want.opaque);
    EXPECT_EQ(got.finish, want.finish);
    EXPECT_EQ(got.calls, want.calls);
    EXPECT_EQ(raw_values(out, "reasoning_opaque"), raw_values(upstream, "reasoning_opaque"));
  }
}

// ---- §5.2 on random event sequences --------------------------------------------------------

TEST(ChatStreamProperties, RandomEventSequences) {
  std::mt19937 rng(20260211);
  const std::vector<std::string> texts = {"a", "Hello", "x\\\"y",      "\\n", "\\u00e9t\\u00e9",
                                          "",  " ",     "{\\\"k\\\":", "1}"};
  for (int round = 0; round < 500; ++round) {
    const bool include_usage = rng() % 2;
    ChatStreamEncoder enc(ChatEnvelope{"chatcmpl-r" + std::to_string(round), 1, "m"},
                          include_usage);
    std::string out;
    std::vector<std::string> keep;  // event strings alive during on()
    keep.reserve(64);
    const int n = static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
      StreamEvent e;
      e.text = texts[rng() % texts.size()];
      switch (rng() % 10) {
        case 0:
          e.kind = StreamEvent::Kind::kStart;
          break;
        case 1:
        case 2:
          e.kind = StreamEvent::Kind::kText;
          break;
        case 3:
          e.kind = StreamEvent::Kind::kThinking;
          break;
        case 4:
          e.kind = rng() % 2 ? StreamEvent::Kind::kSignature : StreamEvent::Kind::kReasoningItem;
          e.id = "rs_1";
          break;
        case 5:
          e.kind = StreamEvent::Kind::kRedacted;
          break;
        case 6:
          e.kind = StreamEvent::Kind::kToolCall;
          e.index = static_cast<int>(rng() % 5) * 100;  // sparse, repeating upstream keys
          keep.push_back(rng() % 4 ? "call_" + std::to_string(i) : std::string());
          e.id = keep.back();
          e.name = "fn";
          break;
        case 7:
        case 8:
          e.kind = StreamEvent::Kind::kToolArgs;
          e.index = static_cast<int>(rng() % 5) * 100;
          break;
        default: {
          e.kind = StreamEvent::Kind::kFinish;
          const FinishReason f[] = {FinishReason::kStop,         FinishReason::kLength,
                                    FinishReason::kToolCalls,    FinishReason::kContentFilter,
                                    FinishReason::kStopSequence, FinishReason::kRefusal,
                                    FinishReason::kPauseTurn};
          e.finish = f[rng() % 7];
          break;
        }
      }
      enc.on(e, out);
    }
    Usage u;
    u.known = rng() % 3 != 0;
    u.input_tokens = 10;
    u.output_tokens = 5;
    StreamEvent ue;
    ue.kind = StreamEvent::Kind::kUsage;
    ue.usage = &u;
    enc.on(ue, out);
    if (rng() % 8 == 0) {
      enc.fail(ApiError::bad_gateway("upstream \"broke\""), out);
    } else {
      enc.finish(out);
    }
    std::string more;
    enc.finish(more);
    enc.fail(ApiError::internal("again"), more);
    EXPECT_TRUE(more.empty());
    check_chat_stream(out, include_usage, "round " + std::to_string(round));
    if (HasFailure()) {
      ADD_FAILURE() << out;
      return;
    }
  }
}

TEST(ChatStreamEncoder, WithoutIncludeUsageAndFailBeforeStart) {
  ChatStreamEncoder enc(chat_envelope(), false);
  std::string out;
  Usage u;
  u.known = true;
  u.input_tokens = 3;
  StreamEvent e;
  e.kind = StreamEvent::Kind::kUsage;
  e.usage = &u;
  enc.on(e, out);
  e = StreamEvent{};
  e.kind = StreamEvent::Kind::kText;
  e.text = "hi";
  enc.on(e, out);
  enc.finish(out);
  EXPECT_EQ(out.find("usage"), std::string::npos) << out;
  EXPECT_TRUE(out.ends_with("data: [DONE]\n\n"));
  check_chat_stream(out, false, "no usage");

  ChatStreamEncoder failing(chat_envelope(), true);
  std::string err;
  failing.fail(ApiError::bad_gateway("gone"), err);
  const auto events = sse_events(err);
  ASSERT_EQ(events.size(), 1u);
  json::value v = json::parse(events[0].data);
  EXPECT_EQ(v.at("error").at("message").as_string(), "gone");
  EXPECT_EQ(v.at("error").at("code").as_string(), "upstream_unreachable");
  EXPECT_EQ(err.find("[DONE]"), std::string::npos);
}

TEST(ChatStreamEncoder, ToolCallsGetSequentialIndexesAndGeneratedIds) {
  ChatStreamEncoder enc(chat_envelope(), false);
  std::string out;
  StreamEvent e;
  e.kind = StreamEvent::Kind::kToolCall;
  e.index = 7;
  e.name = "a";
  enc.on(e, out);  // no id: generated
  e.index = 3;
  e.id = "call_2";
  e.name = "b";
  enc.on(e, out);
  e = StreamEvent{};
  e.kind = StreamEvent::Kind::kToolArgs;
  e.index = 7;
  e.text = "{}";
  enc.on(e, out);
  e.index = 99;  // unknown: dropped
  enc.on(e, out);
  e = StreamEvent{};
  e.kind = StreamEvent::Kind::kFinish;
  e.finish = FinishReason::kStop;
  enc.on(e, out);
  enc.finish(out);
  check_chat_stream(out, false, "tool calls");
  const ChatView v = chat_view(out);
  ASSERT_EQ(v.calls.size(), 2u);
  EXPECT_EQ(v.calls.at("call_test_0"), std::make_pair(std::string("a"), std::string("{}")));
  EXPECT_EQ(v.calls.at("call_2"), std::make_pair(std::string("b"), std::string()));
  EXPECT_EQ(v.finish, "tool_calls");
}

// ---- from_chat_request -----------------------------------------------------------------------

TEST(FromChatRequest, CanonicalForm) {
  json::value doc =
      json::parse(read_file(testdata_dir() / "chat_tools_turn.chat-client-request.json"));
  auto r = from_chat_request(json::serialize(doc.at("request")));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->model, "gpt-5.1-codex");
  ASSERT_EQ(r->messages.size(), 6u);
  EXPECT_EQ(r->messages[0].role, Role::kSystem);
  EXPECT_EQ(r->messages[1].role, Role::kDeveloper);
  EXPECT_EQ(r->messages[1].content.size(), 2u);
  const Message& user = r->messages[2];
  ASSERT_EQ(user.content.size(), 2u);
  EXPECT_EQ(user.content[1].kind, Block::Kind::kImage);
  EXPECT_EQ(user.content[1].detail, "high");
  const Message& a = r->messages[3];
  ASSERT_EQ(a.content.size(), 3u);
  EXPECT_EQ(a.content[0].kind, Block::Kind::kThinking);
  EXPECT_EQ(a.content[0].text, R"(Need \"ls\" and a search.)");  // escaped (canonical.h)
  EXPECT_EQ(a.content[0].signature, "EqQBCkYIBxgCKkDsig+/==");
  EXPECT_EQ(a.content[1].kind, Block::Kind::kToolCall);
  EXPECT_EQ(a.content[2].id, "call_B2");
  const Message& tools = r->messages[4];  // two tool messages -> one
  EXPECT_EQ(tools.role, Role::kTool);
  ASSERT_EQ(tools.content.size(), 2u);
  EXPECT_EQ(tools.content[1].text, "main.c:1: int main");
  EXPECT_EQ(r->max_tokens, std::optional<int64_t>(2000));  // max_completion_tokens wins
  EXPECT_EQ(r->stop, std::vector<std::string>{"END"});
  EXPECT_TRUE(r->stream);
  EXPECT_TRUE(r->include_usage);
  EXPECT_EQ(r->parallel_tool_calls, std::optional<bool>(false));
  EXPECT_EQ(r->tool_choice.mode, ToolChoice::Mode::kAuto);
  ASSERT_EQ(r->tools.size(), 2u);
  EXPECT_EQ(r->tools[0].strict, std::optional<bool>(true));
  EXPECT_EQ(r->reasoning_effort, "high");
  EXPECT_EQ(r->user, "user-42");

  auto replay = from_chat_request(
      R"({"model":"m","messages":[{"role":"assistant","content":"x","reasoning_opaque":"enc+/=@rs_1"}]})");
  ASSERT_TRUE(replay.ok());
  const Block& rs = replay->messages[0].content[0];
  EXPECT_EQ(rs.kind, Block::Kind::kReasoning);
  EXPECT_EQ(rs.id, "rs_1");
  EXPECT_EQ(rs.signature, "enc+/=");
}

TEST(FromChatRequest, MalformedFieldsNameTheField) {
  struct Case {
    const char* body;
    const char* param;
  };
  const Case cases[] = {
      {R"({"messages":[{"role":"user","content":"x"}]})", "model"},
      {R"({"model":"m"})", "messages"},
      {R"({"model":"m","messages":[]})", "messages"},
      {R"({"model":"m","messages":"hi"})", "messages"},
      {R"({"model":"m","n":2,"messages":[{"role":"user","content":"x"}]})", "n"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"functions":[]})", "functions"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"function_call":"auto"})",
       "function_call"},
      {R"({"model":"m","messages":[{"role":"function","name":"f","content":"x"}]})",
       "messages.0.role"},
      {R"({"model":"m","messages":[{"role":"bot","content":"x"}]})", "messages.0.role"},
      {R"({"model":"m","messages":[{"role":"user"}]})", "messages.0.content"},
      {R"({"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]})",
       "messages.0.content.0.type"},
      {R"({"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{}}]}]})",
       "messages.0.content.0.type"},
      {R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]})",
       "messages.0.content.0.image_url.url"},
      {R"({"model":"m","messages":[{"role":"system","content":[{"type":"image_url"}]}]})",
       "messages.0.content.0.type"},
      {R"({"model":"m","messages":[{"role":"tool","content":"x"}]})", "messages.0.tool_call_id"},
      {R"({"model":"m","messages":[{"role":"assistant","function_call":{"name":"f"}}]})",
       "messages.0.function_call"},
      {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"arguments":"{}"}}]}]})",
       "messages.0.tool_calls.0.function.name"},
      {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f"}}]}]})",
       "messages.0.tool_calls.0.id"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"custom","custom":{"name":"g"}}]})",
       "tools.0.type"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{}}]})",
       "tools.0.function.name"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"sometimes"})",
       "tool_choice"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"function"}})",
       "tool_choice.function.name"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":0})", "max_tokens"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"max_completion_tokens":"9"})",
       "max_completion_tokens"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"stop":[1]})", "stop"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"stream":"yes"})", "stream"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"temperature":"hot"})",
       "temperature"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"user":5})", "user"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"n"}}})",
       "response_format.json_schema.schema"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"grammar"}})",
       "response_format.type"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    auto r = from_chat_request(c.body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().status, 400);
    EXPECT_EQ(r.error().type, "invalid_request_error");
    EXPECT_EQ(r.error().param, c.param);
    EXPECT_NE(r.error().message.find(c.param), std::string::npos) << r.error().message;
  }
  auto bad = from_chat_request("{not json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().status, 400);
}

// ---- to_anthropic_request from canonical values --------------------------------------------

Block text_block(std::string t) {
  Block b;
  b.text = std::move(t);
  return b;
}

TEST(ToAnthropicRequest, ImagesAndErrors) {
  Request r;
  r.model = "m";
  Block img;
  img.kind = Block::Kind::kImage;
  img.image_url = "https://example.com/cat.png";
  r.messages.push_back(Message{Role::kUser, {text_block("look"), img}});
  auto remote = to_anthropic_request(r, AnthropicTarget{"claude-sonnet-4.5"});
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.error().status, 400);
  EXPECT_EQ(remote.error().code, "invalid_image_url");

  r.messages[0].content[1].image_url = "data:image/png,notbase64";
  auto plain = to_anthropic_request(r, AnthropicTarget{"claude-sonnet-4.5"});
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().status, 400);

  r.messages[0].content[1].image_url = "data:image/webp;base64,UklGRg==";
  auto ok = to_anthropic_request(r, AnthropicTarget{"claude-sonnet-4.5"});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  json::value v = json::parse(*ok);
  const json::object& src = v.at("messages").at(0).at("content").at(1).at("source").as_object();
  EXPECT_EQ(src.at("media_type").as_string(), "image/webp");
  EXPECT_EQ(src.at("data").as_string(), "UklGRg==");
  EXPECT_EQ(v.at("max_tokens").as_int64(), 4096);  // nothing known: the default

  Request only_system;
  only_system.model = "m";
  only_system.messages.push_back(Message{Role::kSystem, {text_block("sys")}});
  only_system.messages.push_back(Message{Role::kUser, {text_block("")}});
  auto empty = to_anthropic_request(only_system, AnthropicTarget{"claude-sonnet-4.5"});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().param, "messages");
}

TEST(ToAnthropicRequest, ThinkingBudgetRules) {
  Request r;
  r.model = "m";
  r.messages.push_back(Message{Role::kUser, {text_block("hi")}});
  r.max_tokens = 3000;
  r.thinking_budget = 5000;
  r.temperature = 0.3;
  auto a = to_anthropic_request(r, AnthropicTarget{"claude-sonnet-4.5", 64000});
  ASSERT_TRUE(a.ok());
  json::value v = json::parse(*a);
  EXPECT_EQ(v.at("thinking").at("budget_tokens").as_int64(), 2999);  // below max_tokens
  EXPECT_FALSE(v.as_object().contains("temperature"));

  r.max_tokens = 1000;  // no room for Anthropic's 1024 minimum
  v = json::parse(*to_anthropic_request(r, AnthropicTarget{"claude-sonnet-4.5", 64000}));
  EXPECT_FALSE(v.as_object().contains("thinking"));
  EXPECT_EQ(v.at("temperature").as_double(), 0.3);

  r.max_tokens = 100000;  // capped at the model's limit
  r.thinking_budget.reset();
  r.reasoning_effort = "low";
  v = json::parse(*to_anthropic_request(r, AnthropicTarget{"claude-sonnet-4.5", 64000}));
  EXPECT_EQ(v.at("max_tokens").as_int64(), 64000);
  EXPECT_EQ(v.at("thinking").at("budget_tokens").as_int64(), 1024);

  // The last assistant turn calls a tool without thinking first: thinking stays off.
  Block call;
  call.kind = Block::Kind::kToolCall;
  call.id = "toolu_1";
  call.name = "f";
  call.arguments = "[1]";
  Block result;
  result.kind = Block::Kind::kToolResult;
  result.id = "toolu_1";
  result.is_error = true;
  result.text = "boom";
  r.messages.push_back(Message{Role::kAssistant, {call}});
  r.messages.push_back(Message{Role::kTool, {result}});
  v = json::parse(*to_anthropic_request(r, AnthropicTarget{"claude-sonnet-4.5", 64000}));
  EXPECT_FALSE(v.as_object().contains("thinking"));
  const json::object& use = v.at("messages").at(1).at("content").at(0).as_object();
  EXPECT_EQ(json::serialize(use.at("input")), R"({"_raw":"[1]"})");
  const json::object& res = v.at("messages").at(2).at("content").at(0).as_object();
  EXPECT_EQ(res.at("is_error"), json::value(true));
}

// ---- AnthropicStreamDecoder details ----------------------------------------------------------

TEST(AnthropicStreamDecoder, TypeFromDataErrorsAndStartInput) {
  AnthropicStreamDecoder dec;
  std::vector<std::string> seen;
  auto sink = [&](const StreamEvent& e) {
    seen.push_back(std::to_string(static_cast<int>(e.kind)) + ":" + std::to_string(e.index) + ":" +
                   std::string(e.text));
  };
  dec.feed(
      "",
      R"({"type":"content_block_start","index":4,"content_block":{"type":"tool_use","id":"t","name":"f","input":{"a":"\u00e9"}}})",
      sink);
  dec.feed("", "not json", sink);
  dec.feed(
      "",
      R"({"type":"content_block_delta","index":4,"delta":{"type":"input_json_delta","partial_json":"x"}})",
      sink);
  dec.feed("", R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})",
           sink);
  dec.feed("", R"({"type":"message_stop"})", sink);
  EXPECT_EQ(dec.malformed(), 1u);
  EXPECT_FALSE(dec.done());  // nothing after the failure
  ASSERT_TRUE(dec.failure().has_value());
  EXPECT_EQ(dec.failure()->status, 429);
  EXPECT_EQ(dec.failure()->type, "rate_limit_error");
  EXPECT_EQ(dec.failure()->message, "slow down");
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], "0:0:");                        // kStart
  EXPECT_EQ(seen[1], "6:4:");                        // kToolCall
  EXPECT_EQ(seen[2], R"(7:4:{\"a\":\"\\u00e9\"})");  // its input, escaped
  EXPECT_EQ(seen[3], "7:4:x");
  EXPECT_EQ(anthropic_error_status("overloaded_error"), 529);
  EXPECT_EQ(anthropic_error_status("api_error"), 500);
  EXPECT_EQ(anthropic_error_status("something_new"), 502);
}

TEST(FromAnthropicResponse, ErrorsAndUsage) {
  auto err = from_anthropic_response(
      R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().status, 502);
  EXPECT_EQ(err.error().message, "Overloaded");
  EXPECT_FALSE(from_anthropic_response("[]").ok());
  EXPECT_FALSE(from_anthropic_response(R"({"type":"message"})").ok());
  auto r = from_anthropic_response(
      read_file(testdata_dir() / "claude_tools.anthropic-upstream-response.json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->usage.input_tokens, 12 + 100 + 2048);
  EXPECT_EQ(r->usage.cache_read_tokens, 2048);
  EXPECT_EQ(r->finish, FinishReason::kToolCalls);
  ASSERT_EQ(r->content.size(), 4u);
  EXPECT_EQ(r->content[0].signature, "EuYBCkQYAiJA+/sig==");
  EXPECT_EQ(r->content[2].arguments, R"({"city":"Paris","units":"°C"})");
}

}  // namespace
}  // namespace cg::translate
