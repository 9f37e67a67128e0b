// A Copilot /chat/completions answer (non-streamed JSON) -> canonical Response. All choices are
// merged into one answer (Copilot splits Claude answers: text in one choice, tool calls in
// another); `tool_calls` wins the finish reason. Pure; any thread.
#pragma once
#include <string_view>

#include "core/result.h"
#include "translate/canonical.h"

namespace cg::translate {

// Content order: thinking (reasoning_text / reasoning_opaque), text, tool calls.
// Errors: a body that is not a chat completion -> 502.
Result<Response> from_chat_response(std::string_view body);

FinishReason parse_chat_finish(std::string_view reason);

}  // namespace cg::translate
