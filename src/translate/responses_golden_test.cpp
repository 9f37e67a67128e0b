// Golden and property tests of the OpenAI Responses translations. Golden pairs under
// src/translate/testdata/ (requests and responses compared as JSON values, streams byte for byte):
//   <case>.responses-request.json -> .chat-request-from-responses.json (from_responses_request +
//     to_chat_request) and .responses-upstream-from-responses.json (+ to_responses_request);
//   <case>.responses-request-error.json -> .responses-error.json (the 400 from_responses_request
//     answers);
//   <case>.anthropic-for-responses.json -> .responses-upstream-request.json
//     (from_anthropic_request + to_responses_request);
//   <case>.responses-upstream-response.json -> .responses-client-response.json
//     (from_responses_response + to_responses_response) and .anthropic-response-from-responses.json
//     (+ to_anthropic_response);
//   <case>.chat-stream-for-responses.sse -> .responses-stream-from-chat.sse (ChatStreamDecoder +
//     ResponsesStreamEncoder);
//   <case>.responses-upstream-stream.sse -> .anthropic-stream-from-responses.sse
//     (ResponsesStreamDecoder + AnthropicStreamEncoder) and .responses-client-stream.sse
//     (+ ResponsesStreamEncoder).
// Every Responses stream produced is also checked against what openai's responses.stream()
// demands (wire-formats.md §5.3). Run with CG_UPDATE_GOLDEN=1 to rewrite the expected files (then
// review the diff). Test thread only.
#include <gtest/gtest.h>

#include "translate/golden_files.h"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "translate/anthropic_stream_encoder.h"
#include "translate/chat_stream_decoder.h"
#include "translate/from_anthropic_request.h"
#include "translate/from_responses_request.h"
#include "translate/from_responses_response.h"
#include "translate/responses_stream_decoder.h"
#include "translate/responses_stream_encoder.h"
#include "translate/to_anthropic_response.h"
#include "translate/to_chat_request.h"
#include "translate/to_responses_request.h"
#include "translate/to_responses_response.h"

