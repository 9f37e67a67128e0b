// See headers.h.
#include "copilot/headers.h"

#include <string>

namespace cg::copilot {

namespace http = boost::beast::http;

void add_copilot_headers(http::fields& f, const UpstreamConfig& cfg, const CallInfo& call) {
  std::string auth;
  auth.reserve(7 + call.copilot_token.size());
  auth.append("Bearer ").append(call.copilot_token);
  f.set(http::field::authorization, auth);
  f.set(http::field::content_type, "application/json");
  f.set("copilot-integration-id", cfg.integration_id);
  f.set("editor-version", cfg.editor_version);
  f.set("editor-plugin-version", cfg.editor_plugin_version);
  f.set(http::field::user_agent, cfg.user_agent);
  f.set("openai-intent", call.intent);
  f.set("x-github-api-version", cfg.github_api_version);
  f.set("x-request-id", call.request_id);
  f.set("x-agent-task-id", call.request_id);
  f.set("x-vscode-user-agent-library-version", "electron-fetch");
  if (!call.initiator.empty()) f.set("x-initiator", call.initiator);
  if (call.vision) f.set("copilot-vision-request", "true");
}

void add_github_headers(http::fields& f, const UpstreamConfig& cfg, std::string_view github_token) {
  std::string auth;
  auth.reserve(6 + github_token.size());
  auth.append("token ").append(github_token);
  f.set(http::field::authorization, auth);
  f.set(http::field::accept, "application/json");
  f.set("editor-version", cfg.editor_version);
  f.set("editor-plugin-version", cfg.editor_plugin_version);
  f.set(http::field::user_agent, cfg.user_agent);
  f.set("x-github-api-version", cfg.github_api_version);
  f.set("x-vscode-user-agent-library-version", "electron-fetch");
}

}  // namespace cg::copilot
