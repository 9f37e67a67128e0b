// Tests for scan_chat_request / rewrite_chat_request.
#include "wire/openai/chat_request.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "wire/test_bodies.h"

namespace cg::wire::openai {
namespace {

ChatRequestInfo scan_ok(std::string_view body) {
  auto r = scan_chat_request(body);
  EXPECT_TRUE(r.ok()) << body << "\n-> " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ChatRequestInfo{};
}

ApiError scan_err(std::string_view body) {
  auto r = scan_chat_request(body);
  EXPECT_FALSE(r.ok()) << body;
  return r.ok() ? ApiError{} : r.error();
}

boost::json::value parse(std::string_view s) {
  boost::system::error_code ec;
  auto v = boost::json::parse(s, ec);
  EXPECT_FALSE(ec) << s;
  return v;
}

TEST(ChatRequest, ExtractsEveryField) {
  const std::string body = R"({
    "model": "gpt-4.1", "n": 2, "stream": true,
    "stream_options": {"include_usage": true},
    "tools": [{"type":"function","function":{"name":"f","parameters":{}}}],
    "messages": [
      {"role":"system","content":"be brief"},
      {"role":"user","content":[{"type":"text","text":"hi"},
                                {"type":"image_url","image_url":{"url":"data:x"}}]},
      {"role":"assistant","content":null,"tool_calls":[]},
      {"role":"tool","tool_call_id":"c1","content":"ok"}
    ]})";
  auto info = scan_ok(body);
  EXPECT_EQ(info.model, "gpt-4.1");
  EXPECT_EQ(body.substr(info.model_value.begin, info.model_value.size()), "\"gpt-4.1\"");
  EXPECT_TRUE(info.stream);
  EXPECT_TRUE(info.has_stream_options);
  EXPECT_TRUE(info.include_usage);
  EXPECT_EQ(info.message_count, 4u);
  EXPECT_EQ(info.last_role, Role::kTool);
  EXPECT_TRUE(info.has_image);
  EXPECT_EQ(info.image_count, 1u);
  EXPECT_TRUE(info.has_tools);
  EXPECT_EQ(info.n, 2);
}

TEST(ChatRequest, Defaults) {
  auto info = scan_ok(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
  EXPECT_FALSE(info.stream);
  EXPECT_FALSE(info.has_stream_options);
  EXPECT_FALSE(info.include_usage);
  EXPECT_FALSE(info.has_image);
  EXPECT_FALSE(info.has_tools);
  EXPECT_EQ(info.n, 1);
  EXPECT_EQ(info.last_role, Role::kUser);
}

TEST(ChatRequest, StreamOptionsWithoutUsageAndEmptyTools) {
  auto info =
      scan_ok(R"({"model":"m","stream":false,"stream_options":{"include_usage":false},"tools":[],)"
              R"("messages":[{"role":"developer","content":"x"}]})");
  EXPECT_FALSE(info.stream);
  EXPECT_TRUE(info.has_stream_options);
  EXPECT_FALSE(info.include_usage);
  EXPECT_FALSE(info.has_tools);
  EXPECT_EQ(info.last_role, Role::kDeveloper);
}

TEST(ChatRequest, LastRoleOfEachKind) {
  const std::pair<const char*, Role> kCases[] = {
      {"system", Role::kSystem}, {"developer", Role::kDeveloper},
      {"user", Role::kUser},     {"assistant", Role::kAssistant},
      {"tool", Role::kTool},     {"function", Role::kFunction},
      {"critic", Role::kOther},  {"us\\u0065r", Role::kUser},
  };
  for (auto [role, expected] : kCases) {
    std::string body = std::string(R"({"model":"m","messages":[{"role":"user","content":"a"},)") +
                       R"({"content":"b","role":")" + role + R"("}]})";
    EXPECT_EQ(scan_ok(body).last_role, expected) << role;
  }
}

TEST(ChatRequest, ImageDetectionOnlyForImagePartTypes) {
  // The text "image_url" inside strings, keys or nested non-content objects does not count.
  auto no =
      scan_ok(R"({"model":"m","messages":[{"role":"user","content":"type image_url please"},)"
              R"({"role":"user","content":[{"type":"text","text":"{\"type\":\"image_url\"}"}]},)"
              R"({"role":"assistant","content":"x","extra":{"type":"image_url"}}],)"
              R"("metadata":{"type":"image_url"}})");
  EXPECT_FALSE(no.has_image);
  EXPECT_EQ(no.image_count, 0u);

  auto yes = scan_ok(
      R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":)"
      R"({"url":"https://x/y.png","detail":"low"}}]},{"role":"assistant","content":"seen"},)"
      R"({"role":"user","content":[{"image_url":{"url":"data:"},"type":"image_url"},)"
      R"({"type":"text","text":"and"},{"type":"image_\u0075rl","image_url":{"url":"z"}}]}]})");
  EXPECT_TRUE(yes.has_image);
  EXPECT_EQ(yes.image_count, 3u);
}