namespace cg::translate {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

using namespace golden;  // NOLINT(google-build-using-namespace): test helpers

constexpr std::string_view kClientModel = "gpt-5.1-codex";
constexpr int64_t kCreatedAt = 1700000000;

ResponsesEnvelope test_envelope() {
  return ResponsesEnvelope{"resp_test", kCreatedAt, std::string(kClientModel)};
}

// ---- golden helpers (as in golden_test.cpp) ------------------------------------------------

ChatTarget chat_target_from(const json::object& o) {
  ChatTarget t;
  t.model = json::value_to<std::string>(o.at("model"));
  if (auto* v = o.if_contains("copilot_reasoning")) t.copilot_reasoning = v->as_bool();
  if (auto* v = o.if_contains("max_completion_tokens")) t.max_completion_tokens = v->as_bool();
  if (auto* v = o.if_contains("max_output_tokens")) t.max_output_tokens = v->to_number<int64_t>();
  return t;
}

ResponsesTarget responses_target_from(const json::object* o) {
  ResponsesTarget t;
  t.model = std::string(kClientModel);
  if (!o) return t;
  if (auto* v = o->if_contains("model")) t.model = json::value_to<std::string>(*v);
  if (auto* v = o->if_contains("max_output_tokens")) t.max_output_tokens = v->to_number<int64_t>();
  if (auto* v = o->if_contains("sampling")) t.sampling = v->as_bool();
  return t;
}

// ---- what openai's responses.stream() demands (wire-formats.md §5.3) -------------------------

// Checks every rule on one produced Responses stream; `where` names it in failures.
void check_responses_stream(const std::string& sse, const std::string& where) {
  SCOPED_TRACE(where);
  // The raw text: events separated by blank lines, each `event:` + `data:`.
  const std::vector<SseEvent> events = sse_events(sse);
  ASSERT_FALSE(events.empty());
  struct ItemTrack {
    json::object added;
    bool done = false;
    size_t parts = 0;      // content parts added (messages)
    size_t summaries = 0;  // summary parts added (reasoning)
    std::string text;      // accumulated deltas
    json::value done_item;
  };
  std::vector<ItemTrack> items;
  std::set<std::string> ids, call_ids;
  bool terminal = false;
  for (size_t i = 0; i < events.size(); ++i) {
    const SseEvent& ev = events[i];
    SCOPED_TRACE("event " + std::to_string(i) + ": " + ev.data.substr(0, 200));
    ASSERT_FALSE(terminal) << "events after the terminal event";
    boost::system::error_code ec;
    json::value v = json::parse(ev.data, ec);
    ASSERT_FALSE(ec) << "data is not JSON";
    ASSERT_TRUE(v.is_object());
    const json::object& o = v.get_object();
    ASSERT_TRUE(o.contains("type"));
    const std::string type(o.at("type").as_string());
    EXPECT_EQ(ev.name, type) << "event: line differs from the data's type";
    ASSERT_TRUE(o.contains("sequence_number"));
    EXPECT_EQ(o.at("sequence_number").to_number<int64_t>(), static_cast<int64_t>(i));
    if (i == 0 && type != "error") {
      EXPECT_EQ(type, "response.created");
    }
    if (type == "error") {
      ASSERT_TRUE(o.contains("error") && o.at("error").is_object());
      for (const char* k : {"type", "code", "message", "param"}) {
        EXPECT_TRUE(o.at("error").as_object().contains(k)) << k;
      }
      for (const char* k : {"code", "message", "param"}) {
        EXPECT_TRUE(o.contains(k)) << k;
      }
      terminal = true;
      continue;
    }
    if (type == "response.created" || type == "response.in_progress") {
      const json::object& r = o.at("response").as_object();
      EXPECT_EQ(r.at("status").as_string(), "in_progress");
      EXPECT_TRUE(r.at("output").as_array().empty());
      EXPECT_EQ(r.at("object").as_string(), "response");
      continue;
    }
    if (type == "response.completed" || type == "response.incomplete") {
      terminal = true;
      const json::object& r = o.at("response").as_object();
      EXPECT_EQ(r.at("status").as_string(),
                type == "response.completed" ? "completed" : "incomplete");
      for (size_t k = 0; k < items.size(); ++k) {
        EXPECT_TRUE(items[k].done) << "item " << k << " never done";
      }
      const json::array& output = r.at("output").as_array();
      ASSERT_EQ(output.size(), items.size());
      for (size_t k = 0; k < output.size(); ++k) {
        EXPECT_EQ(json::serialize(output[k]), json::serialize(items[k].done_item))
            << "output " << k;
      }
      continue;
    }
    ASSERT_TRUE(o.contains("output_index")) << type;
    const auto index = static_cast<size_t>(o.at("output_index").to_number<int64_t>());
    if (type == "response.output_item.added") {
      ASSERT_EQ(index, items.size()) << "output_index must append in order";
      const json::object& item = o.at("item").as_object();
      const std::string id(item.at("id").as_string());
      EXPECT_FALSE(id.empty());
      EXPECT_TRUE(ids.insert(id).second) << "duplicate item id " << id;
      if (item.at("type").as_string() == "function_call") {
        const std::string call_id(item.at("call_id").as_string());
        EXPECT_FALSE(call_id.empty());
        EXPECT_TRUE(call_ids.insert(call_id).second) << "duplicate call_id " << call_id;
        EXPECT_EQ(item.at("arguments").as_string(), "");
      }
      items.push_back(ItemTrack{item, false, 0, 0, {}, {}});
      continue;
    }
    ASSERT_LT(index, items.size()) << type << " references an item not added";
    ItemTrack& it = items[index];
    EXPECT_FALSE(it.done) << type << " after output_item.done";
    const std::string item_type(it.added.at("type").as_string());
    if (type == "response.output_item.done") {
      const json::object& item = o.at("item").as_object();
      EXPECT_EQ(item.at("id"), it.added.at("id"));
      EXPECT_EQ(item.at("type"), it.added.at("type"));
      if (item_type == "message") {
        EXPECT_EQ(item.at("status").as_string(), "completed");
        const json::array& content = item.at("content").as_array();
        EXPECT_EQ(content.size(), it.parts);
        if (!content.empty()) {
          EXPECT_EQ(std::string(content[0].at("text").as_string()), it.text);
        }
      } else if (item_type == "function_call") {
        EXPECT_EQ(item.at("call_id"), it.added.at("call_id"));
        const std::string args(item.at("arguments").as_string());
        EXPECT_TRUE(args == it.text || (it.text.empty() && args == "{}")) << args;
      } else if (item_type == "reasoning") {
        const json::array& summary = item.at("summary").as_array();
        EXPECT_EQ(summary.size(), it.summaries);
        if (!summary.empty()) {
          EXPECT_EQ(std::string(summary[0].at("text").as_string()), it.text);
        }
      }
      it.done = true;
      it.done_item = item;
      continue;
    }
    ASSERT_TRUE(o.contains("item_id")) << type;
    EXPECT_EQ(o.at("item_id"), it.added.at("id")) << "item_id must be the item's id";
    if (type == "response.content_part.added") {
      EXPECT_EQ(item_type, "message");
      EXPECT_EQ(o.at("content_index").to_number<int64_t>(), static_cast<int64_t>(it.parts));
      ++it.parts;
    } else if (type == "response.output_text.delta" || type == "response.output_text.done" ||
               type == "response.content_part.done") {
      EXPECT_EQ(item_type, "message");
      EXPECT_LT(o.at("content_index").to_number<int64_t>(), static_cast<int64_t>(it.parts));
      if (type == "response.output_text.delta") it.text += o.at("delta").as_string();
      if (type == "response.output_text.done") {
        EXPECT_EQ(std::string(o.at("text").as_string()), it.text);
      }
    } else if (type == "response.function_call_arguments.delta" ||
               type == "response.function_call_arguments.done") {
      EXPECT_EQ(item_type, "function_call");
      if (type == "response.function_call_arguments.delta") it.text += o.at("delta").as_string();
    } else if (type == "response.reasoning_summary_part.added") {
      EXPECT_EQ(item_type, "reasoning");
      EXPECT_EQ(o.at("summary_index").to_number<int64_t>(), static_cast<int64_t>(it.summaries));
      ++it.summaries;
    } else if (type == "response.reasoning_summary_text.delta" ||
               type == "response.reasoning_summary_text.done" ||
               type == "response.reasoning_summary_part.done") {
      EXPECT_EQ(item_type, "reasoning");
      EXPECT_LT(o.at("summary_index").to_number<int64_t>(), static_cast<int64_t>(it.summaries));
      if (type == "response.reasoning_summary_text.delta") it.text += o.at("delta").as_string();
    } else {
      ADD_FAILURE() << "unexpected event type " << type;
    }
  }
  EXPECT_TRUE(terminal) << "no terminal event";
}

// ---- goldens ------------------------------------------------------------------------------

TEST(ResponsesGolden, RequestToChatAndResponses) {
  const auto files = inputs(".responses-request.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    json::value doc = json::parse(read_file(in));
    auto req = from_responses_request(json::serialize(doc.at("request")));
    ASSERT_TRUE(req.ok()) << req.error().message;
    auto chat = to_chat_request(*req, chat_target_from(doc.at("target").as_object()));
    ASSERT_TRUE(chat.ok()) << chat.error().message;
    expect_json_golden(sibling(in, ".responses-request.json", ".chat-request-from-responses.json"),
                       *chat);
    const json::value* rt = doc.as_object().if_contains("responses_target");
    auto up = to_responses_request(*req, responses_target_from(rt ? &rt->as_object() : nullptr));
    ASSERT_TRUE(up.ok()) << up.error().message;
    expect_json_golden(
        sibling(in, ".responses-request.json", ".responses-upstream-from-responses.json"), *up);
  }
}

TEST(ResponsesGolden, RequestErrors) {
  const auto files = inputs(".responses-request-error.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    json::value doc = json::parse(read_file(in));
    auto req = from_responses_request(json::serialize(doc.at("request")));
    ASSERT_FALSE(req.ok());
    const ApiError& e = req.error();
    json::object o;
    o["status"] = e.status;
    o["type"] = e.type;
    o["code"] = e.code.empty() ? json::value(nullptr) : json::value(e.code);
    o["message"] = e.message;
    o["param"] = e.param.empty() ? json::value(nullptr) : json::value(e.param);
    expect_json_golden(sibling(in, ".responses-request-error.json", ".responses-error.json"),
                       json::serialize(o));
  }
}

TEST(ResponsesGolden, AnthropicRequestToResponses) {
  const auto files = inputs(".anthropic-for-responses.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    json::value doc = json::parse(read_file(in));
    auto req = from_anthropic_request(json::serialize(doc.at("request")));
    ASSERT_TRUE(req.ok()) << req.error().message;
    auto body = to_responses_request(*req, responses_target_from(&doc.at("target").as_object()));
    ASSERT_TRUE(body.ok()) << body.error().message;
    expect_json_golden(
        sibling(in, ".anthropic-for-responses.json", ".responses-upstream-request.json"), *body);
  }
}

TEST(ResponsesGolden, UpstreamResponseToClients) {
  const auto files = inputs(".responses-upstream-response.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    auto r = from_responses_response(read_file(in));
    ASSERT_TRUE(r.ok()) << r.error().message;
    expect_json_golden(
        sibling(in, ".responses-upstream-response.json", ".responses-client-response.json"),
        to_responses_response(*r, test_envelope()));
    expect_json_golden(
        sibling(in, ".responses-upstream-response.json", ".anthropic-response-from-responses.json"),
        to_anthropic_response(*r, "msg_test", "claude-sonnet-4-5-20250929"));
  }
}

TEST(ResponsesGolden, ChatStreamToResponses) {
  const auto files = inputs(".chat-stream-for-responses.sse");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    ChatStreamDecoder dec;
    ResponsesStreamEncoder enc(test_envelope());
    std::string out;
    auto sink = [&](const StreamEvent& e) { enc.on(e, out); };
    for (const SseEvent& ev : sse_events(read_file(in)))
      dec.feed(ev.data, sink);
    EXPECT_TRUE(dec.done());
    enc.finish(out);
    check_responses_stream(out, in.filename().string());
    expect_text_golden(
        sibling(in, ".chat-stream-for-responses.sse", ".responses-stream-from-chat.sse"), out);
  }
}

