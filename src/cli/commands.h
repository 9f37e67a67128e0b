// The subcommands of `copilot-gateway`. Each returns the process exit code. Main thread only.
#pragma once
#include <string>
#include <vector>

namespace cg::cli {

int cmd_serve(const std::vector<std::string>& args);
int cmd_demo(const std::vector<std::string>& args);
int cmd_config(const std::vector<std::string>& args);
int cmd_login(const std::vector<std::string>& args);
int cmd_accounts(const std::vector<std::string>& args);
int cmd_version();
int cmd_help(const std::vector<std::string>& args);

}  // namespace cg::cli
