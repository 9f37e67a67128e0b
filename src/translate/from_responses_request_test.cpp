// from_responses_request reads the body in one forward scan: these pin what a DOM gave for free
// (member order, duplicate keys, null = absent, number forms) and the invalid_json answers for
// what the scanner alone would let through. Test thread only.
#include "translate/from_responses_request.h"

#include <gtest/gtest.h>

#include <string>

#include "translate/to_chat_request.h"

namespace cg::translate {
namespace {

std::string chat_of(std::string_view body) {
  auto r = from_responses_request(body);
  if (!r.ok()) return "error: " + r.error().param + ": " + r.error().message;
  auto chat = to_chat_request(r.value(), ChatTarget{"m"});
  return chat.ok() ? chat.value() : "emit error: " + chat.error().message;
}

TEST(FromResponsesRequest, MemberOrderDoesNotMatter) {
  const std::string in_order =
      R"({"model":"m","instructions":"be brief","input":[)"
      R"({"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]},)"
      R"({"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},)"
      R"({"type":"function_call_output","call_id":"c1","output":"done"}],)"
      R"("tools":[{"type":"function","name":"f","parameters":{"type":"object"}}],)"
      R"("max_output_tokens":64,"temperature":0.5})";
  const std::string shuffled =
      R"({"temperature":0.5,"tools":[{"parameters":{"type":"object"},"name":"f","type":"function"}],)"
      R"("input":[{"content":[{"text":"hi","type":"input_text"}],"role":"user","type":"message"},)"
      R"({"arguments":"{}","name":"f","call_id":"c1","type":"function_call"},)"
      R"({"output":"done","call_id":"c1","type":"function_call_output"}],)"
      R"("max_output_tokens":64,"instructions":"be brief","model":"m"})";
  const std::string a = chat_of(in_order);
  EXPECT_EQ(a.rfind("error", 0), std::string::npos) << a;
  EXPECT_EQ(a, chat_of(shuffled));
}

TEST(FromResponsesRequest, TheLastDuplicateWinsEvenAfterAnInvalidOne) {
  auto r = from_responses_request(R"({"model":"a","input":"x","model":"b"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().model, "b");
  // The first `input` would be a 400 on its own; the DOM kept only the last one.
  auto o = from_responses_request(
      R"({"model":"m","input":[{"type":"message","role":"user","content":[{"type":"bad"}]}],)"
      R"("tools":[{"type":"namespace","tools":5}],"input":"ok","tools":[]})");
  ASSERT_TRUE(o.ok()) << o.error().message;
  ASSERT_EQ(o.value().messages.size(), 1u);
  EXPECT_EQ(o.value().messages[0].content.at(0).text, "ok");
}

TEST(FromResponsesRequest, NullMembersAreAbsentAndNumbersReadAsJson) {
  auto r =
      from_responses_request(R"({"model":"m","input":"x","instructions":null,"temperature":null,)"
                             R"("max_output_tokens":2.56e2,"previous_response_id":null})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().max_tokens, 256);
  EXPECT_FALSE(r.value().temperature.has_value());
  EXPECT_EQ(r.value().messages.size(), 1u);  // no system message from a null instructions
  // 1e999 reads as infinity, which cannot be sent on: a field error, not a broken request.
  auto inf = from_responses_request(R"({"model":"m","input":"x","top_p":1e999})");
  ASSERT_FALSE(inf.ok());
  EXPECT_EQ(inf.error().param, "top_p");
}

TEST(FromResponsesRequest, WhatBoostJsonRejectsIsInvalidJson) {
  const std::string deep256 = std::string(255, '[') + std::string(255, ']');
  const std::string deep257 = std::string(256, '[') + std::string(256, ']');
  const std::string ok_body = R"({"model":"m","input":"x","metadata":)" + deep256 + "}";
  EXPECT_TRUE(from_responses_request(ok_body).ok());
  for (const std::string& body : {
           R"({"model":"m","input":"x","metadata":)" + deep257 + "}",
           std::string(R"({"model":"m","input":"x"} trailing)"),
           std::string(R"({"model":"m","input":"x","metadata":{"a":[1 2]}})"),
           std::string(R"({"model":"m","input":"\ud800"})"),
           std::string("{\"model\":\"m\",\"input\":\"\xff\"}"),
           std::string(R"({"model":"m","input":"x","top_p":1e9999999999})"),
       }) {
    SCOPED_TRACE(body.substr(0, 80));
    auto r = from_responses_request(body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().status, 400);
    EXPECT_EQ(r.error().code, "invalid_json");
    EXPECT_EQ(r.error().message.rfind("Invalid JSON body: ", 0), 0u) << r.error().message;
  }
}

}  // namespace
}  // namespace cg::translate
