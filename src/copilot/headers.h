// Builds the header set sent to the Copilot API and to GitHub's token endpoint
// (copilot-upstream.md §3, §5). Pure apart from Beast's header container; any thread.
#pragma once
#include <string_view>

#include <boost/beast/http/fields.hpp>

#include "config/config.h"

namespace cg::copilot {

struct CallInfo {
  std::string_view copilot_token;  // bearer
  std::string_view request_id;     // fresh per call (x-request-id, x-agent-task-id)
  std::string_view initiator;      // "user" | "agent"; empty = omit
  bool vision = false;             // copilot-vision-request: true
  std::string_view intent = "conversation-panel";  // openai-intent
};

// Headers for a call to the Copilot API (chat, models, ...). Does not set Host/Content-Length.
void add_copilot_headers(boost::beast::http::fields& f, const UpstreamConfig& cfg, const CallInfo& call);

// Headers for GitHub API calls made with the GitHub OAuth token (token exchange, quota).
void add_github_headers(boost::beast::http::fields& f, const UpstreamConfig& cfg,
                        std::string_view github_token);

}  // namespace cg::copilot
