// `copilot-gateway version` and `copilot-gateway help`. Main thread.
#include <iostream>

#include "cli/commands.h"
#include "config/load.h"

namespace cg::cli {

int cmd_version() {
  std::cout << "copilot-gateway " << CG_VERSION << std::endl;
  return 0;
}

// `copilot-gateway config [flags]`: the effective configuration (secrets masked), as TOML.
int cmd_config(const std::vector<std::string>& args) {
  auto cfg = load_config(args, process_env());
  if (!cfg) {
    std::cerr << "copilot-gateway: " << cfg.error().message << std::endl;
    return cfg.error().type == "help" ? 0 : 2;
  }
  std::cout << render_effective(*cfg);
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
               "  accounts  list | add | remove | enable | disable | set the saved accounts\n"
               "  config    print the effective configuration (secrets masked)\n"
               "  version   print the version\n"
               "  help      this text; `help serve` lists every flag and environment variable\n"
            << std::endl;
  return 0;
}

}  // namespace cg::cli
