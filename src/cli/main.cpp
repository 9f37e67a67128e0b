// copilot-gateway: command-line entry point. Dispatches to the subcommands in this folder.
// Main thread only.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 1 ? 2 : 1), argv + argc);
  std::string_view cmd = argc > 1 ? argv[1] : "help";
  if (cmd == "serve") return cg::cli::cmd_serve(args);
  if (cmd == "demo") return cg::cli::cmd_demo(args);
  if (cmd == "config") return cg::cli::cmd_config(args);
  if (cmd == "login") return cg::cli::cmd_login(args);
  if (cmd == "accounts") return cg::cli::cmd_accounts(args);
  if (cmd == "version" || cmd == "--version" || cmd == "-V") return cg::cli::cmd_version();
  if (cmd == "help" || cmd == "--help" || cmd == "-h") return cg::cli::cmd_help(args);
  std::fprintf(stderr, "copilot-gateway: unknown command '%.*s'\n\n", static_cast<int>(cmd.size()),
               cmd.data());
  cg::cli::cmd_help({});
  return 2;
}
