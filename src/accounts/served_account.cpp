// See served_account.h.
#include "accounts/served_account.h"

#include <cctype>
#include <set>

#include "pool/dates.h"

namespace cg::accounts {

GitHubUrls github_urls(const Config& cfg, std::string_view ghe_domain) {
  if (ghe_domain.empty()) return {cfg.upstream.github_url, cfg.upstream.github_api_url};
  return {"https://" + std::string(ghe_domain), "https://api." + std::string(ghe_domain)};
}

pool::QuotaSnapshot pool_quota(const store::QuotaSnapshot& q) {
  pool::QuotaSnapshot s;
  s.unlimited = q.unlimited || q.premium_entitlement < 0;
  s.entitlement = s.unlimited ? -1 : static_cast<double>(q.premium_entitlement);
  s.remaining = q.premium_remaining;
  s.overage_permitted = q.overage_permitted;
  if (!q.reset_date.empty()) s.reset_ms = pool::parse_date_ms(q.reset_date).value_or(0);
  return s;
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::vector<ServedAccount> served_accounts(const Config& cfg,
                                           const std::vector<store::Account>& stored,
                                           const std::vector<store::QuotaSnapshot>& quotas) {
  std::vector<ServedAccount> out;
  std::set<std::string> names;  // ids and aliases taken, lower case
  if (!cfg.auth.github_token.empty() || !cfg.auth.copilot_token.empty()) {
    ServedAccount env;
    env.pool.id = "env";
    env.credentials = copilot::credentials_from_config(cfg);
    env.credentials.label = "env";
    out.push_back(std::move(env));
    names.insert("env");
  }
  for (const store::Account& a : stored) {
    if (!a.enabled) continue;
    if (!cfg.auth.github_token.empty() && a.github_token == cfg.auth.github_token) continue;
    ServedAccount s;
    s.store_id = a.id;
    s.pool.id = std::to_string(a.id);
    names.insert(s.pool.id);
    const std::string alias = a.alias.empty() ? a.github_login : a.alias;
    if (!alias.empty() && names.insert(lower(alias)).second) s.pool.alias = alias;
    s.pool.tier = a.priority;
    s.pool.weight = static_cast<uint32_t>(a.weight < 1 ? 1 : a.weight);
    s.pool.max_concurrent = static_cast<uint32_t>(a.max_concurrency);
    s.pool.max_concurrent_vision = static_cast<uint32_t>(a.max_vision_concurrency);
    s.credentials.label = s.pool.alias.empty() ? s.pool.id : s.pool.alias;
    s.credentials.github_token = a.github_token;
    s.credentials.github_api_url = github_urls(cfg, a.ghe_domain).api;
    s.credentials.account_type = std::string(store::account_type_name(a.account_type));
    s.egress_proxy = a.egress_proxy;
    s.login = a.github_login;
    s.plan = a.plan;
    for (const store::QuotaSnapshot& q : quotas)
      if (q.account_id == a.id) s.quota = pool_quota(q);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace cg::accounts
