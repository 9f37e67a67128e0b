// See token_exchange.h. The Client's thread.
#include "copilot/token_exchange.h"

#include "copilot/headers.h"
#include "copilot/token_manager.h"
#include "core/ids.h"
#include "upstream/request.h"
#include "wire/openai/errors.h"

namespace cg::copilot {

Task<ExchangeOutcome> exchange_copilot_token(upstream::Client& client,
                                             const upstream::Target& github_api,
                                             const UpstreamConfig& headers,
                                             std::string_view github_token,
                                             std::chrono::milliseconds timeout) {
  http::request<http::string_body> req{http::verb::get,
                                       github_api.path("/copilot_internal/v2/token"), 11};
  add_github_headers(req, headers, github_token);
  auto res = co_await upstream::request(client, github_api, std::move(req), timeout);
  ExchangeOutcome out;
  if (!res) {
    out.error = std::move(res).error();
    co_return out;
  }
  if (res->status != 200) {
    out.fatal = res->status == 401 || res->status == 403 || res->status == 404;
    std::string why = res->status == 401 ? " (the GitHub token is invalid or revoked)"
                      : out.fatal        ? " (this GitHub account has no Copilot access)"
                                         : "";
    out.error = ApiError{
        502,
        "server_error",
        "copilot_token_exchange_failed",
        "Copilot token exchange failed: GitHub answered HTTP " + std::to_string(res->status) + why,
        {},
        {}};
    co_return out;
  }
  auto tok = parse_token_response(res->body, unix_now_ms() / 1000);
  if (!tok) {
    out.error = std::move(tok).error();
  } else {
    out.token = std::move(*tok);
  }
  co_return out;
}

Result<upstream::Target> copilot_api_target(const UpstreamConfig& cfg, const CopilotToken& t,
                                            std::string_view account_type) {
  if (!cfg.copilot_api_url.empty()) return upstream::Target::parse(cfg.copilot_api_url);
  if (!t.api_base.empty()) return upstream::Target::parse(t.api_base);
  return upstream::Target::parse(default_copilot_base(account_type));
}

Task<CatalogOutcome> fetch_catalog(upstream::Client& client, const upstream::Target& api,
                                   const UpstreamConfig& headers, std::string_view copilot_token,
                                   std::chrono::milliseconds timeout) {
  http::request<http::string_body> req{http::verb::get, api.path("/models"), 11};
  const std::string request_id = new_uuid();
  add_copilot_headers(req, headers, CallInfo{copilot_token, request_id, {}, false, "model-access"});
  auto res = co_await upstream::request(client, api, std::move(req), timeout);
  CatalogOutcome out;
  if (!res) {
    out.error = std::move(res).error();
    co_return out;
  }
  out.status = res->status;
  if (res->status != 200) {
    out.error = wire::openai::upstream_error(res->status, res->body);
    co_return out;
  }
  auto catalog = wire::copilot::parse_catalog(res->body);
  if (!catalog) {
    out.error = std::move(catalog).error();
  } else {
    out.catalog = std::move(*catalog);
  }
  co_return out;
}

}  // namespace cg::copilot
