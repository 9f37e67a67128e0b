// One call to a Copilot API endpoint on behalf of a client request, routed over the account pool:
// an account is chosen (pinned by X-Copilot-Account, else the conversation's affinity, else the
// strategy), its Copilot token and Copilot header set (intent, initiator, vision, extra lines)
// are used, and the response head is read under the connection's deadline. A 401 makes the
// account's token manager refresh once (shared by everyone who saw the same token) and the call
// is retried on the same account. Any other failure before the client has seen a byte (429, 402,
// 401/403 after the refresh, 5xx, network errors) is reported to the pool and the request moves
// to another account, at most pool.max_failovers times, backing off between switches after
// transient errors. When every account is at its concurrency cap the request waits in the pool's
// queue. Failures are answered to the client here. Worker thread only.
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
  // The upstream model id: its premium multiplier and the accounts that offer it (catalog).
  std::string_view model;
  // The conversation (pool::affinity_key_from_*); 0 = none.
  uint64_t affinity_key = 0;
};

// Returns the started call when the upstream answered 200; the call holds its pool attempt
// (UpstreamCall::account) until it ends. Anything else is answered to the client here (send_error,
// in its format) and the result is null: no account can take the request (429 with retry-after
// when all are cooling down or busy, 503 when none is usable), pinning refused (403) or unknown
// (400), token failures, connect/first-byte failures (502, 504), and an upstream error status on
// the last account tried (its error body passed on with status and retry-after, secrets scrubbed).
// `spec` by value: see the note on coroutine arguments in respond.cpp.
Task<std::unique_ptr<UpstreamCall>> call_copilot(RequestContext& ctx, CopilotCallSpec spec);

}  // namespace cg::server
