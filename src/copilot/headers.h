// Builds the header set sent to the Copilot API and to GitHub's token endpoint
// (copilot-upstream.md §3, §5). Pure apart from Beast's header container; any thread.
#pragma once
#include <string>
#include <string_view>

#include <boost/beast/http/fields.hpp>

#include "config/config.h"

namespace cg::copilot {

inline constexpr std::string_view kChatIntent = "conversation-panel";
struct CallInfo {
  std::string_view copilot_token;         // bearer
  std::string_view request_id;            // fresh per call (x-request-id, x-agent-task-id)
  std::string_view initiator;             // "user" | "agent"; empty = omit
  bool vision = false;                    // copilot-vision-request: true
  std::string_view intent = kChatIntent;  // openai-intent
};

// Calls set(name, value_part1, value_part2) for each header of a call to the Copilot API that
// depends only on the configuration and the intent (the value is the two parts concatenated).
template <class Set>
void for_each_static_copilot_header(const UpstreamConfig& cfg, std::string_view intent, Set&& set) {
  set("content-type", "application/json", "");
  set("copilot-integration-id", cfg.integration_id, "");
  set("editor-version", cfg.editor_version, "");
  set("editor-plugin-version", cfg.editor_plugin_version, "");
  set("user-agent", cfg.user_agent, "");
  set("openai-intent", intent, "");
  set("x-github-api-version", cfg.github_api_version, "");
  set("x-vscode-user-agent-library-version", "electron-fetch", "");
}
// The headers that change from call to call.
template <class Set>
void for_each_call_copilot_header(const CallInfo& call, Set&& set) {
  set("authorization", "Bearer ", call.copilot_token);
  set("x-request-id", call.request_id, "");
  set("x-agent-task-id", call.request_id, "");
  if (!call.initiator.empty()) set("x-initiator", call.initiator, "");
  if (call.vision) set("copilot-vision-request", "true", "");
}
// Every header of a call to the Copilot API. Host and Content-Length are left to the caller.
template <class Set>
void for_each_copilot_header(const UpstreamConfig& cfg, const CallInfo& call, Set&& set) {
  for_each_static_copilot_header(cfg, call.intent, set);
  for_each_call_copilot_header(call, set);
}
// The same headers into a Beast field set (control-plane calls).
void add_copilot_headers(boost::beast::http::fields& f, const UpstreamConfig& cfg,
                         const CallInfo& call);

// The same headers as HTTP/1.1 header lines ("name: value\r\n"), appended to `out`.
void append_copilot_headers(std::string& out, const UpstreamConfig& cfg, const CallInfo& call);
// Hot path: the static lines are rendered once (static_copilot_header_lines) and kept; each call
// appends them and then its own lines (append_call_copilot_headers).
std::string static_copilot_header_lines(const UpstreamConfig& cfg, std::string_view intent);
void append_call_copilot_headers(std::string& out, const CallInfo& call);

// Headers for GitHub API calls made with the GitHub OAuth token (token exchange, quota).
void add_github_headers(boost::beast::http::fields& f, const UpstreamConfig& cfg,
                        std::string_view github_token);

}  // namespace cg::copilot
