// Router: maps a request target and method to a route. The same API is served under /v1, under
// /openai/v1, under /anthropic/v1 and without a prefix. Pure; any thread.
#pragma once
#include <string_view>

#include <boost/beast/http/verb.hpp>

namespace cg::server {

enum class Route {
  kNotFound,
  kChatCompletions,  // POST /v1/chat/completions
  kModels,           // GET  /v1/models
  kModel,            // GET  /v1/models/{id}
  kMessages,         // POST /v1/messages (Anthropic)
  kCountTokens,      // POST /v1/messages/count_tokens (Anthropic)
  kResponses,        // POST /v1/responses
  kEmbeddings,       // POST /v1/embeddings
  kHealthz,          // GET  /healthz
  kReadyz,           // GET  /readyz
  kMetrics,          // GET  /metrics
  kAdminAccounts,    // GET  /admin/accounts: the pool's accounts as `accounts status` shows them
  kAdminRefresh,     // POST /admin/accounts/{ref}/refresh: new Copilot token and quota now
  kAdminEnable,      // POST /admin/accounts/{ref}/enable: back into rotation (until restart)
  kAdminDisable,     // POST /admin/accounts/{ref}/disable: out of rotation (until restart)
  kAdminConfig,      // GET  /admin/config: the effective configuration, secrets masked
};

struct RouteMatch {
  Route route = Route::kNotFound;
  bool method_allowed = false;
  std::string_view allow;         // value for the Allow header when the method is wrong
  std::string_view param;         // {id} for kModel, {ref} for the kAdmin account actions
  bool anthropic_prefix = false;  // reached under /anthropic/v1
};

RouteMatch match_route(std::string_view target, boost::beast::http::verb method);

// Stable label for metrics and logs (never the raw path).
std::string_view route_label(Route r);

// Routes that answer without a client API key (probes and metrics).
bool route_is_public(Route r);

}  // namespace cg::server
