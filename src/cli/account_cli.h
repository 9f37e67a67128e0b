// What `login` and `accounts` share: opening the accounts database named by the configuration,
// finding an account by id, alias or login, the GitHub URLs for an account type / GHE.com
// domain, and the one-shot event loop the network steps run on. Main thread only.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "accounts/served_account.h"
#include "asio_impl/net.h"
#include "config/config.h"
#include "copilot/copilot_user.h"
#include "store/account.h"
#include "store/sqlite/sqlite_account_store.h"
#include "upstream/client_options.h"
#include "wire/copilot/catalog.h"

namespace cg::cli {

// Opens cfg.store.path (or the default path); prints the error and returns null on failure.
std::unique_ptr<store::sqlite::SqliteAccountStore> open_account_store(const Config& cfg);

// An account by numeric id, alias or GitHub login; prints "no account ..." when none.
std::optional<store::Account> find_account(store::AccountStore& s, std::string_view ref);

using accounts::github_urls;
using accounts::GitHubUrls;

// Upstream client settings from the configuration, through `egress_proxy` when not empty.
upstream::ClientOptions client_options(const Config& cfg, std::string_view egress_proxy);

// Runs `task` on a fresh io_context to completion (network steps of the CLI).
template <class T>
T run_blocking(Task<T> task) {
  net::io_context ioc;
  std::optional<T> out;
  net::co_spawn(
      ioc, [&]() -> Task<void> { out.emplace(co_await std::move(task)); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  ioc.run();
  return std::move(*out);
}

// Asks GitHub who the token belongs to (copilot_internal/user: login, plan, quota), through the
// account's egress proxy when it has one.
Result<copilot::CopilotUser> verify_github_token(const Config& cfg, std::string_view ghe_domain,
                                                 std::string_view github_token,
                                                 std::string_view egress_proxy = {});

// The model catalog account `a` sees: its Copilot token (exchanged now), then GET /models.
Result<wire::copilot::ModelCatalog> fetch_account_catalog(const Config& cfg,
                                                          const store::Account& a);

// `accounts status` / `accounts refresh <ref>`: the running gateway's view of its pool, through
// its admin endpoint at `url` (empty = the configured host and port). The exit code.
int accounts_status(const Config& cfg, const std::string& url, bool as_json);
int accounts_refresh(const Config& cfg, const std::string& url, const std::string& ref,
                     bool as_json);

// After `accounts enable|disable` changed the store: tells the running gateway (at `url`, empty =
// the configured host and port) to do the same now, and prints what came of it.
void tell_gateway_enabled(const Config& cfg, const std::string& url, int64_t id, bool enabled);

// Writes the premium quota of `user` for account `id` (ignored when GitHub gave none).
void save_quota(store::AccountStore& s, int64_t id, const copilot::CopilotUser& user);

}  // namespace cg::cli
