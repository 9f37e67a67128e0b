// Tests for OpenAI error rendering and upstream error conversion.
#include "wire/openai/errors.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace cg::wire::openai {
namespace {

boost::json::object parse_obj(std::string_view s) {
  boost::system::error_code ec;
  auto v = boost::json::parse(s, ec);
  EXPECT_FALSE(ec) << s;
  return v.is_object() ? v.as_object() : boost::json::object{};
}

TEST(Errors, BodyHasAllFourKeys) {
  auto full = parse_obj(error_body(ApiError::bad_request("bad \"x\"", "invalid_value", "model")));
  const auto& e = full.at("error").as_object();
  EXPECT_EQ(e.size(), 4u);
  EXPECT_EQ(e.at("message").as_string(), "bad \"x\"");
  EXPECT_EQ(e.at("type").as_string(), "invalid_request_error");
  EXPECT_EQ(e.at("param").as_string(), "model");
  EXPECT_EQ(e.at("code").as_string(), "invalid_value");

  auto nulls = parse_obj(error_body(ApiError::bad_request("m")));
  const auto& n = nulls.at("error").as_object();
  EXPECT_EQ(n.size(), 4u);
  EXPECT_TRUE(n.at("param").is_null());
  EXPECT_TRUE(n.at("code").is_null());
}

TEST(Errors, Event) {
  std::string ev = error_event(ApiError::bad_gateway("upstream went away"));
  ASSERT_EQ(ev.rfind("data: ", 0), 0u);
  ASSERT_EQ(ev.substr(ev.size() - 2), "\n\n");
  auto o = parse_obj(std::string_view(ev).substr(6, ev.size() - 8));
  EXPECT_EQ(o.at("error").at("message").as_string(), "upstream went away");
  EXPECT_EQ(o.at("error").at("code").as_string(), "upstream_unreachable");
}

TEST(Errors, UpstreamNestedError) {
  ApiError e = upstream_error(
      400, R"({"error":{"message":"The requested model is not supported.",)"
           R"("code":"model_not_supported","param":"model","type":"invalid_request_error"}})");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message, "The requested model is not supported.");
  EXPECT_EQ(e.code, "model_not_supported");
  EXPECT_EQ(e.param, "model");
  EXPECT_EQ(e.type, "invalid_request_error");
}

TEST(Errors, UpstreamFlatAndStringShapes) {
  ApiError flat = upstream_error(
      403,
      R"({"message":"Resource not accessible","documentation_url":"https://docs","status":"403"})");
  EXPECT_EQ(flat.status, 403);
  EXPECT_EQ(flat.message, "Resource not accessible");
  EXPECT_EQ(flat.type, "invalid_request_error");
  EXPECT_TRUE(flat.code.empty());

  ApiError str = upstream_error(429, R"({"error":"rate limited, retry later","code":42})");
  EXPECT_EQ(str.message, "rate limited, retry later");
  EXPECT_EQ(str.status, 429);

  ApiError numeric_code = upstream_error(500, R"({"error":{"message":"x","code":123}})");
  EXPECT_EQ(numeric_code.code, "123");
  EXPECT_EQ(numeric_code.type, "server_error");
}

TEST(Errors, UpstreamPlainTextIsTruncated) {
  ApiError e = upstream_error(502, "Bad gateway\n");
  EXPECT_EQ(e.message, "Bad gateway");
  EXPECT_EQ(e.type, "server_error");

  std::string big(5000, 'a');
  big.replace(999, 2, "\xc3\xa9");  // a 2-byte character straddling the 1000-byte cut
  ApiError t = upstream_error(500, big);
  EXPECT_EQ(t.message.size(), 999u);

  ApiError empty = upstream_error(503, "");
  EXPECT_EQ(empty.message, "Upstream request failed with HTTP 503");
}

TEST(Errors, SecretsAreRedacted) {
  ApiError e =
      upstream_error(401, R"({"error":{"message":"bad header Authorization: Bearer )"
                          R"(tid=abc;exp=123;sku=x:sig0123456789 for gho_ABCDEFGHIJKLMNOP1234"}})");
  EXPECT_EQ(e.message.find("tid=abc"), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find("gho_ABCD"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("Bearer [redacted]"), std::string::npos) << e.message;

  ApiError text = upstream_error(401, "token ghu_0123456789abcdefghij rejected; tid=1;exp=2:ff");
  EXPECT_EQ(text.message.find("ghu_0123"), std::string::npos) << text.message;
  EXPECT_EQ(text.message.find("tid=1"), std::string::npos) << text.message;

  // Ordinary words survive.
  EXPECT_EQ(redact_secrets("token expired, please refresh"), "token expired, please refresh");
  EXPECT_EQ(redact_secrets("key github_pat_11ABCDEFG0123456789_xyz end"), "key [redacted] end");
}

}  // namespace
}  // namespace cg::wire::openai