// Decodes an upstream Responses stream into `enc` (finish, or fail with the upstream's error).
template <class Encoder>
std::string relay_upstream(const std::string& sse, Encoder& enc) {
  ResponsesStreamDecoder dec;
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

TEST(ResponsesGolden, UpstreamStreamToClients) {
  const auto files = inputs(".responses-upstream-stream.sse");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    const std::string upstream = read_file(in);
    AnthropicStreamEncoder anthropic("msg_test", "claude-sonnet-4-5-20250929");
    expect_text_golden(
        sibling(in, ".responses-upstream-stream.sse", ".anthropic-stream-from-responses.sse"),
        relay_upstream(upstream, anthropic));
    ResponsesStreamEncoder responses(test_envelope());
    const std::string out = relay_upstream(upstream, responses);
    check_responses_stream(out, in.filename().string());
    expect_text_golden(
        sibling(in, ".responses-upstream-stream.sse", ".responses-client-stream.sse"), out);
  }
}

// ---- reasoning round trip -------------------------------------------------------------------

// The raw bytes of a member's string value in a JSON text ("" when absent).
std::string raw_member(std::string_view text, std::string_view key, size_t from = 0) {
  const std::string needle = "\"" + std::string(key) + "\"";
  for (size_t at = text.find(needle, from); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    size_t p = at + needle.size();
    while (p < text.size() && text[p] == ' ')
      ++p;
    if (p >= text.size() || text[p] != ':') continue;
    ++p;
    while (p < text.size() && text[p] == ' ')
      ++p;
    if (p >= text.size() || text[p] != '"') continue;
    const size_t begin = ++p;
    while (p < text.size() && text[p] != '"')
      p += text[p] == '\\' ? 2 : 1;
    return std::string(text.substr(begin, p - begin));
  }
  return {};
}

