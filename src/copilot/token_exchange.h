// The two network steps every Copilot account needs, as plain calls: exchanging the GitHub token
// for a Copilot token (GET copilot_internal/v2/token) and fetching the model catalog with it
// (GET /models), plus the Copilot API base a token is used against. TokenManager and
// ModelService add refresh, sharing and caching on top; the CLI calls them directly. The
// Client's thread.
#pragma once
#include <chrono>
#include <optional>
#include <string_view>

#include "asio_impl/net.h"
#include "config/config.h"
#include "copilot/token.h"
#include "core/api_error.h"
#include "core/result.h"
#include "upstream/client.h"
#include "upstream/target.h"
#include "wire/copilot/catalog.h"

namespace cg::copilot {

struct ExchangeOutcome {
  std::optional<CopilotToken> token;
  ApiError error;      // when !token
  bool fatal = false;  // retrying cannot help (401/403/404: bad token or no Copilot access)
};

// Errors: the transport's (502/504), or 502 copilot_token_exchange_failed naming GitHub's status.
Task<ExchangeOutcome> exchange_copilot_token(upstream::Client& client,
                                             const upstream::Target& github_api,
                                             const UpstreamConfig& headers,
                                             std::string_view github_token,
                                             std::chrono::milliseconds timeout);

// The configured --copilot-api-url, else the token's endpoints.api, else the default base of
// the account type.
Result<upstream::Target> copilot_api_target(const UpstreamConfig& cfg, const CopilotToken& t,
                                            std::string_view account_type);

struct CatalogOutcome {
  std::optional<wire::copilot::ModelCatalog> catalog;
  ApiError error;  // when !catalog
  int status = 0;  // the upstream's HTTP status; 0 when none arrived
};

Task<CatalogOutcome> fetch_catalog(upstream::Client& client, const upstream::Target& api,
                                   const UpstreamConfig& headers, std::string_view copilot_token,
                                   std::chrono::milliseconds timeout);

}  // namespace cg::copilot