TEST(ChatRequest, UnicodeEscapesInModel) {
  const std::string body = R"({"messages":[{"role":"user","content":"x"}],)"
                           R"("model":"claude-\u0073onnet-4.5-\u00e9\ud83d\ude00"})";
  auto info = scan_ok(body);
  EXPECT_EQ(info.model, "claude-sonnet-4.5-\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(body.substr(info.model_value.begin, info.model_value.size()),
            R"("claude-\u0073onnet-4.5-\u00e9\ud83d\ude00")");
}

struct ErrCase {
  const char* body;
  const char* message_prefix;
  const char* param;
};

TEST(ChatRequest, Errors) {
  const ErrCase kCases[] = {
      {R"({"model":"m","messages":[{"role":"user","content":"x"}])", "Invalid JSON body: ", ""},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}]} x)", "Invalid JSON body: ", ""},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],})", "Invalid JSON body: ", ""},
      {"", "Invalid JSON body: ", ""},
      {"nope", "Invalid JSON body: ", ""},
      {R"(["model"])", "Invalid request body: expected a JSON object.", ""},
      {R"("str")", "Invalid request body: expected a JSON object.", ""},
      {R"({"messages":[{"role":"user","content":"x"}]})", "you must provide a model parameter",
       "model"},
      {R"({"model":42,"messages":[{"role":"user","content":"x"}]})",
       "Invalid type for 'model': expected a string.", "model"},
      {R"({"model":null,"messages":[{"role":"user","content":"x"}]})",
       "Invalid type for 'model': expected a string.", "model"},
      {R"({"model":"m"})", "Missing required parameter: 'messages'.", "messages"},
      {R"({"model":"m","messages":{}})",
       "Invalid type for 'messages': expected an array of objects.", "messages"},
      {R"({"model":"m","messages":[]})", "Invalid 'messages': empty array.", "messages"},
      {R"({"model":"m","messages":[{"role":"user"},{"content":"x"}]})",
       "Missing required parameter: 'messages[1].role'.", "messages[1].role"},
      {R"({"model":"m","messages":[{"role":7}]})",
       "Invalid type for 'messages[0].role': expected a string.", "messages[0].role"},
      {R"({"model":"m","messages":["hi"]})", "Invalid type for 'messages[0]': expected an object.",
       "messages[0]"},
      {R"({"model":"m","stream":"yes","messages":[{"role":"user"}]})",
       "Invalid type for 'stream': expected a boolean.", "stream"},
      {R"({"model":"m","n":1.5,"messages":[{"role":"user"}]})",
       "Invalid type for 'n': expected an integer.", "n"},
      {R"({"model":"m\ud800","messages":[{"role":"user"}]})", "Invalid JSON body: ", ""},
  };
  for (const auto& c : kCases) {
    ApiError e = scan_err(c.body);
    EXPECT_EQ(e.status, 400) << c.body;
    EXPECT_EQ(e.type, "invalid_request_error") << c.body;
    EXPECT_EQ(e.message.rfind(c.message_prefix, 0), 0u) << c.body << " -> " << e.message;
    EXPECT_EQ(e.param, c.param) << c.body;
  }
}

TEST(ChatRequest, JsonErrorNamesReasonAndOffset) {
  ApiError e = scan_err(R"({"model":"m","messages":[{"role":"user","content":"x}]})");
  EXPECT_EQ(e.message, "Invalid JSON body: unterminated string at byte 50");
}

