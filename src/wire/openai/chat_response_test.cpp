// Tests for the chat response relay helpers.
#include "wire/openai/chat_response.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace cg::wire::openai {
namespace {

TEST(ChatResponse, FindUsage) {
  auto u = find_usage(
      R"({"id":"x","choices":[{"delta":{"content":"usage"}}],"usage":{"prompt_tokens":12,)"
      R"("completion_tokens":3,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":8},)"
      R"("copilot_usage":{"total_nano_aiu":5}}})");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->prompt_tokens, 12);
  EXPECT_EQ(u->completion_tokens, 3);
  EXPECT_EQ(u->total_tokens, 15);
  EXPECT_EQ(u->cached_tokens, 8);

  auto partial = find_usage(R"({"usage":{"prompt_tokens":1}})");
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->completion_tokens, -1);
  EXPECT_EQ(partial->cached_tokens, -1);

  EXPECT_FALSE(find_usage(R"({"usage":null})"));
  EXPECT_FALSE(find_usage(R"({"choices":[]})"));
  EXPECT_FALSE(find_usage(R"({"choices":[{"usage":{"prompt_tokens":1}}]})"));  // not top level
  EXPECT_FALSE(find_usage(R"({"usage":{"prompt_tokens":1)"));                  // malformed
  EXPECT_FALSE(find_usage("[DONE]"));
}

TEST(ChatResponse, FindUsageTakesTheTopLevelMemberWherever) {
  // Usage followed by other members, spaced out.
  auto a =
      find_usage(R"({"id":"x", "usage" : {"prompt_tokens": 4} , "model":"m", "n":[1,{"a":"}"}]} )");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->prompt_tokens, 4);
  // A nested `usage` after the top-level one: the byte search finds the nested one last.
  auto b = find_usage(
      R"({"usage":{"prompt_tokens":7},"choices":[{"message":{"usage":{"prompt_tokens":1}}}]})");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->prompt_tokens, 7);
  // A nested one before the top-level one.
  auto c = find_usage(R"({"choices":[{"usage":{"prompt_tokens":1}}],"usage":{"prompt_tokens":9}})");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->prompt_tokens, 9);
  // The word inside a string is not a member.
  EXPECT_FALSE(find_usage(R"({"content":"the \"usage\": {} here"})"));
  auto d =
      find_usage(R"({"content":"\"usage\":{\"prompt_tokens\":1}","usage":{"prompt_tokens":3}})");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->prompt_tokens, 3);
}

TEST(ChatResponse, UsageOnlyChunk) {
  EXPECT_TRUE(is_usage_only_chunk(R"({"id":"a","choices":[],"usage":{"total_tokens":1}})"));
  EXPECT_TRUE(is_usage_only_chunk(R"({"choices": [ ] })"));
  EXPECT_FALSE(is_usage_only_chunk(R"({"choices":[{"index":0,"delta":{}}]})"));
  EXPECT_FALSE(is_usage_only_chunk(R"({"usage":{}})"));
  EXPECT_FALSE(is_usage_only_chunk(R"({"x":{"choices":[]}})"));
  EXPECT_FALSE(is_usage_only_chunk(R"({"choices":null})"));
}

TEST(ChatResponse, TopLevelString) {
  const char* j = R"({"choices":[{"id":"inner"}],"id":"chatcmpl-1","model":"gpt-\"4","n":1})";
  EXPECT_EQ(top_level_string(j, "id"), "chatcmpl-1");
  EXPECT_EQ(top_level_string(j, "model"), "gpt-\\\"4");  // raw, escapes kept
  EXPECT_FALSE(top_level_string(j, "n"));
  EXPECT_FALSE(top_level_string(j, "missing"));
  EXPECT_FALSE(top_level_string("not json", "id"));
}

TEST(ChatResponse, HasErrorMember) {
  EXPECT_TRUE(has_error_member(R"({"error":{"message":"boom"}})"));
  EXPECT_TRUE(has_error_member(R"({"id":"x","error":"boom"})"));
  EXPECT_FALSE(has_error_member(R"({"error":null})"));
  EXPECT_FALSE(has_error_member(R"({"choices":[{"error":{}}]})"));
  EXPECT_FALSE(has_error_member("[DONE]"));
}

TEST(ChatResponse, MakeUsageChunk) {
  Usage u{10, 5, 15, 4};
  std::string s = make_usage_chunk("chatcmpl-\"1", 1700000000, "gpt-4.1", u);
  boost::system::error_code ec;
  auto v = boost::json::parse(s, ec);
  ASSERT_FALSE(ec) << s;
  EXPECT_EQ(v.at("id").as_string(), "chatcmpl-\"1");
  EXPECT_EQ(v.at("object").as_string(), "chat.completion.chunk");
  EXPECT_EQ(v.at("created").as_int64(), 1700000000);
  EXPECT_EQ(v.at("model").as_string(), "gpt-4.1");
  EXPECT_TRUE(v.at("choices").as_array().empty());
  EXPECT_EQ(v.at("usage").at("prompt_tokens").as_int64(), 10);
  EXPECT_EQ(v.at("usage").at("completion_tokens").as_int64(), 5);
  EXPECT_EQ(v.at("usage").at("total_tokens").as_int64(), 15);
  EXPECT_EQ(v.at("usage").at("prompt_tokens_details").at("cached_tokens").as_int64(), 4);
  // Round trip through the scanner helpers.
  EXPECT_TRUE(is_usage_only_chunk(s));
  auto back = find_usage(s);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->total_tokens, 15);
  EXPECT_EQ(back->cached_tokens, 4);

  std::string no_cache = make_usage_chunk("i", 1, "m", Usage{1, 2, 3, -1});
  EXPECT_EQ(no_cache.find("prompt_tokens_details"), std::string::npos);
}

TEST(ChatResponse, StripUsage) {
  const std::pair<const char*, const char*> kCases[] = {
      {R"({"id":"a","choices":[{"delta":{"content":"x"}}],"usage":{"total_tokens":3}})",
       R"({"id":"a","choices":[{"delta":{"content":"x"}}]})"},
      {R"({"usage":{"total_tokens":3},"id":"a"})", R"({"id":"a"})"},
      {R"({"id":"a","usage":null,"model":"m"})", R"({"id":"a","model":"m"})"},
      {R"({"id":"a"})", R"({"id":"a"})"},
  };
  for (auto [in, out] : kCases) {
    std::string s = strip_usage(in);
    EXPECT_EQ(s, out);
    boost::system::error_code ec;
    boost::json::parse(s, ec);
    EXPECT_FALSE(ec) << s;
  }
}

}  // namespace
}  // namespace cg::wire::openai