TEST(ResponsesRoundTrip, EncryptedReasoningComesBackByteIdentical) {
  const std::string upstream =
      read_file(testdata_dir() / "reasoning_tool.responses-upstream-stream.sse");
  std::string item_done;
  for (const SseEvent& ev : sse_events(upstream)) {
    if (ev.name == "response.output_item.done" &&
        ev.data.find(R"("type":"reasoning")") != std::string::npos) {
      item_done = ev.data;
      break;
    }
  }
  ASSERT_FALSE(item_done.empty());
  const std::string id = raw_member(item_done, "id");
  const std::string encrypted = raw_member(item_done, "encrypted_content");
  ASSERT_TRUE(id.starts_with("rs_")) << id;
  ASSERT_GT(encrypted.size(), 20u);

  // Upstream stream -> client stream: the reasoning item keeps id and encrypted_content.
  ResponsesStreamEncoder enc(test_envelope());
  const std::string client = relay_upstream(upstream, enc);
  std::string completed;
  for (const SseEvent& ev : sse_events(client)) {
    if (ev.name == "response.completed") completed = ev.data;
  }
  ASSERT_FALSE(completed.empty());
  json::value done = json::parse(completed);
  const json::array& output = done.at("response").at("output").as_array();
  ASSERT_FALSE(output.empty());
  const json::object& item = output[0].as_object();
  EXPECT_EQ(item.at("type").as_string(), "reasoning");
  EXPECT_EQ(raw_member(completed, "id", completed.find(R"("output":[)")), id);
  EXPECT_EQ(raw_member(completed, "encrypted_content"), encrypted);

  // The client sends the item back: it reaches upstream unchanged.
  json::object body;
  body["model"] = kClientModel;
  json::array input;
  input.push_back(json::parse(R"({"role":"user","content":"hi"})"));
  input.push_back(item);
  input.push_back(json::parse(R"({"role":"user","content":"go on"})"));
  body["input"] = std::move(input);
  auto req = from_responses_request(json::serialize(body));
  ASSERT_TRUE(req.ok()) << req.error().message;
  auto up = to_responses_request(*req, ResponsesTarget{std::string(kClientModel)});
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(raw_member(*up, "id"), id);
  EXPECT_EQ(raw_member(*up, "encrypted_content"), encrypted);

  // Non-streamed: upstream response -> client response -> request -> upstream.
  const std::string answer =
      read_file(testdata_dir() / "reasoning_tools.responses-upstream-response.json");
  auto r = from_responses_response(answer);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->content.empty());
  ASSERT_EQ(r->content[0].kind, Block::Kind::kReasoning);
  const std::string client_json = to_responses_response(*r, test_envelope());
  json::value cj = json::parse(client_json);
  json::object body2;
  body2["model"] = kClientModel;
  json::array input2;
  input2.push_back(json::parse(R"({"role":"user","content":"hi"})"));
  for (const json::value& o : cj.at("output").as_array())
    input2.push_back(o);
  input2.push_back(
      json::parse(R"({"type":"function_call_output","call_id":"call_Q1","output":"42"})"));
  input2.push_back(
      json::parse(R"({"type":"function_call_output","call_id":"call_Q2","output":"43"})"));
  body2["input"] = std::move(input2);
  auto req2 = from_responses_request(json::serialize(body2));
  ASSERT_TRUE(req2.ok()) << req2.error().message;
  auto up2 = to_responses_request(*req2, ResponsesTarget{std::string(kClientModel)});
  ASSERT_TRUE(up2.ok());
  json::value u2 = json::parse(*up2);
  const json::object& rs = u2.at("input").as_array()[1].as_object();
  EXPECT_EQ(rs.at("type").as_string(), "reasoning");
  EXPECT_EQ(rs.at("id").as_string(), r->content[0].id);
  EXPECT_EQ(rs.at("encrypted_content").as_string(), r->content[0].signature);
  EXPECT_EQ(raw_member(*up2, "encrypted_content"), raw_member(answer, "encrypted_content"));
}

