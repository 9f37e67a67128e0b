// POST /v1/messages (Anthropic Messages) through the gateway: the native path to Copilot's
// /v1/messages for Claude models, translation to /chat/completions or /responses for the others,
// streams, tools, thinking, X-Initiator, vision, anthropic-beta filtering and Anthropic-shaped
// errors; POST /v1/messages/count_tokens. Gateway and simulator in-process.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "harness.h"
#include "translate/count_tokens.h"
#include "translate/from_anthropic_request.h"

namespace cg::test {
namespace {

namespace json = boost::json;

constexpr const char* kAnthropicVersion = "2023-06-01";

Response post_messages(uint16_t port, const std::string& body,
                       std::vector<std::pair<std::string, std::string>> headers = {},
                       std::string path = "/v1/messages") {
  headers.emplace_back("anthropic-version", kAnthropicVersion);
  return request(port, http::verb::post, std::move(path), body, std::move(headers));
}

// A Messages body with one user text turn.
std::string messages_body(std::string_view model, std::string_view text, bool stream = false,
                          std::string_view extra = {}) {
  json::object b{{"model", model},
                 {"max_tokens", 1024},
                 {"messages", json::array{json::object{{"role", "user"}, {"content", text}}}}};
  if (stream) b["stream"] = true;
  std::string s = json::serialize(b);
  if (!extra.empty()) {
    s.pop_back();
    s += ",";
    s += extra;
    s += "}";
  }
  return s;
}

std::string with_messages(std::string_view model, const json::array& messages,
                          std::string_view extra = {}, bool stream = false) {
  json::object b{{"model", model}, {"max_tokens", 2048}, {"messages", messages}};
  if (stream) b["stream"] = true;
  std::string s = json::serialize(b);
  if (!extra.empty()) {
    s.pop_back();
    s += ",";
    s += extra;
    s += "}";
  }
  return s;
}

// The Anthropic error object of an error response, checked for the documented shape.
json::object anthropic_error(const Response& r) {
  json::object v;
  try {
    v = json::parse(r.body).as_object();
  } catch (const std::exception&) {
    ADD_FAILURE() << "not JSON: " << r.body;
    return {};
  }
  EXPECT_EQ(v.at("type").as_string(), "error") << r.body;
  EXPECT_FALSE(v.contains("object")) << r.body;  // not the OpenAI shape
  const json::object& e = v.at("error").as_object();
  EXPECT_TRUE(e.at("type").is_string()) << r.body;
  EXPECT_TRUE(e.at("message").is_string()) << r.body;
  return e;
}

using SseEvent = NamedEvent;

// `event:` + `data:` pairs of a complete Anthropic stream.
std::vector<SseEvent> anthropic_events(std::string_view body) {
  return named_sse_events(body);
}

struct StreamBlock {
  std::string type;
  std::string text, thinking, signature, id, name, input_json;
};

struct StreamSummary {
  std::vector<StreamBlock> blocks;
  std::string stop_reason;
  int64_t output_tokens = -1;
  int64_t input_tokens = -1;
  std::string model;
};

std::string text_of(const StreamSummary& s) {
  std::string t;
  for (const StreamBlock& b : s.blocks)
    if (b.type == "text") t += b.text;
  return t;
}

// Checks the event grammar of a complete, successful Anthropic stream (message_start first,
// blocks opened and closed in order with indexes 0, 1, 2..., one message_delta with usage,
// message_stop last) and reassembles its blocks.
StreamSummary check_stream(const std::vector<SseEvent>& events) {
  StreamSummary s;
  EXPECT_GE(events.size(), 3u);
  if (events.size() < 3) return s;
  EXPECT_EQ(events.front().name, "message_start");
  EXPECT_EQ(events.back().name, "message_stop");
  EXPECT_EQ(events[events.size() - 2].name, "message_delta");
  int open = -1;
  int next_index = 0;
  int deltas = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const SseEvent& e = events[i];
    EXPECT_EQ(e.data.at("type").as_string(), e.name) << i;
    if (e.name == "message_start") {
      EXPECT_EQ(i, 0u);
      const json::object& m = e.data.at("message").as_object();
      EXPECT_EQ(m.at("type").as_string(), "message");
      EXPECT_EQ(m.at("role").as_string(), "assistant");
      EXPECT_TRUE(m.at("content").as_array().empty());
      s.model = std::string(m.at("model").as_string());
      s.input_tokens = m.at("usage").at("input_tokens").as_int64();
    } else if (e.name == "content_block_start") {
      EXPECT_EQ(open, -1) << "block " << open << " still open at event " << i;
      const int64_t index = e.data.at("index").as_int64();
      EXPECT_EQ(index, next_index) << i;
      open = static_cast<int>(index);
      ++next_index;
      StreamBlock b;
      const json::object& cb = e.data.at("content_block").as_object();
      b.type = std::string(cb.at("type").as_string());
      if (b.type == "tool_use") {
        b.id = std::string(cb.at("id").as_string());
        b.name = std::string(cb.at("name").as_string());
      }
      s.blocks.push_back(std::move(b));
    } else if (e.name == "content_block_delta") {
      EXPECT_EQ(e.data.at("index").as_int64(), open) << i;
      if (open < 0 || s.blocks.empty()) continue;
      StreamBlock& b = s.blocks.back();
      const json::object& d = e.data.at("delta").as_object();
      const std::string_view dt = d.at("type").as_string();
      if (dt == "text_delta") {
        EXPECT_EQ(b.type, "text");
        b.text += d.at("text").as_string();
      } else if (dt == "thinking_delta") {
        EXPECT_EQ(b.type, "thinking");
        b.thinking += d.at("thinking").as_string();
      } else if (dt == "signature_delta") {
        EXPECT_EQ(b.type, "thinking");
        b.signature += d.at("signature").as_string();
      } else if (dt == "input_json_delta") {
        EXPECT_EQ(b.type, "tool_use");
        b.input_json += d.at("partial_json").as_string();
      } else {
        ADD_FAILURE() << "unexpected delta " << dt;
      }
    } else if (e.name == "content_block_stop") {
      EXPECT_EQ(e.data.at("index").as_int64(), open) << i;
      open = -1;
    } else if (e.name == "message_delta") {
      ++deltas;
      EXPECT_EQ(open, -1) << "message_delta inside a block";
      const json::value& reason = e.data.at("delta").at("stop_reason");
      EXPECT_TRUE(reason.is_string());
      if (reason.is_string()) s.stop_reason = std::string(reason.as_string());
      s.output_tokens = e.data.at("usage").at("output_tokens").as_int64();
    } else if (e.name == "message_stop" || e.name == "ping") {
    } else {
      ADD_FAILURE() << "unexpected event " << e.name;
    }
  }
  EXPECT_EQ(deltas, 1);
  EXPECT_EQ(open, -1);
  EXPECT_GT(s.output_tokens, 0);
  return s;
}

class MessagesTest : public ::testing::Test {
 protected:
  void SetUp() override { env_ = start_env(); }
  sim::AccountStats stats() const { return env_->sim->stats(kSimLogin); }
  uint16_t port() const { return env_->port(); }
  std::unique_ptr<Env> env_;
};

// --- Native path ---------------------------------------------------------------------------

TEST_F(MessagesTest, DatedClaudeNameGoesNativeWithTheCatalogId) {
  const std::string body = messages_body("claude-sonnet-4-20250514", "hello native");
  Response r = post_messages(port(), body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
  const json::object v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("type").as_string(), "message");
  EXPECT_EQ(v.at("role").as_string(), "assistant");
  EXPECT_TRUE(v.at("id").as_string().starts_with("msg_"));
  ASSERT_EQ(v.at("content").as_array().size(), 1u);
  EXPECT_EQ(v.at("content").at(0).at("type").as_string(), "text");
  EXPECT_EQ(v.at("content").at(0).at("text").as_string(), "You said: hello native");
  EXPECT_EQ(v.at("stop_reason").as_string(), "end_turn");
  EXPECT_GT(v.at("usage").at("input_tokens").as_int64(), 0);
  EXPECT_GT(v.at("usage").at("output_tokens").as_int64(), 0);
  // The Anthropic SDKs read the request id from request-id.
  EXPECT_FALSE(r.header("request-id").empty());
  EXPECT_EQ(r.header("request-id"), r.header("x-request-id"));

  const sim::AccountStats s = stats();
  EXPECT_EQ(s.by_endpoint.at("/v1/messages"), 1u);
  EXPECT_EQ(s.by_endpoint.at("/chat/completions"), 0u);
  EXPECT_EQ(s.by_endpoint.at("/responses"), 0u);
  // The client's bytes, only the model id rewritten.
  std::string expected = body;
  expected.replace(expected.find("claude-sonnet-4-20250514"), 24, "claude-sonnet-4");
  EXPECT_EQ(s.last_body, expected);
  EXPECT_EQ(s.last_headers.at("anthropic-version"), kAnthropicVersion);
}

TEST_F(MessagesTest, ExactCatalogIdIsForwardedByteForByte) {
  const std::string body = messages_body("claude-haiku-4.5", "same bytes");
  ASSERT_EQ(post_messages(port(), body).status, 200);
  EXPECT_EQ(stats().last_body, body);
  // Other spellings of the same model.
  ASSERT_EQ(post_messages(port(), messages_body("claude-haiku-4-5-20251001", "x")).status, 200);
  EXPECT_EQ(json::parse(stats().last_body).at("model").as_string(), "claude-haiku-4.5");
  ASSERT_EQ(post_messages(port(), messages_body("claude-opus-4-1", "x")).status, 200);
  EXPECT_EQ(json::parse(stats().last_body).at("model").as_string(), "claude-opus-4.1");
  EXPECT_EQ(stats().by_endpoint.at("/v1/messages"), 3u);
}

TEST_F(MessagesTest, NativeStreamIsRelayedInOrder) {
  Response r = post_messages(
      port(), messages_body("claude-sonnet-4-20250514", "stream native [[sim:chunks=6]]", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  const StreamSummary s = check_stream(anthropic_events(r.body));
  EXPECT_EQ(text_of(s), "You said: stream native");
  EXPECT_EQ(s.stop_reason, "end_turn");
  EXPECT_EQ(stats().by_endpoint.at("/v1/messages"), 1u);
  EXPECT_EQ(json::parse(stats().last_body).at("model").as_string(), "claude-sonnet-4");
}

TEST_F(MessagesTest, AnthropicPrefixServesTheSameApi) {
  Response r = post_messages(port(), messages_body("claude-sonnet-4.5", "prefixed"), {},
                             "/anthropic/v1/messages?beta=true");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("content").at(0).at("text").as_string(), "You said: prefixed");
  EXPECT_EQ(stats().by_endpoint.at("/v1/messages"), 1u);
}

// --- Translated paths ----------------------------------------------------------------------

TEST_F(MessagesTest, GptModelIsTranslatedToChat) {
  Response r = post_messages(port(), messages_body("gpt-4.1", "hello translated"));
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("type").as_string(), "message");
  EXPECT_EQ(v.at("role").as_string(), "assistant");
  EXPECT_TRUE(v.at("id").as_string().starts_with("msg_"));
  EXPECT_EQ(v.at("model").as_string(), "gpt-4.1");
  ASSERT_FALSE(v.at("content").as_array().empty());
  EXPECT_EQ(v.at("content").at(0).at("type").as_string(), "text");
  EXPECT_EQ(v.at("content").at(0).at("text").as_string(), "You said: hello translated");
  EXPECT_EQ(v.at("stop_reason").as_string(), "end_turn");
  EXPECT_GT(v.at("usage").at("input_tokens").as_int64(), 0);
  EXPECT_GT(v.at("usage").at("output_tokens").as_int64(), 0);

  const sim::AccountStats s = stats();
  EXPECT_EQ(s.by_endpoint.at("/chat/completions"), 1u);
  EXPECT_EQ(s.by_endpoint.at("/v1/messages"), 0u);
  const json::object sent = json::parse(s.last_body).as_object();
  EXPECT_EQ(sent.at("model").as_string(), "gpt-4.1");
  EXPECT_EQ(sent.at("messages").at(0).at("role").as_string(), "user");
  EXPECT_EQ(sent.at("max_tokens").as_int64(), 1024);
}

TEST_F(MessagesTest, GptModelStreamIsTranslated) {
  Response r =
      post_messages(port(), messages_body("gpt-4.1", "stream translated [[sim:chunks=5]]", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  const StreamSummary s = check_stream(anthropic_events(r.body));
  EXPECT_EQ(text_of(s), "You said: stream translated");
  EXPECT_EQ(s.stop_reason, "end_turn");
  EXPECT_EQ(s.model, "gpt-4.1");
  EXPECT_EQ(stats().by_endpoint.at("/chat/completions"), 1u);
  EXPECT_EQ(stats().by_endpoint.at("/v1/messages"), 0u);
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
}

TEST_F(MessagesTest, ResponsesOnlyModelGoesToResponses) {
  Response r = post_messages(port(), messages_body("gpt-5.1-codex", "codex please"));
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("type").as_string(), "message");
  std::string text;
  for (const json::value& b : v.at("content").as_array())
    if (b.at("type").as_string() == "text") text += b.at("text").as_string();
  EXPECT_EQ(text, "You said: codex please");
  EXPECT_EQ(stats().by_endpoint.at("/responses"), 1u);
  EXPECT_EQ(stats().by_endpoint.at("/chat/completions"), 0u);
  const json::object sent = json::parse(stats().last_body).as_object();
  EXPECT_EQ(sent.at("model").as_string(), "gpt-5.1-codex");
  EXPECT_TRUE(sent.contains("input"));

  Response s = post_messages(port(), messages_body("gpt-5.1-codex", "codex stream", true));
  ASSERT_EQ(s.status, 200) << s.body;
  const StreamSummary sum = check_stream(anthropic_events(s.body));
  EXPECT_EQ(text_of(sum), "You said: codex stream");
  EXPECT_EQ(stats().by_endpoint.at("/responses"), 2u);
}

TEST(MessagesNoNative, ClaudeIsTranslatedToChatWhenNativeMessagesIsOff) {
  auto env = start_env({}, [](Config& c) { c.api.native_messages = false; });
  Response r = post_messages(env->port(), messages_body("claude-sonnet-4-20250514", "via chat"));
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("type").as_string(), "message");
  // The client sees the name it used.
  EXPECT_EQ(v.at("model").as_string(), "claude-sonnet-4-20250514");
  std::string text;
  for (const json::value& b : v.at("content").as_array())
    if (b.at("type").as_string() == "text") text += b.at("text").as_string();
  EXPECT_EQ(text, "You said: via chat");
  const sim::AccountStats s = env->sim->stats(kSimLogin);
  EXPECT_EQ(s.by_endpoint.at("/chat/completions"), 1u);
  EXPECT_EQ(s.by_endpoint.at("/v1/messages"), 0u);
  EXPECT_EQ(json::parse(s.last_body).at("model").as_string(), "claude-sonnet-4");

  Response st =
      post_messages(env->port(), messages_body("claude-sonnet-4-20250514", "chat stream", true));
  ASSERT_EQ(st.status, 200) << st.body;
  EXPECT_EQ(text_of(check_stream(anthropic_events(st.body))), "You said: chat stream");
  EXPECT_EQ(env->sim->stats(kSimLogin).by_endpoint.at("/chat/completions"), 2u);
}

// --- Tools ---------------------------------------------------------------------------------

constexpr const char* kWeatherTool =
    R"("tools":[{"name":"get_weather","description":"Weather of a city",)"
    R"("input_schema":{"type":"object","properties":{"city":{"type":"string"}},)"
    R"("required":["city"]}}])";

void tool_round_trip(Env& env, const std::string& model, bool expect_native) {
  SCOPED_TRACE(model);
  const json::object user{{"role", "user"}, {"content", "Paris"}};
  Response first = post_messages(env.port(), with_messages(model, {user}, kWeatherTool));
  ASSERT_EQ(first.status, 200) << first.body;
  const json::object v = json::parse(first.body).as_object();
  EXPECT_EQ(v.at("stop_reason").as_string(), "tool_use");
  const json::array& content = v.at("content").as_array();
  const json::object* call = nullptr;
  for (const json::value& b : content)
    if (b.at("type").as_string() == "tool_use") call = &b.as_object();
  ASSERT_NE(call, nullptr) << first.body;
  EXPECT_EQ(call->at("name").as_string(), "get_weather");
  EXPECT_EQ(call->at("input"), json::value(json::object{{"city", "Paris"}}));
  const std::string id(call->at("id").as_string());
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(env.sim->stats(kSimLogin).last_headers.at("x-initiator"), "user");

  // The assistant turn goes back as received, then the tool result.
  const json::object assistant{{"role", "assistant"}, {"content", content}};
  const json::object result{
      {"role", "user"},
      {"content", json::array{json::object{
                      {"type", "tool_result"}, {"tool_use_id", id}, {"content", "Sunny, 24C"}}}}};
  Response second =
      post_messages(env.port(), with_messages(model, {user, assistant, result}, kWeatherTool));
  ASSERT_EQ(second.status, 200) << second.body;
  const json::object w = json::parse(second.body).as_object();
  std::string text;
  for (const json::value& b : w.at("content").as_array())
    if (b.at("type").as_string() == "text") text += b.at("text").as_string();
  EXPECT_EQ(text, "Tool result received: Sunny, 24C");
  EXPECT_EQ(w.at("stop_reason").as_string(), "end_turn");
  const sim::AccountStats s = env.sim->stats(kSimLogin);
  EXPECT_EQ(s.last_headers.at("x-initiator"), "agent");
  if (expect_native) {
    EXPECT_EQ(s.by_endpoint.at("/v1/messages"), 2u);
  } else {
    EXPECT_EQ(s.by_endpoint.at("/chat/completions"), 2u);
    // The call id links the chat tool message to the assistant's tool call.
    const json::object sent = json::parse(s.last_body).as_object();
    const json::array& msgs = sent.at("messages").as_array();
    ASSERT_GE(msgs.size(), 3u);
    EXPECT_EQ(msgs.at(1).at("tool_calls").at(0).at("id").as_string(), id);
    EXPECT_EQ(msgs.back().at("role").as_string(), "tool");
    EXPECT_EQ(msgs.back().at("tool_call_id").as_string(), id);
  }
}

TEST(MessagesTools, NativeRoundTrip) {
  auto env = start_env();
  tool_round_trip(*env, "claude-sonnet-4.5", true);
}

TEST(MessagesTools, TranslatedRoundTrip) {
  auto env = start_env();
  tool_round_trip(*env, "gpt-4.1", false);
}

TEST_F(MessagesTest, StreamedToolUseHasItsInputAsJsonDeltas) {
  for (const char* model : {"claude-sonnet-4.5", "gpt-4.1"}) {
    SCOPED_TRACE(model);
    const json::object user{{"role", "user"}, {"content", "Berlin"}};
    Response r = post_messages(port(), with_messages(model, {user}, kWeatherTool, true));
    ASSERT_EQ(r.status, 200) << r.body;
    const StreamSummary s = check_stream(anthropic_events(r.body));
    EXPECT_EQ(s.stop_reason, "tool_use");
    const StreamBlock* call = nullptr;
    for (const StreamBlock& b : s.blocks)
      if (b.type == "tool_use") call = &b;
    ASSERT_NE(call, nullptr);
    EXPECT_EQ(call->name, "get_weather");
    EXPECT_FALSE(call->id.empty());
    EXPECT_EQ(json::parse(call->input_json), json::value(json::object{{"city", "Berlin"}}));
  }
}

// --- Thinking ------------------------------------------------------------------------------

constexpr const char* kThinking = R"("thinking":{"type":"enabled","budget_tokens":1024})";

TEST_F(MessagesTest, NativeThinkingSignatureRoundTrip) {
  const json::object user{{"role", "user"}, {"content", "why is the sky blue"}};
  Response first = post_messages(port(), with_messages("claude-sonnet-4.5", {user}, kThinking));
  ASSERT_EQ(first.status, 200) << first.body;
  const json::array content = json::parse(first.body).at("content").as_array();
  ASSERT_GE(content.size(), 2u) << first.body;
  EXPECT_EQ(content.at(0).at("type").as_string(), "thinking");
  EXPECT_EQ(content.at(0).at("thinking").as_string(), "Thinking about: why is the sky blue");
  const std::string signature(content.at(0).at("signature").as_string());
  EXPECT_TRUE(signature.starts_with("sig_")) << signature;

  // The signed thinking goes back unchanged: the simulator verifies it.
  const json::object next{{"role", "user"}, {"content", "and at sunset?"}};
  Response second = post_messages(
      port(), with_messages("claude-sonnet-4.5",
                            {user, json::object{{"role", "assistant"}, {"content", content}}, next},
                            kThinking));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(stats().by_endpoint.at("/v1/messages"), 2u);

  // A tampered signature is refused by the upstream; the client sees its 400 in Anthropic shape.
  json::array tampered = content;
  tampered.at(0).as_object()["signature"] = "sig_" + std::string(32, '0');
  Response bad = post_messages(
      port(),
      with_messages("claude-sonnet-4.5",
                    {user, json::object{{"role", "assistant"}, {"content", tampered}}, next},
                    kThinking));
  EXPECT_EQ(bad.status, 400) << bad.body;
  const json::object e = anthropic_error(bad);
  EXPECT_EQ(e.at("type").as_string(), "invalid_request_error");
  EXPECT_NE(std::string(e.at("message").as_string()).find("signature"), std::string::npos)
      << bad.body;
  // So is the right signature on altered thinking text.
  json::array altered = content;
  altered.at(0).as_object()["thinking"] = "Thinking about: something else";
  Response bad2 = post_messages(
      port(), with_messages("claude-sonnet-4.5",
                            {user, json::object{{"role", "assistant"}, {"content", altered}}, next},
                            kThinking));
  EXPECT_EQ(bad2.status, 400) << bad2.body;
}

TEST_F(MessagesTest, NativeStreamedThinkingRoundTrip) {
  const json::object user{{"role", "user"}, {"content", "think while streaming"}};
  Response r = post_messages(port(), with_messages("claude-sonnet-4", {user}, kThinking, true));
  ASSERT_EQ(r.status, 200) << r.body;
  const StreamSummary s = check_stream(anthropic_events(r.body));
  ASSERT_GE(s.blocks.size(), 2u);
  EXPECT_EQ(s.blocks[0].type, "thinking");
  EXPECT_EQ(s.blocks[0].thinking, "Thinking about: think while streaming");
  EXPECT_TRUE(s.blocks[0].signature.starts_with("sig_"));
  EXPECT_EQ(text_of(s), "You said: think while streaming");

  const json::array content{json::object{{"type", "thinking"},
                                         {"thinking", s.blocks[0].thinking},
                                         {"signature", s.blocks[0].signature}},
                            json::object{{"type", "text"}, {"text", text_of(s)}}};
  Response second = post_messages(
      port(), with_messages("claude-sonnet-4",
                            {user, json::object{{"role", "assistant"}, {"content", content}},
                             json::object{{"role", "user"}, {"content", "more"}}},
                            kThinking));
  EXPECT_EQ(second.status, 200) << second.body;
}

TEST(MessagesNoNative, TranslatedThinkingRoundTrip) {
  auto env = start_env({}, [](Config& c) { c.api.native_messages = false; });
  const json::object user{{"role", "user"}, {"content", "ponder this"}};
  Response first =
      post_messages(env->port(), with_messages("claude-sonnet-4.5", {user}, kThinking));
  ASSERT_EQ(first.status, 200) << first.body;
  sim::AccountStats s = env->sim->stats(kSimLogin);
  EXPECT_EQ(s.by_endpoint.at("/chat/completions"), 1u);
  EXPECT_GE(json::parse(s.last_body).at("thinking_budget").as_int64(), 1024);
  const json::array content = json::parse(first.body).at("content").as_array();
  ASSERT_GE(content.size(), 2u) << first.body;
  EXPECT_EQ(content.at(0).at("type").as_string(), "thinking");
  EXPECT_EQ(content.at(0).at("thinking").as_string(), "Thinking about: ponder this");
  const std::string signature(content.at(0).at("signature").as_string());
  EXPECT_FALSE(signature.empty());

  // Sent back, the thinking becomes Copilot's reasoning fields on the assistant message.
  Response second = post_messages(
      env->port(), with_messages("claude-sonnet-4.5",
                                 {user, json::object{{"role", "assistant"}, {"content", content}},
                                  json::object{{"role", "user"}, {"content", "go on"}}},
                                 kThinking));
  ASSERT_EQ(second.status, 200) << second.body;
  s = env->sim->stats(kSimLogin);
  const json::object sent = json::parse(s.last_body).as_object();
  const json::object& assistant = sent.at("messages").at(1).as_object();
  EXPECT_EQ(assistant.at("role").as_string(), "assistant");
  EXPECT_EQ(assistant.at("reasoning_opaque").as_string(), signature);
  EXPECT_EQ(assistant.at("reasoning_text").as_string(), "Thinking about: ponder this");

  // Streamed, the thinking and its signature arrive as deltas.
  Response st =
      post_messages(env->port(), with_messages("claude-sonnet-4.5", {user}, kThinking, true));
  ASSERT_EQ(st.status, 200) << st.body;
  const StreamSummary sum = check_stream(anthropic_events(st.body));
  ASSERT_GE(sum.blocks.size(), 2u);
  EXPECT_EQ(sum.blocks[0].type, "thinking");
  EXPECT_EQ(sum.blocks[0].thinking, "Thinking about: ponder this");
  EXPECT_FALSE(sum.blocks[0].signature.empty());
  EXPECT_EQ(text_of(sum), "You said: ponder this");
}

// --- Headers -------------------------------------------------------------------------------

TEST_F(MessagesTest, InitiatorFollowsTheLastTurn) {
  const json::object user{{"role", "user"}, {"content", "list files"}};
  const json::object call_turn{
      {"role", "assistant"},
      {"content",
       json::array{json::object{
           {"type", "tool_use"}, {"id", "toolu_01"}, {"name", "ls"}, {"input", json::object{}}}}}};
  const json::object result_turn{{"role", "user"},
                                 {"content", json::array{json::object{{"type", "tool_result"},
                                                                      {"tool_use_id", "toolu_01"},
                                                                      {"content", "a.txt"}}}}};
  for (const char* model : {"claude-sonnet-4.5", "gpt-4.1"}) {
    SCOPED_TRACE(model);
    env_->sim->reset_stats();
    ASSERT_EQ(post_messages(port(), with_messages(model, {user})).status, 200);
    EXPECT_EQ(stats().last_headers.at("x-initiator"), "user");
    ASSERT_EQ(post_messages(port(), with_messages(model, {user, call_turn, result_turn})).status,
              200);
    EXPECT_EQ(stats().last_headers.at("x-initiator"), "agent");
    const sim::AccountStats s = stats();
    EXPECT_EQ(s.initiator_user, 1u);
    EXPECT_EQ(s.initiator_agent, 1u);
  }
}

TEST_F(MessagesTest, ImageInsideAToolResultSetsTheVisionHeader) {
  const std::string png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJg"
      "gg==";
  const json::object user{{"role", "user"}, {"content", "take a screenshot"}};
  const json::object call_turn{{"role", "assistant"},
                               {"content", json::array{json::object{{"type", "tool_use"},
                                                                    {"id", "toolu_02"},
                                                                    {"name", "screenshot"},
                                                                    {"input", json::object{}}}}}};
  const json::object result_turn{
      {"role", "user"},
      {"content",
       json::array{json::object{
           {"type", "tool_result"},
           {"tool_use_id", "toolu_02"},
           {"content", json::array{json::object{{"type", "text"}, {"text", "here it is"}},
                                   json::object{{"type", "image"},
                                                {"source", json::object{{"type", "base64"},
                                                                        {"media_type", "image/png"},
                                                                        {"data", png}}}}}}}}}};
  for (const char* model : {"claude-sonnet-4.5", "gpt-4.1"}) {
    SCOPED_TRACE(model);
    env_->sim->reset_stats();
    ASSERT_EQ(post_messages(port(), with_messages(model, {user})).status, 200);
    EXPECT_EQ(stats().vision_requests, 0u);
    EXPECT_EQ(stats().last_headers.count("copilot-vision-request"), 0u);
    Response r = post_messages(port(), with_messages(model, {user, call_turn, result_turn}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(stats().vision_requests, 1u);
    EXPECT_EQ(stats().last_headers.at("copilot-vision-request"), "true");
  }
}

TEST_F(MessagesTest, OnlyUnderstoodBetaFeaturesAreForwarded) {
  Response r = post_messages(
      port(), messages_body("claude-sonnet-4.5", "beta"),
      {{"anthropic-beta",
        "interleaved-thinking-2025-05-14, computer-use-2025-01-24,context-management-2025-06-27,"
        "prompt-caching-2024-07-31 , advanced-tool-use-2025-11-20,fine-grained-tool-streaming-"
        "2025-05-14,token-efficient-tools-2025-02-19,files-api-2025-04-14,oauth-2025-04-20"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(stats().last_headers.at("anthropic-beta"),
            "interleaved-thinking-2025-05-14,context-management-2025-06-27,"
            "advanced-tool-use-2025-11-20,fine-grained-tool-streaming-2025-05-14,"
            "token-efficient-tools-2025-02-19");
  // Nothing understood: no header at all.
  ASSERT_EQ(post_messages(port(), messages_body("claude-sonnet-4.5", "beta"),
                          {{"anthropic-beta", "prompt-caching-2024-07-31,oauth-2025-04-20"}})
                .status,
            200);
  EXPECT_EQ(stats().last_headers.count("anthropic-beta"), 0u);
  // The client's anthropic-version goes along; without one, 2023-06-01.
  Response old =
      request(port(), http::verb::post, "/v1/messages", messages_body("claude-sonnet-4.5", "v"),
              {{"anthropic-version", "2023-01-01"}});
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(stats().last_headers.at("anthropic-version"), "2023-01-01");
  Response noversion =
      request(port(), http::verb::post, "/v1/messages", messages_body("claude-sonnet-4.5", "v"));
  ASSERT_EQ(noversion.status, 200) << noversion.body;
  EXPECT_EQ(stats().last_headers.at("anthropic-version"), "2023-06-01");
  // The client's API key never travels upstream.
  for (const auto& [k, v] : stats().last_headers)
    EXPECT_EQ(v.find(kApiKey), std::string::npos) << k;
}

// --- Errors --------------------------------------------------------------------------------

TEST_F(MessagesTest, UnknownModelIs404NamingTheModels) {
  Response r = post_messages(port(), messages_body("claude-nonexistent-9", "x"));
  EXPECT_EQ(r.status, 404) << r.body;
  const json::object e = anthropic_error(r);
  EXPECT_EQ(e.at("type").as_string(), "not_found_error");
  const std::string msg(e.at("message").as_string());
  EXPECT_NE(msg.find("claude-nonexistent-9"), std::string::npos) << msg;
  EXPECT_NE(msg.find("claude-sonnet-4.5"), std::string::npos) << msg;
  EXPECT_NE(msg.find("gpt-4.1"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("text-embedding-3-small"), std::string::npos) << msg;
  EXPECT_EQ(stats().completions, 0u);
}

TEST_F(MessagesTest, InvalidRequestsAre400InAnthropicShape) {
  // max_tokens is required.
  Response r = post_messages(
      port(), R"({"model":"claude-sonnet-4.5","messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  json::object e = anthropic_error(r);
  EXPECT_EQ(e.at("type").as_string(), "invalid_request_error");
  EXPECT_NE(std::string(e.at("message").as_string()).find("max_tokens"), std::string::npos);
  // Remote image URLs are not fetched.
  const json::object user{
      {"role", "user"},
      {"content",
       json::array{json::object{
           {"type", "image"},
           {"source", json::object{{"type", "url"}, {"url", "https://example.com/cat.png"}}}}}}};
  Response u = post_messages(port(), with_messages("claude-sonnet-4.5", {user}));
  EXPECT_EQ(u.status, 400) << u.body;
  EXPECT_EQ(anthropic_error(u).at("type").as_string(), "invalid_request_error");
  // Malformed JSON.
  Response m = post_messages(port(), R"({"model":"claude-sonnet-4.5","max_tokens":)");
  EXPECT_EQ(m.status, 400) << m.body;
  anthropic_error(m);
  // Nothing reached the upstream.
  EXPECT_EQ(stats().completions, 0u);
}

TEST_F(MessagesTest, WrongKeyIs401InAnthropicShape) {
  Response r =
      request(port(), http::verb::post, "/v1/messages", messages_body("claude-sonnet-4.5", "x"),
              {{"x-api-key", "sk-ant-wrong"}, {"anthropic-version", kAnthropicVersion}}, false);
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(anthropic_error(r).at("type").as_string(), "authentication_error");
  EXPECT_EQ(r.body.find("sk-ant-wrong"), std::string::npos);
  // The right key as x-api-key, the way Anthropic SDKs send it.
  Response ok =
      request(port(), http::verb::post, "/v1/messages", messages_body("claude-sonnet-4.5", "x"),
              {{"x-api-key", kApiKey}, {"anthropic-version", kAnthropicVersion}}, false);
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(MessagesTest, WrongMethodIs405InAnthropicShape) {
  Response r = request(port(), http::verb::get, "/v1/messages");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "POST");
  anthropic_error(r);
}

TEST_F(MessagesTest, UpstreamRateLimitAndOverload) {
  for (const char* model : {"claude-sonnet-4.5", "gpt-4.1"}) {
    SCOPED_TRACE(model);
    Response r = post_messages(port(), messages_body(model, "x [[sim:status=429,retry_after=1]]"));
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(r.header("retry-after"), "1");
    // The account rests for the retry-after before the next request reaches Copilot.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    json::object e = anthropic_error(r);
    EXPECT_EQ(e.at("type").as_string(), "rate_limit_error");
    EXPECT_NE(std::string(e.at("message").as_string()).find("simulated 429"), std::string::npos);

    Response o = post_messages(port(), messages_body(model, "x [[sim:status=529]]"));
    EXPECT_EQ(o.status, 529) << o.body;
    EXPECT_EQ(anthropic_error(o).at("type").as_string(), "overloaded_error");

    // The same faults on a streaming request come back before the stream starts.
    Response s = post_messages(port(), messages_body(model, "x [[sim:status=529]]", true));
    EXPECT_EQ(s.status, 529) << s.body;
    EXPECT_EQ(anthropic_error(s).at("type").as_string(), "overloaded_error");
  }
}

TEST_F(MessagesTest, MidStreamDropEndsWithAnErrorEvent) {
  for (const char* model : {"claude-sonnet-4.5", "gpt-4.1"}) {
    SCOPED_TRACE(model);
    // request() reads to the end of the chunked body: a status of -1 means an unclean end.
    Response r = post_messages(port(), messages_body(model, "drop me [[sim:drop_after=3]]", true));
    ASSERT_EQ(r.status, 200) << r.body;
    const std::vector<SseEvent> events = anthropic_events(r.body);
    ASSERT_GE(events.size(), 2u) << r.body;
    EXPECT_EQ(events.front().name, "message_start");
    EXPECT_EQ(events.back().name, "error");
    EXPECT_EQ(events.back().data.at("type").as_string(), "error");
    EXPECT_TRUE(events.back().data.at("error").at("type").is_string());
    EXPECT_FALSE(events.back().data.at("error").at("message").as_string().empty());
    for (const SseEvent& e : events)
      EXPECT_NE(e.name, "message_stop");
    EXPECT_EQ(r.body.substr(r.body.size() - 2), "\n\n");
  }
  // The gateway is fine afterwards.
  EXPECT_EQ(post_messages(port(), messages_body("claude-sonnet-4.5", "after")).status, 200);
}

// --- count_tokens --------------------------------------------------------------------------

int64_t count(uint16_t port, const std::string& body, int expect_status = 200) {
  Response r = post_messages(port, body, {}, "/v1/messages/count_tokens");
  EXPECT_EQ(r.status, expect_status) << r.body;
  if (r.status != 200) return -1;
  const json::object v = json::parse(r.body).as_object();
  EXPECT_EQ(v.size(), 1u) << r.body;
  return v.at("input_tokens").as_int64();
}

std::string count_body(std::string_view model, std::string_view text, std::string_view extra = {}) {
  json::object b{{"model", model},
                 {"messages", json::array{json::object{{"role", "user"}, {"content", text}}}}};
  std::string s = json::serialize(b);
  if (!extra.empty()) {
    s.pop_back();
    s += ",";
    s += extra;
    s += "}";
  }
  return s;
}

int64_t expected_count(const std::string& body, bool claude) {
  translate::AnthropicParseOptions o;
  o.require_max_tokens = false;
  auto parsed = translate::from_anthropic_request(body, o);
  EXPECT_TRUE(parsed.ok());
  if (!parsed.ok()) return -2;
  translate::CountOptions c;
  c.claude = claude;
  return translate::count_input_tokens(*parsed, c);
}

TEST_F(MessagesTest, CountTokensCountsLocally) {
  // Warm the catalog, then make sure no completion call is made.
  ASSERT_GT(count(port(), count_body("claude-sonnet-4.5", "warm")), 0);
  env_->sim->reset_stats();

  const std::string short_body = count_body("claude-sonnet-4-20250514", "Hello, world");
  const std::string long_body = count_body(
      "claude-sonnet-4-20250514",
      "Hello, world. This is a considerably longer message that should count for more tokens "
      "than the short one, with some code: for (int i = 0; i < n; ++i) { sum += i; }");
  const int64_t a = count(port(), short_body);
  const int64_t b = count(port(), long_body);
  EXPECT_GT(a, 0);
  EXPECT_GT(b, a);
  EXPECT_EQ(a, expected_count(short_body, true));
  EXPECT_EQ(b, expected_count(long_body, true));

  // Tools add tokens (and the Claude tool prompt).
  const std::string tools_body =
      count_body("claude-sonnet-4-20250514", "Hello, world", kWeatherTool);
  const int64_t t = count(port(), tools_body);
  EXPECT_GT(t, a + 346);
  EXPECT_EQ(t, expected_count(tools_body, true));

  // Non-Claude models get the plain o200k count.
  const std::string gpt = count_body("gpt-4.1", "Hello, world");
  EXPECT_EQ(count(port(), gpt), expected_count(gpt, false));
  EXPECT_LT(expected_count(gpt, false), a);

  // Also under /anthropic/v1, and with max_tokens present.
  Response p = post_messages(port(), messages_body("claude-sonnet-4.5", "x"), {},
                             "/anthropic/v1/messages/count_tokens");
  EXPECT_EQ(p.status, 200) << p.body;

  const sim::AccountStats s = stats();
  EXPECT_EQ(s.completions, 0u);
  for (const auto& [endpoint, n] : s.by_endpoint)
    EXPECT_EQ(n, 0u) << endpoint;
}

TEST_F(MessagesTest, CountTokensErrors) {
  Response r =
      post_messages(port(), count_body("no-such-model", "x"), {}, "/v1/messages/count_tokens");
  EXPECT_EQ(r.status, 404) << r.body;
  const json::object e = anthropic_error(r);
  EXPECT_EQ(e.at("type").as_string(), "not_found_error");
  EXPECT_NE(std::string(e.at("message").as_string()).find("no-such-model"), std::string::npos);
  Response b =
      post_messages(port(), R"({"model":"claude-sonnet-4.5"})", {}, "/v1/messages/count_tokens");
  EXPECT_EQ(b.status, 400) << b.body;
  EXPECT_EQ(anthropic_error(b).at("type").as_string(), "invalid_request_error");
  EXPECT_EQ(stats().completions, 0u);
}

}  // namespace
}  // namespace cg::test
