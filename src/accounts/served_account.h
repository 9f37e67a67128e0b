// The accounts `serve` routes over, as the gateway starts them: the configuration's own account
// (GITHUB_TOKEN or COPILOT_TOKEN, called "env") first, then the store's enabled accounts, each
// with its pool settings (alias, priority tier, weight, caps), credentials, egress proxy and last
// known quota. Also the GitHub URLs of an account (github.com or a GHE.com domain).
// Pure functions over values; any thread.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "copilot/token_manager.h"
#include "pool/account_state.h"
#include "pool/quota.h"
#include "store/account.h"

namespace cg::accounts {

struct ServedAccount {
  pool::AccountConfig pool;  // id: "env" or the store id; alias: the store alias, else the login
  copilot::AccountCredentials credentials;  // SECRET tokens inside
  std::string egress_proxy;                 // http(s)://[user:pass@]host:port or empty (SECRET)
  int64_t store_id = 0;                     // 0 = not from the store
  std::string login, plan;
  std::optional<pool::QuotaSnapshot> quota;  // last one stored
};

// GitHub web and API base URLs: the configured ones for github.com, else https://<domain> and
// https://api.<domain> for a GHE.com domain.
struct GitHubUrls {
  std::string web, api;
};
GitHubUrls github_urls(const Config& cfg, std::string_view ghe_domain);

// The stored quota as the pool takes it (reset date parsed).
pool::QuotaSnapshot pool_quota(const store::QuotaSnapshot& q);

// The configuration's account (when GITHUB_TOKEN or COPILOT_TOKEN is set) and the enabled stored
// ones, in that order; a stored account with the same GitHub token as the configuration's is left
// out (it is already served). Aliases that would clash are dropped (the id still pins).
std::vector<ServedAccount> served_accounts(const Config& cfg,
                                           const std::vector<store::Account>& stored,
                                           const std::vector<store::QuotaSnapshot>& quotas);

}  // namespace cg::accounts
