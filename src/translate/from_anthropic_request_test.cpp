// from_anthropic_request (and the other request parsers): how kept JSON schemas come out, and that
// one forward scan reads a body as a DOM would. Test thread only.
#include "translate/from_anthropic_request.h"
#include "translate/from_chat_request.h"
#include "translate/from_responses_request.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cg::translate {
namespace {

// Tool and output schemas are kept as JSON text, the bytes the client sent (the emitters write
// them unchanged): Messages and Responses bodies keep their own bytes, chat bodies (read through
// a DOM) the compact serialization.
TEST(FromAnthropicRequest, SchemasAreKeptAsTheirJsonText) {
  const std::string schema = R"({"type": "object", "properties": {"a": {"type": "string"}}})";
  auto r = from_anthropic_request(
      R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],)"
      R"("tools":[{"name":"t","input_schema":)" +
      schema +
      R"(}],"output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->tools.size(), 1u);
  EXPECT_EQ(r->tools[0].parameters, schema);
  EXPECT_EQ(r->response_schema, R"({"type":"object"})");
  // Invalid JSON inside a kept schema is still the body's invalid_json.
  auto bad = from_anthropic_request(
      R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],)"
      R"("tools":[{"name":"t","input_schema":{"type":"object","x":[1 2]}}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_json");
}

TEST(FromOtherRequests, SchemasAreKeptAsTheirJsonText) {
  auto chat = from_chat_request(
      R"({"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function",)"
      R"("function":{"name":"t","parameters":{"type": "object"}}}]})");
  ASSERT_TRUE(chat.ok()) << chat.error().message;
  ASSERT_EQ(chat->tools.size(), 1u);
  EXPECT_EQ(chat->tools[0].parameters, R"({"type":"object"})");
  auto responses =
      from_responses_request(R"({"model":"m","input":"hi","tools":[{"type":"function","name":"t",)"
                             R"("parameters":{"type": "object"}}]})");
  ASSERT_TRUE(responses.ok()) << responses.error().message;
  ASSERT_EQ(responses->tools.size(), 1u);
  EXPECT_EQ(responses->tools[0].parameters, R"({"type": "object"})");
}

// One forward scan reads the body: member order, repeated keys and nulls mean what they meant
// with a DOM, and what a Boost.JSON parse refuses is still invalid_json.
TEST(FromAnthropicRequest, ReadsLikeADom) {
  auto a = from_anthropic_request(
      R"({"model":"m","max_tokens":5,"system":"be brief","messages":[{"role":"user","content":)"
      R"([{"type":"text","text":"hi"}]}],"temperature":0.5})");
  auto b = from_anthropic_request(
      R"({"temperature":0.5,"messages":[{"content":[{"text":"hi","type":"text"}],"role":"user"}],)"
      R"("system":"be brief","max_tokens":5,"model":"x","model":"m","top_k":null})");
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->model, "m");
  EXPECT_EQ(a->temperature, b->temperature);
  ASSERT_EQ(a->messages.size(), b->messages.size());
  for (size_t i = 0; i < a->messages.size(); ++i) {
    ASSERT_EQ(a->messages[i].content.size(), b->messages[i].content.size());
    EXPECT_EQ(a->messages[i].content[0].text, b->messages[i].content[0].text);
  }
  const std::string deep = std::string(256, '[') + std::string(256, ']');
  for (const std::string& body : {
           R"({"model":"m","max_tokens":5,"messages":[],"metadata":{"x":)" + deep + "}}",
           std::string(R"({"model":"m","max_tokens":5,"messages":[]} x)"),
           std::string(R"({"model":"m","max_tokens":5,"messages":[],"x":[1 2]})"),
           std::string(R"({"model":"m\ud800","max_tokens":5,"messages":[]})"),
       }) {
    SCOPED_TRACE(body.substr(0, 80));
    auto r = from_anthropic_request(body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "invalid_json");
  }
}

}  // namespace
}  // namespace cg::translate