TEST(ChatRequest, NullStreamIsFalse) {
  EXPECT_FALSE(scan_ok(R"({"model":"m","stream":null,"messages":[{"role":"user"}]})").stream);
}

std::string drop_so(const std::string& body) {
  auto info = scan_ok(body);
  auto out = rewrite_chat_request(body, info, std::nullopt, true);
  EXPECT_TRUE(out.has_value());
  return out.value_or("");
}

TEST(ChatRewrite, RemovesStreamOptionsAtAnyPosition) {
  const std::string msgs = R"("messages":[{"role":"user","content":"hi"}])";
  const std::string so = R"("stream_options":{"include_usage":true})";
  const std::string bodies[] = {
      "{" + so + R"(,"model":"m",)" + msgs + "}",                // first
      R"({"model":"m",)" + so + "," + msgs + "}",                // middle
      R"({"model":"m",)" + msgs + "," + so + "}",                // last
      "{ \"model\" : \"m\" , " + msgs + " ,\n  " + so + " \n}",  // last, with whitespace
      "{" + so + " , \"model\":\"m\",\t" + msgs + "}",           // first, with whitespace
      R"({"model":"m","stream_options":null,)" + msgs + "}",     // null value
  };
  for (const auto& body : bodies) {
    std::string out = drop_so(body);
    auto v = parse(out);
    ASSERT_TRUE(v.is_object()) << out;
    EXPECT_EQ(v.as_object().size(), 2u) << out;
    EXPECT_FALSE(v.as_object().contains("stream_options")) << out;
    EXPECT_EQ(v.as_object().at("model").as_string(), "m");
    EXPECT_EQ(scan_ok(out).message_count, 1u);
  }
}

TEST(ChatRewrite, ReplacesModelAndDropsTogether) {
  const std::string body =
      R"({"stream_options":{"include_usage":true},"model":"claude-sonnet-4-20250514",)"
      R"("messages":[{"role":"user","content":"hi"}],"stream":true})";
  auto info = scan_ok(body);
  auto out = rewrite_chat_request(body, info, std::string_view("claude-sonnet-4\"x"), true);
  ASSERT_TRUE(out);
  auto v = parse(*out);
  EXPECT_EQ(v.at("model").as_string(), "claude-sonnet-4\"x");
  EXPECT_FALSE(v.as_object().contains("stream_options"));
  EXPECT_TRUE(v.at("stream").as_bool());
  EXPECT_EQ(*out, R"({"model":"claude-sonnet-4\"x","messages":[{"role":"user","content":"hi"}],)"
                  R"("stream":true})");

  auto only_model = rewrite_chat_request(body, info, std::string_view("gpt-4.1"), false);
  ASSERT_TRUE(only_model);
  EXPECT_EQ(parse(*only_model).at("model").as_string(), "gpt-4.1");
  EXPECT_TRUE(parse(*only_model).as_object().contains("stream_options"));
}

TEST(ChatRewrite, NothingToChangeIsNullopt) {
  const std::string body = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
  auto info = scan_ok(body);
  EXPECT_FALSE(rewrite_chat_request(body, info, std::nullopt, true));  // no stream_options
  EXPECT_FALSE(rewrite_chat_request(body, info, std::string_view("m"), false));  // same model
  EXPECT_FALSE(rewrite_chat_request(body, info, std::nullopt, false));
}

TEST(ChatRequest, AgentBody) {
  const std::string body = testing::make_agent_request_body();
  auto info = scan_ok(body);
  EXPECT_EQ(info.model, "claude-sonnet-4.5");
  EXPECT_TRUE(info.stream);
  EXPECT_TRUE(info.include_usage);
  EXPECT_TRUE(info.has_tools);
  EXPECT_EQ(info.message_count, 19u);
  EXPECT_EQ(info.last_role, Role::kUser);
  auto out = rewrite_chat_request(body, info, std::string_view("claude-sonnet-4"), true);
  ASSERT_TRUE(out);
  auto v = parse(*out);
  EXPECT_EQ(v.at("model").as_string(), "claude-sonnet-4");
  EXPECT_FALSE(v.as_object().contains("stream_options"));
  EXPECT_EQ(v.at("tools").as_array().size(), 12u);
}

}  // namespace
}  // namespace cg::wire::openai
