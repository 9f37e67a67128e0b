// Unit tests for the router and API-key checks.
#include <gtest/gtest.h>

#include "server/api_keys.h"
#include "server/router.h"

namespace cg::server {
namespace {

using boost::beast::http::verb;

TEST(Router, ChatUnderEveryPrefix) {
  for (const char* t : {"/v1/chat/completions", "/openai/v1/chat/completions", "/chat/completions",
                        "/v1/chat/completions/", "/v1/chat/completions?beta=true"}) {
    auto m = match_route(t, verb::post);
    EXPECT_EQ(m.route, Route::kChatCompletions) << t;
    EXPECT_TRUE(m.method_allowed) << t;
  }
}

TEST(Router, WrongMethodIsReportedWithAllow) {
  auto m = match_route("/v1/chat/completions", verb::get);
  EXPECT_EQ(m.route, Route::kChatCompletions);
  EXPECT_FALSE(m.method_allowed);
  EXPECT_EQ(m.allow, "POST");
  EXPECT_FALSE(match_route("/v1/models", verb::post).method_allowed);
}

TEST(Router, ModelsAndSingleModel) {
  EXPECT_EQ(match_route("/v1/models", verb::get).route, Route::kModels);
  auto m = match_route("/openai/v1/models/gpt-4.1", verb::get);
  EXPECT_EQ(m.route, Route::kModel);
  EXPECT_EQ(m.param, "gpt-4.1");
}

TEST(Router, UnknownPathsAndPrefixLookalikes) {
  EXPECT_EQ(match_route("/v2/chat/completions", verb::post).route, Route::kNotFound);
  EXPECT_EQ(match_route("/v1x/models", verb::get).route, Route::kNotFound);
  EXPECT_EQ(match_route("/v1/models/", verb::get).route, Route::kModels);
  EXPECT_EQ(match_route("", verb::get).route, Route::kNotFound);
  EXPECT_EQ(match_route("/healthz?x", verb::get).route, Route::kHealthz);
}

TEST(Router, LabelsAreRoutesNotRawPaths) {
  EXPECT_EQ(route_label(match_route("/openai/v1/models/abc", verb::get).route), "/v1/models/{id}");
  EXPECT_EQ(route_label(Route::kNotFound), "unmatched");
  EXPECT_TRUE(route_is_public(Route::kHealthz));
  EXPECT_FALSE(route_is_public(Route::kChatCompletions));
}

TEST(ApiKeys, AcceptsAnyConfiguredKeyOnly) {
  ApiKeys keys({"alpha-key", "beta-key"});
  EXPECT_TRUE(keys.enabled());
  EXPECT_TRUE(keys.accepts("alpha-key"));
  EXPECT_TRUE(keys.accepts("beta-key"));
  EXPECT_FALSE(keys.accepts("alpha-ke"));
  EXPECT_FALSE(keys.accepts("alpha-keyy"));
  EXPECT_FALSE(keys.accepts(""));
  EXPECT_FALSE(ApiKeys({}).enabled());
}

TEST(ApiKeys, PresentedKeyFromEitherHeader) {
  EXPECT_EQ(presented_key("Bearer abc", ""), "abc");
  EXPECT_EQ(presented_key("bearer abc", ""), "abc");
  EXPECT_EQ(presented_key("", "xyz"), "xyz");
  EXPECT_EQ(presented_key("Basic Zm9v", "xyz"), "xyz");
  EXPECT_EQ(presented_key("Bearer ", ""), "");
}

}  // namespace
}  // namespace cg::server
