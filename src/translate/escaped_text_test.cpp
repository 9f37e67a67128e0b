// Block::text and Tool::description hold JSON-escaped text (canonical.h): every parser stores the
// escaped contents, every emitter writes them unchanged, and what a client meant survives each
// client format -> each upstream format, and each upstream answer -> each client answer, escape
// forms included. Test thread only.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "translate/count_tokens.h"
#include "translate/from_anthropic_request.h"
#include "translate/from_anthropic_response.h"
#include "translate/from_chat_request.h"
#include "translate/from_chat_response.h"
#include "translate/from_responses_request.h"
#include "translate/from_responses_response.h"
#include "translate/json_util.h"
#include "translate/to_anthropic_request.h"
#include "translate/to_anthropic_response.h"
#include "translate/to_chat_request.h"
#include "translate/to_chat_response.h"
#include "translate/to_responses_request.h"
#include "translate/to_responses_response.h"

namespace cg::translate {
namespace {

namespace json = boost::json;

// Every escape JSON has, a surrogate pair, raw UTF-8 and an escaped plain letter.
constexpr std::string_view kEscaped =
    R"(say \"hi\" \\ \/ \b\f\n\r\t \u0001 caf\u00e9 \ud83d\ude00 é \u0041)";

std::string plain_of_escaped() {
  return std::string(json::parse(std::string("\"") + std::string(kEscaped) + "\"").as_string());
}

// Every string anywhere in `v`.
void strings_in(const json::value& v, std::vector<std::string>& out) {
  if (v.is_string()) {
    out.emplace_back(v.get_string());
  } else if (v.is_array()) {
    for (const json::value& e : v.get_array())
      strings_in(e, out);
  } else if (v.is_object()) {
    for (const auto& m : v.get_object())
      strings_in(m.value(), out);
  }
}

// How many strings of the emitted body mean the plain text (whole, or joined parts of it).
size_t occurrences(std::string_view body, const std::string& plain) {
  json::value doc = json::parse(body);  // throws on invalid JSON: the test fails
  std::vector<std::string> all;
  strings_in(doc, all);
  size_t n = 0;
  for (const std::string& s : all) {
    for (size_t at = s.find(plain); at != std::string::npos; at = s.find(plain, at + 1))
      ++n;
  }
  return n;
}

std::string q(std::string_view escaped) {
  return "\"" + std::string(escaped) + "\"";
}

// The same conversation in the three client formats: system, user text, assistant text, tool
// result and tool description all carry the escaped text.
std::string messages_body() {
  const std::string t = q(kEscaped);
  return R"({"model":"m","max_tokens":50,"system":[{"type":"text","text":)" + t +
         R"(}],"tools":[{"name":"t","description":)" + t +
         R"(,"input_schema":{"type":"object"}}],"messages":[)"
         R"({"role":"user","content":[{"type":"text","text":)" +
         t + R"(}]},{"role":"assistant","content":[{"type":"text","text":)" + t +
         R"(},{"type":"tool_use","id":"c1","name":"t","input":{}}]},)"
         R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":)" +
         t + "}]}]}";
}

std::string chat_body() {
  const std::string t = q(kEscaped);
  return R"({"model":"m","messages":[{"role":"system","content":)" + t +
         R"(},{"role":"user","content":)" + t + R"(},{"role":"assistant","content":)" + t +
         R"(,"tool_calls":[{"id":"c1","type":"function","function":{"name":"t","arguments":"{}"}}]},)"
         R"({"role":"tool","tool_call_id":"c1","content":)" +
         t + R"(}],"tools":[{"type":"function","function":{"name":"t","description":)" + t +
         R"(,"parameters":{"type":"object"}}}]})";
}

std::string responses_body() {
  const std::string t = q(kEscaped);
  return R"({"model":"m","instructions":)" + t +
         R"(,"tools":[{"type":"function","name":"t","description":)" + t +
         R"(,"parameters":{"type":"object"}}],"input":[)"
         R"({"type":"message","role":"user","content":[{"type":"input_text","text":)" +
         t +
         R"(}]},{"type":"message","role":"assistant","content":[{"type":"output_text","text":)" +
         t +
         R"(}]},{"type":"function_call","call_id":"c1","name":"t","arguments":"{}"},)"
         R"({"type":"function_call_output","call_id":"c1","output":)" +
         t + "}]}";
}

std::vector<std::pair<std::string, Result<Request>>> parsed_requests() {
  std::vector<std::pair<std::string, Result<Request>>> out;
  out.emplace_back("messages", from_anthropic_request(messages_body()));
  out.emplace_back("chat", from_chat_request(chat_body()));
  out.emplace_back("responses", from_responses_request(responses_body()));
  return out;
}

TEST(EscapedText, ParsersKeepTheClientsEscapes) {
  auto r = from_anthropic_request(messages_body());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->messages[0].content[0].text, kEscaped);  // system
  EXPECT_EQ(r->messages[1].content[0].text, kEscaped);  // user
  EXPECT_EQ(r->tools[0].description, kEscaped);
  auto resp = from_responses_request(responses_body());
  ASSERT_TRUE(resp.ok()) << resp.error().message;
  EXPECT_EQ(resp->messages[0].content[0].text, kEscaped);  // instructions
  EXPECT_EQ(resp->tools[0].description, kEscaped);
  // A DOM-read body stores the canonical escaping of the same text.
  auto chat = from_chat_request(chat_body());
  ASSERT_TRUE(chat.ok()) << chat.error().message;
  EXPECT_EQ(chat->messages[0].content[0].text, json_escaped(plain_of_escaped()));
  EXPECT_EQ(json_unescaped(chat->messages[0].content[0].text), plain_of_escaped());
}

// Each client format to each upstream format: the body is valid JSON and the five texts (system,
// user, assistant, tool result, tool description) mean what the client sent.
TEST(EscapedText, EveryDirectionKeepsTheMeaning) {
  const std::string plain = plain_of_escaped();
  for (auto& [name, r] : parsed_requests()) {
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().message;
    auto chat = to_chat_request(*r, ChatTarget{"m"});
    ASSERT_TRUE(chat.ok()) << name;
    EXPECT_EQ(occurrences(*chat, plain), 5u) << name << " -> chat: " << *chat;
    auto responses = to_responses_request(*r, ResponsesTarget{"m"});
    ASSERT_TRUE(responses.ok()) << name;
    EXPECT_EQ(occurrences(*responses, plain), 5u) << name << " -> responses: " << *responses;
    auto messages = to_anthropic_request(*r, AnthropicTarget{"m"});
    ASSERT_TRUE(messages.ok()) << name;
    EXPECT_EQ(occurrences(*messages, plain), 5u) << name << " -> messages: " << *messages;
  }
}

// Token counts read the text's meaning, not its escapes.
TEST(EscapedText, TokenCountsUseThePlainText) {
  // The client's escape forms and the canonical ones of the same text count alike.
  Request escaped, canonical;
  escaped.messages.push_back(Message{Role::kUser, {}});
  escaped.messages[0].content.emplace_back().text = std::string(kEscaped);
  canonical.messages.push_back(Message{Role::kUser, {}});
  canonical.messages[0].content.emplace_back().text = json_escaped(plain_of_escaped());
  ASSERT_NE(escaped.messages[0].content[0].text, canonical.messages[0].content[0].text);
  EXPECT_EQ(count_input_tokens(escaped), count_input_tokens(canonical));
  Request simple;
  simple.messages.push_back(Message{Role::kUser, {}});
  simple.messages[0].content.emplace_back().text = "line one\\nline two";
  Request same;
  same.messages.push_back(Message{Role::kUser, {}});
  same.messages[0].content.emplace_back().text = "line one\\u000aline two";
  EXPECT_EQ(count_input_tokens(simple), count_input_tokens(same));
  EXPECT_GT(count_input_tokens(simple), 3 + 3);
}

// Upstream answers with escapes reach each client format with their meaning.
TEST(EscapedText, AnswersKeepTheMeaning) {
  const std::string plain = plain_of_escaped();
  const std::string t = q(kEscaped);
  std::vector<std::pair<std::string, Result<Response>>> answers;
  answers.emplace_back(
      "chat",
      from_chat_response(R"({"id":"x","model":"m","choices":[{"index":0,"message":)"
                         R"({"role":"assistant","content":)" +
                         t + R"(,"reasoning_text":)" + t + R"(},"finish_reason":"stop"}]})"));
  answers.emplace_back(
      "messages",
      from_anthropic_response(R"({"id":"x","type":"message","role":"assistant","model":"m",)"
                              R"("content":[{"type":"thinking","thinking":)" +
                              t + R"(,"signature":"s"},{"type":"text","text":)" + t +
                              R"(}],"stop_reason":"end_turn","usage":{"input_tokens":1,)"
                              R"("output_tokens":1}})"));
  answers.emplace_back(
      "responses",
      from_responses_response(
          R"({"id":"resp_x","object":"response","status":"completed","model":"m","output":[)"
          R"({"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":)" +
          t +
          R"(}]},{"type":"message","id":"msg_1","role":"assistant","content":[)"
          R"({"type":"output_text","text":)" +
          t + R"(}]}]})"));
  for (auto& [name, r] : answers) {
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().message;
    const std::string chat = to_chat_response(*r, ChatEnvelope{"id", 1, "m"});
    EXPECT_EQ(occurrences(chat, plain), 2u) << name << " -> chat: " << chat;
    const std::string messages = to_anthropic_response(*r, "msg_1", "m");
    EXPECT_EQ(occurrences(messages, plain), 2u) << name << " -> messages: " << messages;
    const std::string responses = to_responses_response(*r, ResponsesEnvelope{"resp_1", 1, "m"});
    EXPECT_GE(occurrences(responses, plain), 2u) << name << " -> responses: " << responses;
  }
}

}  // namespace
}  // namespace cg::translate
