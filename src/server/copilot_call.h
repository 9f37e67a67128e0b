// One call to a Copilot API endpoint on behalf of a client request: the worker's Copilot token,
// the Copilot header set (intent, initiator, vision, extra lines), the request sent and the
// response head read under the connection's deadline. A 401 makes the worker report the rejected
// token (one refresh shared by everyone who saw it) and retry once; failures are answered to the
// client here. Worker thread only.
#pragma once
#include <memory>
#include <string_view>

#include "copilot/headers.h"
#include "core/result.h"
#include "server/request_context.h"
#include "server/upstream_call.h"

namespace cg::server {

struct CopilotCallSpec {
  std::string_view endpoint;      // "/chat/completions", "/responses", "/v1/messages", ...
  std::string_view metric_label;  // "chat", "responses", "messages", "embeddings"
  std::string_view intent = copilot::kChatIntent;
  std::string_view initiator;  // "user" | "agent" | "" (omitted)
  bool vision = false;
  std::string_view extra_headers;  // more "name: value\r\n" lines
  std::string_view body;
};

// Returns the started call when the upstream answered 200. Anything else is answered to the
// client here (send_error, in its format) and the result is null: token failures (401/502/503
// from the TokenManager), connect/first-byte failures (502, 504), and an upstream error status
// (its error body read and passed on with status and retry-after, secrets scrubbed).
// `spec` by value: see the note on coroutine arguments in respond.cpp.
Task<std::unique_ptr<UpstreamCall>> call_copilot(RequestContext& ctx, CopilotCallSpec spec);

}  // namespace cg::server
