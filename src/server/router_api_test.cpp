// Router tests for the Anthropic, Responses and embeddings routes.
#include <gtest/gtest.h>

#include "server/router.h"

namespace cg::server {
namespace {

using boost::beast::http::verb;

TEST(RouterApi, MessagesUnderEveryPrefix) {
  for (const char* t : {"/v1/messages", "/v1/messages?beta=true", "/v1/messages/", "/messages",
                        "/openai/v1/messages"}) {
    const RouteMatch m = match_route(t, verb::post);
    EXPECT_EQ(m.route, Route::kMessages) << t;
    EXPECT_TRUE(m.method_allowed) << t;
    EXPECT_FALSE(m.anthropic_prefix) << t;
  }
  const RouteMatch a = match_route("/anthropic/v1/messages?beta=true", verb::post);
  EXPECT_EQ(a.route, Route::kMessages);
  EXPECT_TRUE(a.method_allowed);
  EXPECT_TRUE(a.anthropic_prefix);
}

TEST(RouterApi, CountTokens) {
  for (const char* t : {"/v1/messages/count_tokens", "/v1/messages/count_tokens?beta=true",
                        "/anthropic/v1/messages/count_tokens", "/messages/count_tokens"}) {
    const RouteMatch m = match_route(t, verb::post);
    EXPECT_EQ(m.route, Route::kCountTokens) << t;
    EXPECT_TRUE(m.method_allowed) << t;
  }
  EXPECT_TRUE(match_route("/anthropic/v1/messages/count_tokens", verb::post).anthropic_prefix);
  EXPECT_FALSE(match_route("/v1/messages/count_tokens", verb::post).anthropic_prefix);
  EXPECT_EQ(match_route("/v1/messages/count", verb::post).route, Route::kNotFound);
  EXPECT_EQ(match_route("/v1/messages/count_tokens/x", verb::post).route, Route::kNotFound);
}

TEST(RouterApi, ResponsesAndEmbeddings) {
  for (const char* t : {"/v1/responses", "/openai/v1/responses", "/responses", "/v1/responses?x"}) {
    const RouteMatch m = match_route(t, verb::post);
    EXPECT_EQ(m.route, Route::kResponses) << t;
    EXPECT_TRUE(m.method_allowed) << t;
    EXPECT_FALSE(m.anthropic_prefix) << t;
  }
  for (const char* t : {"/v1/embeddings", "/openai/v1/embeddings", "/embeddings"}) {
    const RouteMatch m = match_route(t, verb::post);
    EXPECT_EQ(m.route, Route::kEmbeddings) << t;
    EXPECT_TRUE(m.method_allowed) << t;
  }
  // Responses sub-resources are not served.
  EXPECT_EQ(match_route("/v1/responses/resp_123", verb::get).route, Route::kNotFound);
}

TEST(RouterApi, WrongMethodsReportAllow) {
  struct Case {
    const char* target;
    verb method;
    Route route;
    const char* allow;
  };
  for (const Case& c : {Case{"/v1/messages", verb::get, Route::kMessages, "POST"},
                        Case{"/anthropic/v1/messages", verb::put, Route::kMessages, "POST"},
                        Case{"/v1/messages/count_tokens", verb::get, Route::kCountTokens, "POST"},
                        Case{"/v1/responses", verb::get, Route::kResponses, "POST"},
                        Case{"/v1/responses", verb::delete_, Route::kResponses, "POST"},
                        Case{"/v1/embeddings", verb::get, Route::kEmbeddings, "POST"},
                        Case{"/anthropic/v1/models", verb::post, Route::kModels, "GET"},
                        Case{"/v1/models/claude-sonnet-4", verb::delete_, Route::kModel, "GET"}}) {
    const RouteMatch m = match_route(c.target, c.method);
    EXPECT_EQ(m.route, c.route) << c.target;
    EXPECT_FALSE(m.method_allowed) << c.target;
    EXPECT_EQ(m.allow, c.allow) << c.target;
  }
}

TEST(RouterApi, AnthropicModels) {
  RouteMatch m = match_route("/anthropic/v1/models?limit=5", verb::get);
  EXPECT_EQ(m.route, Route::kModels);
  EXPECT_TRUE(m.method_allowed);
  EXPECT_TRUE(m.anthropic_prefix);
  m = match_route("/anthropic/v1/models/claude-sonnet-4", verb::get);
  EXPECT_EQ(m.route, Route::kModel);
  EXPECT_EQ(m.param, "claude-sonnet-4");
  EXPECT_TRUE(m.anthropic_prefix);
  m = match_route("/v1/models/claude-sonnet-4?x=1", verb::get);
  EXPECT_EQ(m.param, "claude-sonnet-4");
  EXPECT_FALSE(m.anthropic_prefix);
}

TEST(RouterApi, PrefixLookalikesAreNotAnthropic) {
  EXPECT_EQ(match_route("/anthropic/v1x/messages", verb::post).route, Route::kNotFound);
  EXPECT_EQ(match_route("/anthropic/messages", verb::post).route, Route::kNotFound);
  EXPECT_EQ(match_route("/anthropic/v2/messages", verb::post).route, Route::kNotFound);
  EXPECT_FALSE(match_route("/anthropic/v1x/messages", verb::post).anthropic_prefix);
  // Health probes are never under a prefix and never Anthropic.
  EXPECT_FALSE(match_route("/healthz", verb::get).anthropic_prefix);
}

TEST(RouterApi, Labels) {
  EXPECT_EQ(route_label(match_route("/anthropic/v1/messages", verb::post).route), "/v1/messages");
  EXPECT_EQ(route_label(Route::kCountTokens), "/v1/messages/count_tokens");
  EXPECT_EQ(route_label(Route::kResponses), "/v1/responses");
  EXPECT_EQ(route_label(Route::kEmbeddings), "/v1/embeddings");
  for (Route r : {Route::kMessages, Route::kCountTokens, Route::kResponses, Route::kEmbeddings})
    EXPECT_FALSE(route_is_public(r));
}

}  // namespace
}  // namespace cg::server
