// See headers.h.
#include "copilot/headers.h"

#include <string>

namespace cg::copilot {

namespace http = boost::beast::http;

void add_copilot_headers(http::fields& f, const UpstreamConfig& cfg, const CallInfo& call) {
  for_each_copilot_header(cfg, call,
                          [&](std::string_view name, std::string_view a, std::string_view b) {
                            if (b.empty()) {
                              f.set(name, a);
                            } else {
                              std::string v;
                              v.reserve(a.size() + b.size());
                              v.append(a).append(b);
                              f.set(name, v);
                            }
                          });
}

void append_copilot_headers(std::string& out, const UpstreamConfig& cfg, const CallInfo& call) {
  for_each_copilot_header(cfg, call,
                          [&](std::string_view name, std::string_view a, std::string_view b) {
                            out.append(name).append(": ").append(a).append(b).append("\r\n");
                          });
}

std::string static_copilot_header_lines(const UpstreamConfig& cfg, std::string_view intent) {
  std::string out;
  for_each_static_copilot_header(
      cfg, intent, [&](std::string_view name, std::string_view a, std::string_view b) {
        out.append(name).append(": ").append(a).append(b).append("\r\n");
      });
  return out;
}

void append_call_copilot_headers(std::string& out, const CallInfo& call) {
  for_each_call_copilot_header(call,
                               [&](std::string_view name, std::string_view a, std::string_view b) {
                                 out.append(name).append(": ").append(a).append(b).append("\r\n");
                               });
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
