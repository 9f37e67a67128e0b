// `copilot-gateway demo`: the built-in simulator plus the gateway in one process, so the
// gateway can be tried with no GitHub account. Prints the base URL, a key, and lines to paste
// into curl, the OpenAI SDK, Claude Code and Codex CLI. Main thread.
#include <iostream>

#include "cli/commands.h"
#include "config/load.h"
#include "core/ids.h"
#include "server/gateway.h"
#include "sim/simulator.h"

namespace cg::cli {

std::optional<Config> load_or_report(const std::vector<std::string>& args, int& exit_code);
int run_gateway(std::shared_ptr<const Config> cfg,
                const std::function<void(server::Gateway&)>& on_ready,
                std::vector<accounts::ServedAccount> served = {},
                std::unique_ptr<store::AccountStore> store = nullptr);

int cmd_demo(const std::vector<std::string>& args) {
  int code = 0;
  auto cfg = load_or_report(args, code);
  if (!cfg) return code;

  sim::SimConfig sc;
  sc.host = "127.0.0.1";
  sc.accounts.front().premium_unlimited = true;  // a long demo session never hits a 402
  sim::Simulator simulator(sc);
  try {
    simulator.start();
  } catch (const std::exception& e) {
    std::cerr << "copilot-gateway demo: cannot start the simulator: " << e.what() << std::endl;
    return 1;
  }
  cfg->upstream.github_api_url = simulator.base_url();
  cfg->upstream.copilot_api_url.clear();  // the simulator's token names itself as the API base
  cfg->auth.github_token = "ghu_sim_default";
  cfg->auth.copilot_token.clear();
  if (cfg->auth.api_keys.empty()) cfg->auth.api_keys.push_back(new_token_id("cg-demo-", 24));
  const std::string key = cfg->auth.api_keys.front();

  return run_gateway(std::make_shared<const Config>(std::move(*cfg)), [&](server::Gateway& gw) {
    const std::string url = gw.base_url();
    std::cout
        << "\nDemo mode: answers come from the built-in Copilot simulator (" << simulator.base_url()
        << "), not from GitHub.\n"
        << "  Base URL: " << url << "/v1\n"
        << "  API key:  " << key << "\n\n"
        << "curl:\n"
        << "  curl " << url << "/v1/chat/completions -H 'Authorization: Bearer " << key
        << "' -H 'Content-Type: application/json' \\\n"
        << "    -d "
           "'{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'\n"
        << "  curl " << url << "/v1/models -H 'Authorization: Bearer " << key << "'\n\n"
        << "OpenAI SDK (Python or Node):\n"
        << "  OPENAI_BASE_URL=" << url << "/v1 OPENAI_API_KEY=" << key << "\n\n"
        << "Claude Code:\n"
        << "  ANTHROPIC_BASE_URL=" << url << " ANTHROPIC_AUTH_TOKEN=" << key
        << " ANTHROPIC_MODEL=claude-sonnet-4.5 claude\n\n"
        << "Codex CLI (~/.codex/config.toml):\n"
        << "  [model_providers.copilot]\n"
        << "  name = \"copilot-gateway\"\n"
        << "  base_url = \"" << url << "/v1\"\n"
        << "  env_key = \"COPILOT_GATEWAY_KEY\"\n"
        << "  wire_api = \"responses\"\n"
        << "  then: COPILOT_GATEWAY_KEY=" << key
        << " codex -c model_provider=copilot -m gpt-5.1-codex\n\n"
        << "Press Ctrl-C to stop." << std::endl;
  });
}

}  // namespace cg::cli
