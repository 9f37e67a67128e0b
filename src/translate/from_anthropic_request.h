// Anthropic Messages request (POST /v1/messages, and count_tokens bodies) -> canonical Request.
// Validates what Anthropic validates (model, max_tokens, messages, block shapes) and answers with
// a 400 naming the field otherwise. Pure; any thread.
#pragma once
#include <string_view>

#include "core/result.h"
#include "translate/canonical.h"

namespace cg::translate {

struct AnthropicParseOptions {
  bool require_max_tokens = true;  // false for count_tokens bodies
};

// Block rules: text; image (base64 -> data: URL; url sources are refused with a 400: the
// gateway does not fetch remote images); document with a text source -> text (PDF documents ->
// 400, Copilot cannot read them); tool_use (input kept as JSON text); tool_result (string or
// text/image parts, is_error); thinking (+ signature); redacted_thinking. Server-tool blocks
// (server_tool_use, web_search_tool_result, ...) are dropped: Copilot cannot run them. Tools
// with a versioned server `type` (web_search_2025..., bash_2025..., ...) are dropped likewise.
Result<Request> from_anthropic_request(std::string_view body, AnthropicParseOptions opts = {});

}  // namespace cg::translate
