// `copilot-gateway serve`: load the configuration, start the gateway, run until SIGINT/SIGTERM,
// then shut down gracefully. Main thread.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "config/load.h"
#include "core/log.h"
#include "server/gateway.h"
#include "store/sqlite/default_path.h"
#include "store/sqlite/sqlite_account_store.h"

namespace cg::cli {

// Shared by serve and demo: loads flags/env/TOML; prints the problem and returns nullopt on error.
std::optional<Config> load_or_report(const std::vector<std::string>& args, int& exit_code) {
  auto cfg = load_config(args, process_env());
  if (!cfg) {
    if (cfg.error().type == "help") {
      std::cout << cfg.error().message << std::endl;
      exit_code = 0;
    } else {
      std::cerr << "copilot-gateway: " << cfg.error().message << std::endl;
      exit_code = 2;
    }
    return std::nullopt;
  }
  log::set_level(log::parse_level(cfg->log.level).value_or(log::Level::kInfo));
  return std::move(*cfg);
}

int run_gateway(std::shared_ptr<const Config> cfg,
                const std::function<void(server::Gateway&)>& on_ready,
                std::vector<accounts::ServedAccount> served,
                std::unique_ptr<store::AccountStore> store) {
  server::Gateway gw(cfg, std::move(served), std::move(store));
  try {
    gw.start();
  } catch (const std::exception& e) {
    std::cerr << "copilot-gateway: " << e.what() << std::endl;
    return 1;
  }
  std::cout << "copilot-gateway listening on " << gw.base_url() << std::endl;
  if (on_ready) on_ready(gw);
  gw.run_until_signal();
  return 0;
}

// The store's accounts (when pool.use_store and the database exists; it is not created here).
// False after printing why the store could not be read.
static bool load_stored_accounts(const Config& cfg, std::vector<accounts::ServedAccount>& served,
                                 std::unique_ptr<store::AccountStore>& store) {
  served = accounts::served_accounts(cfg, {}, {});
  if (!cfg.pool.use_store) return true;
  std::string path = cfg.store.path;
  if (path.empty()) {
    auto p = store::sqlite::default_store_path();
    if (!p) return true;  // no home directory: no stored accounts
    path = *p;
  }
  if (!std::filesystem::exists(path)) return true;
  auto opened = store::sqlite::SqliteAccountStore::open(path);
  if (!opened) {
    std::cerr << "copilot-gateway: cannot open the accounts database " << path << ": "
              << opened.error().message << std::endl;
    return false;
  }
  auto list = (*opened)->list();
  auto quotas = (*opened)->list_quotas();
  if (!list || !quotas) {
    std::cerr << "copilot-gateway: cannot read the accounts database " << path << ": "
              << (!list ? list.error().message : quotas.error().message) << std::endl;
    return false;
  }
  served = accounts::served_accounts(cfg, *list, *quotas);
  store = std::move(*opened);
  return true;
}

int cmd_serve(const std::vector<std::string>& args) {
  int code = 0;
  auto cfg = load_or_report(args, code);
  if (!cfg) return code;
  std::vector<accounts::ServedAccount> served;
  std::unique_ptr<store::AccountStore> store;
  if (!load_stored_accounts(*cfg, served, store)) return 1;
  if (served.empty()) {
    std::cerr << "copilot-gateway: no GitHub account configured: run `copilot-gateway login` "
                 "(or `accounts add`), set GITHUB_TOKEN (or --github-token), or COPILOT_TOKEN "
                 "for a static Copilot token. To try the gateway without an account, run "
                 "`copilot-gateway demo`."
              << std::endl;
    return 2;
  }
  // The effective configuration is printed by `copilot-gateway config`, not logged: even masked,
  // secrets do not belong in logs.
  log::Line(log::Level::kInfo, "configuration")
      .str("github_api_url", cfg->upstream.github_api_url)
      .str("copilot_api_url", cfg->upstream.copilot_api_url)
      .str("account_type", cfg->upstream.account_type)
      .boolean("static_copilot_token", !cfg->auth.copilot_token.empty())
      .num("api_keys", static_cast<int64_t>(cfg->auth.api_keys.size()))
      .num("accounts", static_cast<int64_t>(served.size()))
      .str("strategy", cfg->pool.strategy);
  return run_gateway(std::make_shared<const Config>(std::move(*cfg)), {}, std::move(served),
                     std::move(store));
}

}  // namespace cg::cli
