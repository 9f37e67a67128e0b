// See router.h.
#include "server/router.h"

namespace cg::server {

namespace {

using boost::beast::http::verb;

std::string_view strip_api_prefix(std::string_view path, bool& anthropic) {
  for (std::string_view prefix : {"/openai/v1", "/anthropic/v1", "/v1"}) {
    if (path.size() >= prefix.size() && path.substr(0, prefix.size()) == prefix &&
        (path.size() == prefix.size() || path[prefix.size()] == '/')) {
      anthropic = prefix == "/anthropic/v1";
      return path.substr(prefix.size());
    }
  }
  return path;
}

RouteMatch with_method(Route r, verb actual, verb wanted, std::string_view allow) {
  return RouteMatch{r, actual == wanted, allow, {}, false};
}

RouteMatch api_route(std::string_view api, verb method);

}  // namespace

RouteMatch match_route(std::string_view target, verb method) {
  std::string_view path = target.substr(0, target.find('?'));
  while (path.size() > 1 && path.back() == '/')
    path.remove_suffix(1);
  if (path == "/healthz") return with_method(Route::kHealthz, method, verb::get, "GET");
  if (path == "/readyz") return with_method(Route::kReadyz, method, verb::get, "GET");
  if (path == "/metrics") return with_method(Route::kMetrics, method, verb::get, "GET");
  if (path == "/admin/accounts")
    return with_method(Route::kAdminAccounts, method, verb::get, "GET");
  if (path == "/admin/config") return with_method(Route::kAdminConfig, method, verb::get, "GET");
  constexpr std::string_view kAccountsSlash = "/admin/accounts/";
  if (path.starts_with(kAccountsSlash)) {
    const std::string_view rest = path.substr(kAccountsSlash.size());
    const size_t slash = rest.rfind('/');
    if (slash != std::string_view::npos && slash > 0) {
      const std::string_view action = rest.substr(slash + 1);
      Route r = Route::kNotFound;
      if (action == "refresh") r = Route::kAdminRefresh;
      if (action == "enable") r = Route::kAdminEnable;
      if (action == "disable") r = Route::kAdminDisable;
      if (r != Route::kNotFound) {
        RouteMatch m = with_method(r, method, verb::post, "POST");
        m.param = rest.substr(0, slash);
        return m;
      }
    }
  }

  bool anthropic = false;
  std::string_view api = strip_api_prefix(path, anthropic);
  RouteMatch m = api_route(api, method);
  m.anthropic_prefix = anthropic;
  return m;
}

namespace {

RouteMatch api_route(std::string_view api, verb method) {
  if (api == "/chat/completions")
    return with_method(Route::kChatCompletions, method, verb::post, "POST");
  if (api == "/messages") return with_method(Route::kMessages, method, verb::post, "POST");
  if (api == "/messages/count_tokens")
    return with_method(Route::kCountTokens, method, verb::post, "POST");
  if (api == "/responses") return with_method(Route::kResponses, method, verb::post, "POST");
  if (api == "/embeddings") return with_method(Route::kEmbeddings, method, verb::post, "POST");
  if (api == "/models") return with_method(Route::kModels, method, verb::get, "GET");
  constexpr std::string_view kModelsSlash = "/models/";
  if (api.size() > kModelsSlash.size() && api.substr(0, kModelsSlash.size()) == kModelsSlash) {
    RouteMatch m = with_method(Route::kModel, method, verb::get, "GET");
    m.param = api.substr(kModelsSlash.size());
    return m;
  }
  return RouteMatch{};
}

}  // namespace

std::string_view route_label(Route r) {
  switch (r) {
    case Route::kChatCompletions:
      return "/v1/chat/completions";
    case Route::kModels:
      return "/v1/models";
    case Route::kModel:
      return "/v1/models/{id}";
    case Route::kMessages:
      return "/v1/messages";
    case Route::kCountTokens:
      return "/v1/messages/count_tokens";
    case Route::kResponses:
      return "/v1/responses";
    case Route::kEmbeddings:
      return "/v1/embeddings";
    case Route::kHealthz:
      return "/healthz";
    case Route::kReadyz:
      return "/readyz";
    case Route::kMetrics:
      return "/metrics";
    case Route::kAdminAccounts:
      return "/admin/accounts";
    case Route::kAdminRefresh:
      return "/admin/accounts/{ref}/refresh";
    case Route::kAdminEnable:
      return "/admin/accounts/{ref}/enable";
    case Route::kAdminDisable:
      return "/admin/accounts/{ref}/disable";
    case Route::kAdminConfig:
      return "/admin/config";
    case Route::kNotFound:
      break;
  }
  return "unmatched";
}

bool route_is_public(Route r) {
  return r == Route::kHealthz || r == Route::kReadyz || r == Route::kMetrics;
}

}  // namespace cg::server
