// Tests for Anthropic-shaped error bodies and stream error events.
#include "wire/anthropic/errors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

namespace cg::wire::anthropic {
namespace {

namespace json = boost::json;

TEST(AnthropicErrors, TypePerStatus) {
  EXPECT_EQ(error_type(400), "invalid_request_error");
  EXPECT_EQ(error_type(401), "authentication_error");
  EXPECT_EQ(error_type(402), "billing_error");
  EXPECT_EQ(error_type(403), "permission_error");
  EXPECT_EQ(error_type(404), "not_found_error");
  EXPECT_EQ(error_type(413), "request_too_large");
  EXPECT_EQ(error_type(429), "rate_limit_error");
  EXPECT_EQ(error_type(500), "api_error");
  EXPECT_EQ(error_type(502), "api_error");
  EXPECT_EQ(error_type(503), "overloaded_error");
  EXPECT_EQ(error_type(504), "timeout_error");
  EXPECT_EQ(error_type(529), "overloaded_error");
  // Other 4xx are invalid requests, other 5xx API errors.
  EXPECT_EQ(error_type(405), "invalid_request_error");
  EXPECT_EQ(error_type(408), "invalid_request_error");
  EXPECT_EQ(error_type(422), "invalid_request_error");
  EXPECT_EQ(error_type(431), "invalid_request_error");
  EXPECT_EQ(error_type(501), "api_error");
  EXPECT_EQ(error_type(599), "api_error");
}

TEST(AnthropicErrors, BodyShape) {
  const ApiError e = ApiError::not_found("The model 'x' is not available.", "model_not_found");
  const std::string body = error_body(e, "req_123");
  const json::object v = json::parse(body).as_object();
  EXPECT_EQ(v.size(), 3u) << body;
  EXPECT_EQ(v.at("type").as_string(), "error");
  EXPECT_EQ(v.at("request_id").as_string(), "req_123");
  const json::object& err = v.at("error").as_object();
  EXPECT_EQ(err.size(), 2u) << body;
  EXPECT_EQ(err.at("type").as_string(), "not_found_error");
  // Anthropic errors have no code: it is kept in the message.
  EXPECT_EQ(err.at("message").as_string(), "The model 'x' is not available. (model_not_found)");
}

TEST(AnthropicErrors, RequestIdIsOptional) {
  const std::string body = error_body(ApiError::bad_request("max_tokens: Field required"));
  EXPECT_EQ(body, R"({"type":"error","error":{"type":"invalid_request_error",)"
                  R"("message":"max_tokens: Field required"}})");
}

TEST(AnthropicErrors, CodeInMessageOnlyForClientErrorsAndOnce) {
  // 401: the code is not added (the message says enough).
  EXPECT_EQ(json::parse(error_body(ApiError::unauthorized("Bad key")))
                .at("error")
                .at("message")
                .as_string(),
            "Bad key");
  // 5xx: not added.
  EXPECT_EQ(json::parse(error_body(ApiError::bad_gateway("Upstream down")))
                .at("error")
                .at("message")
                .as_string(),
            "Upstream down");
  // Already in the message: not repeated.
  EXPECT_EQ(json::parse(
                error_body(ApiError::bad_request("model_not_supported: no", "model_not_supported")))
                .at("error")
                .at("message")
                .as_string(),
            "model_not_supported: no");
  // 429 keeps its code.
  ApiError rl{429, "rate_limit", "rate_limited", "Slow down", {}, "7"};
  const json::value v = json::parse(error_body(rl));
  EXPECT_EQ(v.at("error").at("type").as_string(), "rate_limit_error");
  EXPECT_EQ(v.at("error").at("message").as_string(), "Slow down (rate_limited)");
}

TEST(AnthropicErrors, MessagesAreEscaped) {
  const ApiError e = ApiError::bad_request("bad \"quote\" \\ and\nnewline \x01");
  const std::string body = error_body(e, "r\"id");
  const json::value v = json::parse(body);
  EXPECT_EQ(v.at("error").at("message").as_string(), "bad \"quote\" \\ and\nnewline \x01");
  EXPECT_EQ(v.at("request_id").as_string(), "r\"id");
}

TEST(AnthropicErrors, StreamEvent) {
  ApiError e{529, "server_error", "", "Overloaded", {}, {}};
  const std::string ev = error_event(e);
  const std::string prefix = "event: error\ndata: ";
  ASSERT_EQ(ev.substr(0, prefix.size()), prefix);
  ASSERT_GE(ev.size(), prefix.size() + 2);
  EXPECT_EQ(ev.substr(ev.size() - 2), "\n\n");
  const std::string data = ev.substr(prefix.size(), ev.size() - prefix.size() - 2);
  EXPECT_EQ(data.find('\n'), std::string::npos);  // one data line
  const json::object v = json::parse(data).as_object();
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v.at("type").as_string(), "error");
  EXPECT_EQ(v.at("error").at("type").as_string(), "overloaded_error");
  EXPECT_EQ(v.at("error").at("message").as_string(), "Overloaded");
  // A newline in the message stays escaped: the event is still one data line.
  const std::string multi = error_event(ApiError::bad_gateway("line1\nline2"));
  EXPECT_EQ(std::count(multi.begin(), multi.end(), '\n'), 3) << multi;
}

}  // namespace
}  // namespace cg::wire::anthropic
