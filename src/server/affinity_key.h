// The conversation a request belongs to, as a pool affinity key (so its turns stay on the account
// that holds their reasoning signatures and prompt cache): a session id the client sends as a
// header (Claude Code's x-claude-code-session-id, Codex's session_id, x-session-id,
// conversation_id), else the body's prompt_cache_key, else its user / metadata.user_id, else a
// hash of the system prompt and the first user message. 0 when the request carries none of them.
// Pure; any thread.
#pragma once
#include <cstdint>
#include <string_view>

#include "h1/request.h"
#include "translate/canonical.h"
#include "wire/openai/chat_request.h"

namespace cg::server {

uint64_t header_affinity_key(const h1::Request& req);
// A Chat Completions request as scanned (no further parse).
uint64_t chat_affinity_key(const h1::Request& req, std::string_view body,
                           const wire::openai::ChatRequestInfo& info);
// A Messages or Responses request as parsed.
uint64_t request_affinity_key(const h1::Request& req, const translate::Request& parsed);

}  // namespace cg::server
