// See account_cli.h. Main thread.
#include "cli/account_cli.h"

#include <charconv>
#include <iostream>

#include "accounts/quota_poller.h"
#include "copilot/token_exchange.h"
#include "server/gateway.h"
#include "store/sqlite/default_path.h"
#include "upstream/client.h"
#include "upstream/tls_context.h"

namespace cg::cli {

std::unique_ptr<store::sqlite::SqliteAccountStore> open_account_store(const Config& cfg) {
  std::string path = cfg.store.path;
  if (path.empty()) {
    auto p = store::sqlite::default_store_path();
    if (!p) {
      std::cerr << "copilot-gateway: " << p.error().message << " (set --store or STORE_PATH)"
                << std::endl;
      return nullptr;
    }
    path = *p;
  }
  auto s = store::sqlite::SqliteAccountStore::open(path);
  if (!s) {
    std::cerr << "copilot-gateway: cannot open the accounts database " << path << ": "
              << s.error().message << std::endl;
    return nullptr;
  }
  return std::move(*s);
}

std::optional<store::Account> find_account(store::AccountStore& s, std::string_view ref) {
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (ec == std::errc{} && end == ref.data() + ref.size()) {
    if (auto a = s.get(id); a && *a) return **a;
  }
  if (auto a = s.find_by_alias(ref); a && *a) return **a;
  if (auto all = s.list()) {
    for (const store::Account& a : *all) {
      if (a.github_login.size() == ref.size() &&
          std::equal(ref.begin(), ref.end(), a.github_login.begin(),
                     [](char x, char y) { return std::tolower(x) == std::tolower(y); }))
        return a;
    }
  }
  std::cerr << "copilot-gateway: no account with id, alias or login '" << ref << "'" << std::endl;
  return std::nullopt;
}

upstream::ClientOptions client_options(const Config& cfg, std::string_view egress_proxy) {
  upstream::ClientOptions o = server::client_options_for(cfg.upstream);
  if (!egress_proxy.empty()) o.https_proxy = egress_proxy;
  return o;
}

Result<wire::copilot::ModelCatalog> fetch_account_catalog(const Config& cfg,
                                                          const store::Account& a) {
  auto api = upstream::Target::parse(github_urls(cfg, a.ghe_domain).api);
  if (!api) return api.error();
  return run_blocking([&]() -> Task<Result<wire::copilot::ModelCatalog>> {
    const upstream::ClientOptions o = client_options(cfg, a.egress_proxy);
    upstream::Client client(co_await net::this_coro::executor, upstream::make_tls_context(o), o);
    const auto timeout = cfg.upstream.connect_timeout + cfg.upstream.first_byte_timeout;
    copilot::ExchangeOutcome ex = co_await copilot::exchange_copilot_token(
        client, *api, cfg.upstream, a.github_token, timeout);
    if (!ex.token) co_return std::move(ex.error);
    auto base = copilot::copilot_api_target(cfg.upstream, *ex.token,
                                            store::account_type_name(a.account_type));
    if (!base) co_return base.error();
    copilot::CatalogOutcome got =
        co_await copilot::fetch_catalog(client, *base, cfg.upstream, ex.token->token, timeout);
    if (!got.catalog) co_return std::move(got.error);
    co_return std::move(*got.catalog);
  }());
}

Result<copilot::CopilotUser> verify_github_token(const Config& cfg, std::string_view ghe_domain,
                                                 std::string_view github_token,
                                                 std::string_view egress_proxy) {
  const GitHubUrls urls = github_urls(cfg, ghe_domain);
  auto api = upstream::Target::parse(urls.api);
  if (!api) return api.error();
  return run_blocking([&]() -> Task<Result<copilot::CopilotUser>> {
    const upstream::ClientOptions opts = client_options(cfg, egress_proxy);
    upstream::Client client(co_await net::this_coro::executor, upstream::make_tls_context(opts),
                            opts);
    co_return co_await copilot::fetch_copilot_user(
        client, *api, cfg.upstream, github_token,
        cfg.upstream.connect_timeout + cfg.upstream.first_byte_timeout);
  }());
}

void save_quota(store::AccountStore& s, int64_t id, const copilot::CopilotUser& user) {
  const auto q =
      accounts::stored_quota_from_user(id, user,
                                       std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  if (!q) return;
  if (auto st = s.put_quota(*q); !st)
    std::cerr << "copilot-gateway: quota not saved: " << st.error().message << std::endl;
}

}  // namespace cg::cli
