// A Copilot /v1/messages answer (non-streamed Anthropic `message` JSON) -> canonical Response.
// Pure; any thread.
#pragma once
#include <string_view>

#include "core/result.h"
#include "translate/canonical.h"

namespace cg::translate {

// Content blocks in order: text -> kText; thinking -> kThinking {text, signature};
// redacted_thinking
// -> kRedactedThinking {signature = data}; tool_use -> kToolCall {id, name, arguments = the input's
// JSON text}; server-tool blocks are skipped. Finish: see parse_anthropic_stop_reason; the matched
// stop sequence is kept. Usage: canonical input_tokens = input_tokens + cache_read_input_tokens +
// cache_creation_input_tokens (Anthropic's input excludes cached tokens), cache read / creation and
// output tokens as given.
// Errors: a body that is not a message (or an Anthropic error body) -> 502.
Result<Response> from_anthropic_response(std::string_view body);

// end_turn -> kStop, max_tokens / model_context_window_exceeded -> kLength, tool_use ->
// kToolCalls, stop_sequence -> kStopSequence, refusal -> kRefusal, pause_turn -> kPauseTurn, empty
// -> kNone, anything else -> kStop.
FinishReason parse_anthropic_stop_reason(std::string_view reason);

}  // namespace cg::translate