// ---- to_responses_request from canonical values ---------------------------------------------

Block text_block(std::string t) {
  Block b;
  b.text = std::move(t);
  return b;
}

TEST(ToResponsesRequest, RolesReasoningAndThinking) {
  Request r;
  r.model = "client-model";
  r.messages.push_back(Message{Role::kSystem, {text_block("sys one"), text_block("sys two")}});
  r.messages.push_back(Message{Role::kDeveloper, {text_block("dev lead")}});
  r.messages.push_back(Message{Role::kUser, {text_block("hello")}});
  Block thinking;
  thinking.kind = Block::Kind::kThinking;
  thinking.text = "anthropic thinking";
  thinking.signature = "anthropic-signature";
  Block kept;
  kept.kind = Block::Kind::kReasoning;
  kept.id = "rs_keep";
  kept.text = "summary";
  kept.signature = "enc/+=";
  Block unreplayable;  // no encrypted content: cannot be sent back with store:false
  unreplayable.kind = Block::Kind::kReasoning;
  unreplayable.id = "rs_drop";
  r.messages.push_back(
      Message{Role::kAssistant, {thinking, kept, unreplayable, text_block("a"), text_block("b")}});
  r.messages.push_back(Message{Role::kDeveloper, {text_block("late dev")}});
  r.messages.push_back(Message{Role::kSystem, {text_block("late sys")}});
  r.reasoning_effort = "high";
  r.max_tokens = 4;
  r.temperature = 0.5;
  auto body = to_responses_request(r, ResponsesTarget{"gpt-5.1-codex", 100, false});
  ASSERT_TRUE(body.ok()) << body.error().message;
  json::value v = json::parse(*body);
  EXPECT_EQ(v.at("model").as_string(), "gpt-5.1-codex");
  EXPECT_EQ(v.at("instructions").as_string(), "sys one\n\nsys two\n\ndev lead");
  const json::array& input = v.at("input").as_array();
  ASSERT_EQ(input.size(), 5u);
  EXPECT_EQ(input[0].at("role").as_string(), "user");
  EXPECT_EQ(input[1].at("type").as_string(), "reasoning");
  EXPECT_EQ(input[1].at("id").as_string(), "rs_keep");
  EXPECT_EQ(input[1].at("encrypted_content").as_string(), "enc/+=");
  EXPECT_EQ(input[2].at("role").as_string(), "assistant");
  EXPECT_EQ(input[2].at("content").as_array().size(), 2u);
  EXPECT_EQ(input[3].at("role").as_string(), "developer");
  EXPECT_EQ(input[4].at("role").as_string(), "developer");
  EXPECT_EQ(input[4].at("content").at(0).at("text").as_string(), "late sys");
  EXPECT_EQ(v.at("max_output_tokens").as_int64(), 16);  // the Responses minimum
  EXPECT_FALSE(v.as_object().contains("temperature"));  // reasoning models refuse it
  EXPECT_EQ(v.at("reasoning").at("effort").as_string(), "high");
  EXPECT_EQ(v.at("reasoning").at("summary").as_string(), "auto");
  EXPECT_EQ(v.at("store"), json::value(false));
  EXPECT_EQ(body->find("anthropic-signature"), std::string::npos);
}

