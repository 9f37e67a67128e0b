// `copilot-gateway version`, `help` and `config` (the effective configuration, secrets masked,
// and the stored accounts `serve` would add). Main thread.
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "config/load.h"
#include "store/sqlite/default_path.h"
#include "store/sqlite/sqlite_account_store.h"

namespace cg::cli {

int cmd_version() {
  std::cout << "copilot-gateway " << CG_VERSION << std::endl;
  return 0;
}

// `copilot-gateway config [flags]`: the effective configuration (secrets masked), as TOML.
// The accounts `serve` would add from the store, as TOML comments (never a token or proxy URL).
static void print_stored_accounts(const Config& cfg) {
  if (!cfg.pool.use_store) return;
  std::string path = cfg.store.path;
  if (path.empty()) {
    auto p = store::sqlite::default_store_path();
    if (!p) return;
    path = *p;
  }
  if (!std::filesystem::exists(path)) return;
  auto s = store::sqlite::SqliteAccountStore::open(path);
  if (!s) return;
  auto list = (*s)->list();
  if (!list) return;
  std::cout << "\n# Accounts in the store (" << path << "), tokens never shown:\n";
  for (const store::Account& a : *list) {
    std::cout << "#   " << a.id << "  login=" << a.github_login;
    if (!a.alias.empty()) std::cout << " alias=" << a.alias;
    std::cout << " type=" << store::account_type_name(a.account_type);
    if (!a.ghe_domain.empty()) std::cout << " ghe_domain=" << a.ghe_domain;
    std::cout << " priority=" << a.priority << " weight=" << a.weight
              << " max_concurrency=" << a.max_concurrency
              << " max_vision_concurrency=" << a.max_vision_concurrency;
    if (!a.egress_proxy.empty()) std::cout << " egress_proxy=(set)";
    std::cout << (a.enabled ? "" : " DISABLED") << "\n";
  }
}

int cmd_config(const std::vector<std::string>& args) {
  auto cfg = load_config(args, process_env());
  if (!cfg) {
    std::cerr << "copilot-gateway: " << cfg.error().message << std::endl;
    return cfg.error().type == "help" ? 0 : 2;
  }
  std::cout << render_effective(*cfg);
  print_stored_accounts(*cfg);
  return 0;
}

int cmd_help(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "serve" || args[0] == "demo")) {
    std::cout << serve_usage() << std::endl;
    return 0;
  }
  std::cout << "copilot-gateway " << CG_VERSION
            << ": GitHub Copilot as OpenAI-compatible APIs\n\n"
               "Usage: copilot-gateway <command> [flags]\n\n"
               "Commands:\n"
               "  serve     run the gateway (needs GITHUB_TOKEN or COPILOT_TOKEN)\n"
               "  demo      run the gateway against the built-in simulator (no account needed)\n"
               "  login     sign in to GitHub (device flow) and save the account\n"
               "  accounts  list | add | remove | enable | disable | set | quota | models: the\n"
               "            saved accounts; status | refresh: the running gateway's pool\n"
               "  config    print the effective configuration (secrets masked)\n"
               "  version   print the version\n"
               "  help      this text; `help serve` lists every flag and environment variable\n"
            << std::endl;
  return 0;
}

}  // namespace cg::cli
