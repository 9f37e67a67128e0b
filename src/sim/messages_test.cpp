// Tests of POST /v1/messages over real sockets: message and SSE event shapes, tool use, tool
// results, signed thinking blocks verified on the way back, validation, endpoint checks and
// faults. Test thread only.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sim/sim_test_client.h"

namespace cg::sim {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::Response;
using testing::sse_events;
using testing::SseEvent;

constexpr const char* kTools =
    R"([{"type":"web_search_20250305","name":"web_search","max_uses":1},)"
    R"({"name":"search","description":"d","input_schema":{"type":"object","properties":)"
    R"({"query":{"type":"string"},"limit":{"type":"integer"}}}},)"
    R"({"name":"other","input_schema":{"type":"object"}}])";

json::object user_text(const std::string& text) {
  return {{"role", "user"}, {"content", text}};
}

std::string messages_body(const std::string& model, json::array messages, bool stream = false,
                          const json::object& extra = {}) {
  json::object body{{"model", model}, {"max_tokens", 4096}, {"messages", std::move(messages)}};
  if (stream) body["stream"] = true;
  for (const auto& kv : extra)
    body[kv.key()] = kv.value();
  return json::serialize(body);
}

json::object with_thinking(json::object extra = {}) {
  extra["thinking"] = {{"type", "enabled"}, {"budget_tokens", 2048}};
  return extra;
}

json::object with_tools(json::object extra = {}) {
  extra["tools"] = json::parse(kTools);
  return extra;
}

class MessagesTest : public testing::SimFixture {
 protected:
  void SetUp() override {
    start();
    token_ = copilot_token();
    c_ = std::make_unique<Client>(sim_->port());
  }
  Response post(const std::string& body, testing::Headers more = {}) {
    return c_->post("/v1/messages", body, auth(token_, std::move(more)));
  }
  // Checks the Anthropic error envelope and returns error.message.
  static std::string error_message(const Response& r, const std::string& type) {
    const json::value v = r.json();
    EXPECT_EQ(v.at("type"), "error") << r.body;
    EXPECT_EQ(v.at("error").at("type").as_string(), type) << r.body;
    EXPECT_TRUE(std::string(v.at("request_id").as_string()).starts_with("req_"));
    return std::string(v.at("error").at("message").as_string());
  }
  std::string token_;
  std::unique_ptr<Client> c_;
};

// The message a stream describes, rebuilt the way the Anthropic SDK's MessageStream does, with
// the SDK's ordering requirements checked on the way.
struct Rebuilt {
  json::object message;  // from message_start, content filled in
  std::vector<std::string> tool_json;
  std::string stop_reason;
  int64_t output_tokens = -1;
  int text_deltas = 0, thinking_deltas = 0, json_deltas = 0, signature_deltas = 0;
};

Rebuilt rebuild(const std::vector<SseEvent>& events) {
  Rebuilt r;
  EXPECT_FALSE(events.empty());
  if (events.empty()) return r;
  EXPECT_EQ(events.front().name, "message_start");
  EXPECT_EQ(events.back().name, "message_stop");
  json::array content;
  int open = -1;  // index of the block between start and stop
  bool signature_seen = false;
  for (size_t i = 0; i < events.size(); ++i) {
    const json::value e = events[i].json();
    const std::string type(e.at("type").as_string());
    EXPECT_EQ(events[i].name, type) << "event name must equal data.type";
    if (type == "message_start") {
      EXPECT_EQ(i, 0u);
      r.message = e.at("message").as_object();
      EXPECT_TRUE(r.message.at("content").as_array().empty());
      EXPECT_TRUE(r.message.at("stop_reason").is_null());
      EXPECT_EQ(r.message.at("usage").at("output_tokens"), 1);
      EXPECT_GT(r.message.at("usage").at("input_tokens").as_int64(), 0);
    } else if (type == "ping") {
      EXPECT_EQ(i, 1u);
    } else if (type == "content_block_start") {
      EXPECT_EQ(open, -1);
      EXPECT_EQ(e.at("index").as_int64(), static_cast<int64_t>(content.size()))
          << "indexes must be strictly sequential";
      open = static_cast<int>(content.size());
      content.push_back(e.at("content_block"));
      signature_seen = false;
      r.tool_json.emplace_back();
    } else if (type == "content_block_delta") {
      EXPECT_EQ(e.at("index").as_int64(), open);
      if (open < 0) continue;
      json::object& block = content[open].as_object();
      const json::object& d = e.at("delta").as_object();
      const std::string dt(d.at("type").as_string());
      if (dt == "text_delta") {
        EXPECT_EQ(block.at("type"), "text");
        block["text"] =
            std::string(block.at("text").as_string()) + std::string(d.at("text").as_string());
        ++r.text_deltas;
      } else if (dt == "thinking_delta") {
        EXPECT_EQ(block.at("type"), "thinking");
        EXPECT_FALSE(signature_seen) << "signature_delta comes after the thinking";
        block["thinking"] = std::string(block.at("thinking").as_string()) +
                            std::string(d.at("thinking").as_string());
        ++r.thinking_deltas;
      } else if (dt == "signature_delta") {
        EXPECT_EQ(block.at("type"), "thinking");
        block["signature"] = d.at("signature");
        signature_seen = true;
        ++r.signature_deltas;
        EXPECT_EQ(events[i + 1].name, "content_block_stop") << "signature just before the stop";
      } else if (dt == "input_json_delta") {
        EXPECT_EQ(block.at("type"), "tool_use");
        r.tool_json[open] += d.at("partial_json").as_string();
        ++r.json_deltas;
      } else {
        ADD_FAILURE() << "unexpected delta " << dt;
      }
    } else if (type == "content_block_stop") {
      EXPECT_EQ(e.at("index").as_int64(), open);
      if (open >= 0 && content[open].at("type") == "tool_use")
        content[open].as_object()["input"] = json::parse(r.tool_json[open]);
      open = -1;
    } else if (type == "message_delta") {
      EXPECT_EQ(open, -1);
      EXPECT_TRUE(e.at("delta").at("stop_sequence").is_null());
      r.stop_reason = std::string(e.at("delta").at("stop_reason").as_string());
      r.output_tokens = e.at("usage").at("output_tokens").as_int64();
    } else if (type == "message_stop") {
      EXPECT_EQ(i, events.size() - 1);
    } else {
      ADD_FAILURE() << "unexpected event " << type;
    }
  }
  r.message["content"] = std::move(content);
  return r;
}

TEST_F(MessagesTest, PlainTextNonStreaming) {
  Response r = post(messages_body("claude-sonnet-4.5", {user_text("hello")}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_TRUE(r.headers["request-id"].starts_with("req_"));
  EXPECT_FALSE(r.headers["x-request-id"].empty());
  const json::value v = r.json();
  EXPECT_TRUE(std::string(v.at("id").as_string()).starts_with("msg_"));
  EXPECT_EQ(v.at("type"), "message");
  EXPECT_EQ(v.at("role"), "assistant");
  EXPECT_EQ(v.at("model"), "claude-sonnet-4.5");
  EXPECT_EQ(v.at("content"), json::parse(R"([{"type":"text","text":"You said: hello"}])"));
  EXPECT_EQ(v.at("stop_reason"), "end_turn");
  EXPECT_TRUE(v.at("stop_sequence").is_null());
  const auto& u = v.at("usage");
  EXPECT_EQ(u.at("input_tokens"), 2);   // "hello": 5/4 + 1
  EXPECT_EQ(u.at("output_tokens"), 4);  // "You said: hello": 15/4 + 1
  EXPECT_EQ(u.at("cache_read_input_tokens"), 0);
  EXPECT_EQ(u.at("cache_creation_input_tokens"), 0);

  // Content blocks, a system prompt, and an empty text.
  json::object blocks{{"role", "user"},
                      {"content", json::array{json::object{{"type", "text"}, {"text", "two "}},
                                              json::object{{"type", "text"}, {"text", "parts"}}}}};
  r = post(messages_body("claude-haiku-4.5", {blocks}, false, {{"system", "be brief"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("content").at(0).at("text"), "You said: two parts");
  EXPECT_EQ(r.json().at("usage").at("input_tokens"), 5);  // 17 bytes / 4 + 1
  r = post(messages_body("claude-haiku-4.5", {user_text("  ")}));
  EXPECT_EQ(r.json().at("content").at(0).at("text"), "Hello from the simulator.");
}

TEST_F(MessagesTest, StreamingEventSequence) {
  Response r =
      post(messages_body("claude-sonnet-4.5", {user_text("hello world [[sim:chunks=5]]")}, true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "text/event-stream");
  const auto events = sse_events(r.body);
  std::vector<std::string> names;
  for (const auto& e : events)
    names.push_back(e.name);
  const std::vector<std::string> expected = {"message_start",       "ping",
                                             "content_block_start", "content_block_delta",
                                             "content_block_delta", "content_block_delta",
                                             "content_block_delta", "content_block_delta",
                                             "content_block_stop",  "message_delta",
                                             "message_stop"};
  EXPECT_EQ(names, expected);
  const Rebuilt m = rebuild(events);
  EXPECT_EQ(m.text_deltas, 5);
  EXPECT_EQ(m.message.at("content"),
            json::parse(R"([{"type":"text","text":"You said: hello world"}])"));
  EXPECT_EQ(m.stop_reason, "end_turn");
  EXPECT_EQ(m.output_tokens, 6);  // 21 bytes / 4 + 1
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
}

TEST_F(MessagesTest, ToolUseNonStreaming) {
  Response r = post(messages_body("claude-sonnet-4.5", {user_text("cats")}, false, with_tools()));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = r.json();
  const auto& content = v.at("content").as_array();
  ASSERT_EQ(content.size(), 2u);
  EXPECT_EQ(content[0], json::parse(R"({"type":"text","text":"I'll use the search tool."})"));
  EXPECT_EQ(content[1].at("type"), "tool_use");
  EXPECT_TRUE(std::string(content[1].at("id").as_string()).starts_with("toolu_"));
  EXPECT_EQ(content[1].at("name"), "search");  // the server tool is skipped
  EXPECT_EQ(content[1].at("input"), json::parse(R"({"query":"cats"})"));
  EXPECT_EQ(v.at("stop_reason"), "tool_use");

  r = post(messages_body("claude-sonnet-4.5", {user_text("cats")}, false,
                         with_tools({{"tool_choice", {{"type", "tool"}, {"name", "other"}}}})));
  v = r.json();
  EXPECT_EQ(v.at("content").at(1).at("name"), "other");
  EXPECT_EQ(v.at("content").at(1).at("input"), json::parse(R"({"input":"cats"})"));

  r = post(messages_body("claude-sonnet-4.5", {user_text("cats")}, false,
                         with_tools({{"tool_choice", {{"type", "none"}}}})));
  v = r.json();
  EXPECT_EQ(v.at("content"), json::parse(R"([{"type":"text","text":"You said: cats"}])"));
  EXPECT_EQ(v.at("stop_reason"), "end_turn");
}

TEST_F(MessagesTest, ToolAndArgsDirectives) {
  // [[sim:tool=...]] picks an offered tool by name and [[sim:args=...]] sets its input.
  const std::string prompt = R"(list [[sim:tool=other,args={"path":"/tmp","deep":true}]] it)";
  Response r = post(messages_body("claude-sonnet-4.5", {user_text(prompt)}, false, with_tools()));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = r.json();
  EXPECT_EQ(v.at("content").at(0).at("text"), "I'll use the other tool.");
  EXPECT_EQ(v.at("content").at(1).at("name"), "other");
  EXPECT_EQ(v.at("content").at(1).at("input"), json::parse(R"({"path":"/tmp","deep":true})"));

  // A tool that is not offered falls back to the first one; tool_choice wins over the directive.
  r = post(messages_body("claude-sonnet-4.5", {user_text("x [[sim:tool=missing]]")}, false,
                         with_tools()));
  EXPECT_EQ(r.json().at("content").at(1).at("name"), "search");
  EXPECT_EQ(r.json().at("content").at(1).at("input"), json::parse(R"({"query":"x"})"));
  r = post(messages_body("claude-sonnet-4.5", {user_text("x [[sim:tool=other]]")}, false,
                         with_tools({{"tool_choice", {{"type", "tool"}, {"name", "search"}}}})));
  EXPECT_EQ(r.json().at("content").at(1).at("name"), "search");

  // Streaming carries the same input.
  r = post(messages_body("claude-sonnet-4.5", {user_text(prompt)}, true, with_tools()));
  ASSERT_EQ(r.status, 200) << r.body;
  const Rebuilt m = rebuild(sse_events(r.body));
  EXPECT_EQ(m.message.at("content").at(1).at("input"),
            json::parse(R"({"path":"/tmp","deep":true})"));
}

TEST_F(MessagesTest, ToolUseAndThinkingStreaming) {
  Response r = post(
      messages_body("claude-sonnet-4.5", {user_text("dogs")}, true, with_thinking(with_tools())));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto events = sse_events(r.body);
  const Rebuilt m = rebuild(events);
  const json::array& content = m.message.at("content").as_array();
  ASSERT_EQ(content.size(), 3u);
  EXPECT_EQ(content[0].at("type"), "thinking");
  EXPECT_EQ(content[0].at("thinking"), "Thinking about: dogs");
  EXPECT_TRUE(std::string(content[0].at("signature").as_string()).starts_with("sig_"));
  EXPECT_EQ(content[1], json::parse(R"({"type":"text","text":"I'll use the search tool."})"));
  EXPECT_EQ(content[2].at("name"), "search");
  EXPECT_EQ(content[2].at("input"), json::parse(R"({"query":"dogs"})"));
  EXPECT_GE(m.thinking_deltas, 1);
  EXPECT_EQ(m.signature_deltas, 1);
  EXPECT_GE(m.json_deltas, 3);
  EXPECT_EQ(m.stop_reason, "tool_use");
  // Same tokens as the non-streaming answer.
  Response plain = post(
      messages_body("claude-sonnet-4.5", {user_text("dogs")}, false, with_thinking(with_tools())));
  EXPECT_EQ(m.output_tokens, plain.json().at("usage").at("output_tokens").as_int64());
  EXPECT_EQ(plain.json().at("content").at(0), content[0]);  // same signature for the same text
  // The empty blocks the SDK needs to append to.
  EXPECT_EQ(events[2].json().at("content_block").at("thinking"), "");
  EXPECT_EQ(events[2].json().at("content_block").at("type"), "thinking");
}

TEST_F(MessagesTest, ToolResultAnswer) {
  json::array history = {
      user_text("find cats"),
      json::object{{"role", "assistant"},
                   {"content", json::array{json::object{{"type", "tool_use"},
                                                        {"id", "toolu_1"},
                                                        {"name", "search"},
                                                        {"input", {{"query", "cats"}}}}}}},
      json::object{
          {"role", "user"},
          {"content",
           json::array{
               json::object{
                   {"type", "tool_result"}, {"tool_use_id", "toolu_1"}, {"content", "42 results"}},
               json::object{
                   {"type", "tool_result"},
                   {"tool_use_id", "toolu_2"},
                   {"content", json::array{json::object{{"type", "text"}, {"text", "none"}}}}}}}}};
  Response r = post(messages_body("claude-sonnet-4.5", history, false, with_tools()));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("content"),
            json::parse(R"([{"type":"text","text":"Tool result received: 42 results\nnone"}])"));
  EXPECT_EQ(r.json().at("stop_reason"), "end_turn");
}

TEST_F(MessagesTest, ThinkingSignatureRoundTrip) {
  Response r = post(messages_body("claude-opus-4.1", {user_text("why")}, false, with_thinking()));
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value issued = r.json().at("content").at(0);
  EXPECT_EQ(issued.at("type"), "thinking");
  EXPECT_EQ(issued.at("thinking"), "Thinking about: why");
  const std::string sig(issued.at("signature").as_string());
  ASSERT_TRUE(sig.starts_with("sig_"));

  auto turn = [&](json::value thinking_block) {
    json::array history = {
        user_text("why"),
        json::object{{"role", "assistant"},
                     {"content", json::array{std::move(thinking_block),
                                             json::object{{"type", "text"}, {"text", "because"}}}}},
        user_text("and then?")};
    return post(messages_body("claude-opus-4.1", std::move(history), false, with_thinking()));
  };
  // What was issued goes back unchanged: accepted.
  r = turn(issued);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("content").at(1).at("text"), "You said: and then?");

  // One byte of the signature altered.
  json::value altered = issued;
  std::string bad = sig;
  bad.back() = bad.back() == '0' ? '1' : '0';
  altered.as_object()["signature"] = bad;
  r = turn(altered);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_message(r, "invalid_request_error"),
            "messages.1.content.0: Invalid `signature` in `thinking` block");

  // The thinking text altered, the signature kept.
  altered = issued;
  altered.as_object()["thinking"] = "Thinking about: why!";
  r = turn(altered);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(error_message(r, "invalid_request_error").find("Invalid `signature`"),
            std::string::npos);

  // No signature at all.
  altered = issued;
  altered.as_object().erase("signature");
  EXPECT_EQ(turn(altered).status, 400);

  // redacted_thinking passes untouched.
  r = turn(json::object{{"type", "redacted_thinking"}, {"data", "opaque-bytes"}});
  EXPECT_EQ(r.status, 200) << r.body;

  // A signature rebuilt from a stream verifies too.
  r = post(messages_body("claude-opus-4.1", {user_text("why")}, true, with_thinking()));
  const Rebuilt m = rebuild(sse_events(r.body));
  r = turn(m.message.at("content").at(0));
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(MessagesTest, AdaptiveThinkingAndBudgetChecks) {
  Response r = post(messages_body("claude-sonnet-4.5", {user_text("x")}, false,
                                  {{"thinking", {{"type", "adaptive"}}}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("content").at(0).at("type"), "thinking");
  r = post(messages_body("claude-sonnet-4.5", {user_text("x")}, false,
                         {{"thinking", {{"type", "disabled"}}}}));
  EXPECT_EQ(r.json().at("content").at(0).at("type"), "text");
  r = post(messages_body("claude-sonnet-4.5", {user_text("x")}, false,
                         {{"thinking", {{"type", "enabled"}, {"budget_tokens", 100}}}}));
  EXPECT_EQ(r.status, 400);
  r = post(messages_body("claude-sonnet-4.5", {user_text("x")}, false,
                         {{"thinking", {{"type", "enabled"}, {"budget_tokens", 8192}}}}));
  EXPECT_EQ(r.status, 400);  // not below max_tokens (4096)
}

TEST_F(MessagesTest, WrongEndpointUnknownModelAndValidation) {
  Response r = post(messages_body("gpt-4.1", {user_text("x")}));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(error_message(r, "invalid_request_error").find("unsupported_api_for_model"),
            std::string::npos);
  r = post(messages_body("gpt-5.1-codex", {user_text("x")}));
  EXPECT_NE(error_message(r, "invalid_request_error").find("unsupported_api_for_model"),
            std::string::npos);
  r = post(messages_body("claude-nope", {user_text("x")}));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(error_message(r, "invalid_request_error").find("model_not_supported"),
            std::string::npos);

  EXPECT_EQ(error_message(
                post(R"({"model":"claude-sonnet-4.5","messages":[{"role":"user","content":"x"}]})"),
                "invalid_request_error"),
            "max_tokens: Field required");
  r = post(
      R"({"model":"claude-sonnet-4.5","max_tokens":0,"messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(r.status, 400);
  r = post(
      R"({"model":"claude-sonnet-4.5","max_tokens":"9","messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(r.status, 400);
  r = post(R"({"model":"claude-sonnet-4.5","max_tokens":10,"messages":[]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(error_message(r, "invalid_request_error").find("messages"), std::string::npos);
  EXPECT_EQ(post(R"({"model":"claude-sonnet-4.5","max_tokens":10})").status, 400);
  EXPECT_EQ(post(R"({"max_tokens":10,"messages":[{"role":"user","content":"x"}]})").status, 400);
  EXPECT_EQ(post("{oops").status, 400);
  r = post(
      R"({"model":"claude-sonnet-4.5","max_tokens":10,"messages":[{"role":"tool","content":"x"}]})");
  EXPECT_EQ(r.status, 400);

  // Copilot bearer auth.
  r = c_->post("/v1/messages", messages_body("claude-sonnet-4.5", {user_text("x")}));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(error_message(r, "authentication_error"), "unauthorized: no token provided");
}

TEST_F(MessagesTest, Faults) {
  Response r =
      post(messages_body("claude-sonnet-4.5", {user_text("x [[sim:status=429,retry_after=2]]")}));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers["retry-after"], "2");
  EXPECT_EQ(error_message(r, "rate_limit_error"), "simulated 429");
  r = post(messages_body("claude-sonnet-4.5", {user_text("x")}, true),
           {{"x-sim-fault", "status=529"}});
  EXPECT_EQ(r.status, 529);
  error_message(r, "overloaded_error");
  r = post(messages_body("claude-sonnet-4.5", {user_text("x [[sim:status=500]]")}));
  error_message(r, "api_error");

  r = post(messages_body("claude-sonnet-4.5", {user_text("x [[sim:drop_after=3]]")}, true));
  EXPECT_TRUE(r.ec) << "response should be truncated";
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(sse_events(r.body).size(), 3u);
  EXPECT_TRUE(c_->closed_by_peer());
}

TEST_F(MessagesTest, DropAfterOnNonStreamingClosesWithoutAnswer) {
  Response r = post(messages_body("claude-sonnet-4.5", {user_text("x [[sim:drop_after=0]]")}));
  EXPECT_TRUE(r.ec);
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.headers.empty());
  EXPECT_TRUE(c_->closed_by_peer());
}

}  // namespace
}  // namespace cg::sim