TEST(ToResponsesRequest, RemoteImageIsRefused) {
  Request r;
  r.model = "m";
  Block img;
  img.kind = Block::Kind::kImage;
  img.image_url = "https://example.com/cat.png";
  r.messages.push_back(Message{Role::kUser, {img}});
  auto body = to_responses_request(r, ResponsesTarget{"gpt-5.1-codex"});
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().status, 400);
  EXPECT_EQ(body.error().code, "invalid_image_url");
}

TEST(FromResponsesRequest, CodexTurnCanonicalForm) {
  json::value doc = json::parse(read_file(testdata_dir() / "codex_turn.responses-request.json"));
  auto r = from_responses_request(json::serialize(doc.at("request")));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->model, "gpt-5.1-codex");
  EXPECT_TRUE(r->include_encrypted_reasoning);
  EXPECT_EQ(r->reasoning_summary, "auto");
  EXPECT_EQ(r->prompt_cache_key, "0199f3a2-conv");
  EXPECT_TRUE(r->stream);
  ASSERT_EQ(r->messages.size(), 8u);
  EXPECT_EQ(r->messages[0].role, Role::kSystem);  // instructions
  EXPECT_EQ(r->messages[1].role, Role::kDeveloper);
  EXPECT_EQ(r->messages[2].role, Role::kDeveloper);
  EXPECT_EQ(r->messages[3].role, Role::kUser);
  // reasoning + two function calls: one assistant message.
  const Message& a = r->messages[4];
  EXPECT_EQ(a.role, Role::kAssistant);
  ASSERT_EQ(a.content.size(), 3u);
  EXPECT_EQ(a.content[0].kind, Block::Kind::kReasoning);
  EXPECT_EQ(a.content[0].id, "rs_0a1b2c3d4e5f");
  EXPECT_EQ(a.content[0].signature, "gAAAAABpQ1x2+eYk/Zq9w3V0c0tFbkNyeXB0ZWQ==");
  EXPECT_EQ(a.content[0].text, R"(**Listing files**\n\nThen delegating.)");  // escaped
  EXPECT_EQ(a.content[1].kind, Block::Kind::kToolCall);
  EXPECT_EQ(a.content[1].id, "call_A1");
  EXPECT_EQ(a.content[2].id, "call_B2");
  // Both outputs: one tool message.
  EXPECT_EQ(r->messages[5].role, Role::kTool);
  ASSERT_EQ(r->messages[5].content.size(), 2u);
  EXPECT_EQ(r->messages[5].content[1].text, "int main(void) { return 0; }");
  EXPECT_EQ(r->messages[6].role, Role::kAssistant);  // reasoning + text
  EXPECT_EQ(r->messages[6].content.size(), 2u);
  EXPECT_EQ(r->messages[7].role, Role::kUser);
  // function + the namespace's two functions; web_search dropped.
  ASSERT_EQ(r->tools.size(), 3u);
  EXPECT_EQ(r->tools[1].name, "spawn_agent");
  EXPECT_EQ(r->tools[2].name, "wait_agent");
  EXPECT_EQ(r->tool_choice.mode, ToolChoice::Mode::kAuto);
  EXPECT_EQ(r->parallel_tool_calls, std::optional<bool>(true));
}

TEST(FromResponsesRequest, UserFallsBackToSafetyIdentifier) {
  auto a = from_responses_request(R"({"model":"m","input":"x","safety_identifier":"s"})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->user, "s");
  auto b = from_responses_request(
      R"({"model":"m","input":"x","user":"u","safety_identifier":"s","text":{"verbosity":"low"}})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->user, "u");
}

TEST(FromResponsesRequest, MalformedFieldsNameTheField) {
  struct Case {
    const char* body;
    const char* param;
  };
  const Case cases[] = {
      {R"({"input":"x"})", "model"},
      {R"({"model":"m"})", "input"},
      {R"({"model":"m","input":[]})", "input"},
      {R"({"model":"m","input":7})", "input"},
      {R"({"model":"m","input":[{"type":"function_call","name":"f"}]})", "input.0.call_id"},
      {R"({"model":"m","input":[{"type":"message","role":"bot","content":"x"}]})", "input.0.role"},
      {R"({"model":"m","input":"x","tools":[{"type":"function"}]})", "tools.0.name"},
      {R"({"model":"m","input":"x","tool_choice":"sometimes"})", "tool_choice"},
      {R"({"model":"m","input":"x","max_output_tokens":0})", "max_output_tokens"},
      {R"({"model":"m","input":"x","stream":"yes"})", "stream"},
      {R"({"model":"m","input":"x","conversation":"conv_1"})", "conversation"},
      {R"({"model":"m","input":"x","background":true})", "background"},
      {R"({"model":"m","input":"x","text":{"format":{"type":"json_schema"}}})",
       "text.format.schema"},
      {R"({"model":"m","input":[{"role":"user","content":[{"type":"input_file"}]}]})",
       "input.0.content.0.type"},
      {R"({"model":"m","input":[{"type":"compaction_summary"}]})", "input.0.type"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    auto r = from_responses_request(c.body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().status, 400);
    EXPECT_EQ(r.error().param, c.param);
  }
  auto bad = from_responses_request("{not json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().status, 400);
}

// ---- stream properties on random canonical event sequences ---------------------------------

TEST(ResponsesStreamProperties, RandomEventSequences) {
  std::mt19937 rng(20260117);
  const std::vector<std::string> texts = {"a", "Hello",       "x\\\"y", "\\n", "\\u00e9t\\u00e9",
                                          " ", "{\\\"k\\\":", "1}"};
  for (int round = 0; round < 400; ++round) {
    ResponsesStreamEncoder enc(ResponsesEnvelope{"resp_r" + std::to_string(round), 1, "m"});
    std::string out;
    StreamEvent start;
    start.kind = StreamEvent::Kind::kStart;
    if (rng() % 4) enc.on(start, out);
    std::vector<int> calls;
    std::vector<std::string> ids;  // keeps event strings alive during on()
    const int n = static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
      StreamEvent e;
      const std::string& t = texts[rng() % texts.size()];
      e.text = t;
      switch (rng() % 9) {
        case 0:
        case 1:
          e.kind = StreamEvent::Kind::kText;
          break;
        case 2:
          e.kind = StreamEvent::Kind::kThinking;
          break;
        case 3:
          e.kind = StreamEvent::Kind::kSignature;
          e.text = "sig+/=";
          break;
        case 4: {
          e.kind = StreamEvent::Kind::kReasoningItem;
          ids.push_back("rs_up" + std::to_string(rng() % 3));
          e.id = ids.back();
          e.text = rng() % 2 ? std::string_view() : std::string_view("enc==");
          break;
        }
        case 5: {
          e.kind = StreamEvent::Kind::kToolCall;
          e.index = static_cast<int>(rng() % 4);
          ids.push_back(rng() % 5 ? "call_" + std::to_string(i) : std::string());
          e.id = ids.back();
          e.name = "fn";
          calls.push_back(e.index);
          break;
        }
        case 6:
        case 7:
          e.kind = StreamEvent::Kind::kToolArgs;
          e.index = calls.empty() ? 0 : calls[rng() % calls.size()];
          break;
        default: {
          e.kind = StreamEvent::Kind::kFinish;
          const FinishReason f[] = {FinishReason::kStop, FinishReason::kLength,
                                    FinishReason::kToolCalls, FinishReason::kContentFilter};
          e.finish = f[rng() % 4];
          break;
        }
      }
      enc.on(e, out);
    }
    Usage u;
    u.known = rng() % 2;
    u.input_tokens = 10;
    u.output_tokens = 5;
    StreamEvent ue;
    ue.kind = StreamEvent::Kind::kUsage;
    ue.usage = &u;
    enc.on(ue, out);
    if (rng() % 10 == 0) {
      enc.fail(ApiError::bad_gateway("upstream \"broke\""), out);
    } else {
      enc.finish(out);
    }
    check_responses_stream(out, "round " + std::to_string(round));
    if (HasFailure()) {
      ADD_FAILURE() << out;
      return;
    }
  }
}

TEST(ResponsesStreamEncoder, FailBeforeStartIsOneErrorEvent) {
  ResponsesStreamEncoder enc(test_envelope());
  std::string out;
  ApiError e = ApiError::bad_gateway("gone");
  enc.fail(e, out);
  const auto events = sse_events(out);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "error");
  json::value v = json::parse(events[0].data);
  EXPECT_EQ(v.at("type").as_string(), "error");
  EXPECT_EQ(v.at("code").as_string(), "upstream_unreachable");
  EXPECT_EQ(v.at("error").at("message").as_string(), "gone");
  EXPECT_TRUE(v.at("param").is_null());
  EXPECT_EQ(v.at("sequence_number").as_int64(), 0);
  std::string more;
  enc.finish(more);
  EXPECT_TRUE(more.empty());
}

TEST(ResponsesStreamDecoder, TypeFromDataAndMalformed) {
  ResponsesStreamDecoder dec;
  std::vector<std::string> seen;
  auto sink = [&](const StreamEvent& e) {
    seen.push_back(std::to_string(static_cast<int>(e.kind)) + ":" + std::string(e.text));
  };
  dec.feed("", R"({"type":"response.output_text.delta","output_index":0,"delta":"hi\n"})", sink);
  dec.feed("", "not json", sink);
  dec.feed("", R"({"type":"response.completed","response":{"status":"completed"}})", sink);
  EXPECT_EQ(dec.malformed(), 1u);
  EXPECT_TRUE(dec.done());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], "0:");       // kStart
  EXPECT_EQ(seen[1], "1:hi\\n");  // kText, still escaped
  EXPECT_EQ(seen[2], "8:");       // kFinish
}

}  // namespace
}  // namespace cg::translate
