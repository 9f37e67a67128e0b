// A Copilot /responses answer (non-streamed JSON `response` object) -> canonical Response.
// Pure; any thread.
#pragma once
#include <string_view>

#include "core/result.h"
#include "translate/canonical.h"

namespace cg::translate {

// Output items in order: reasoning -> kReasoning {id, text = summary texts joined by a blank
// line, signature = encrypted_content (unchanged)}, dropped when it has neither; message -> kText
// per output_text / refusal part; function_call -> kToolCall {id = call_id, name, arguments}; other
// (hosted) items are skipped. Finish: any function call -> kToolCalls; status incomplete -> kLength
// (max_output_tokens) / kContentFilter (content_filter); otherwise kStop. Usage: input_tokens,
// output_tokens, input_tokens_details.cached_tokens, output_tokens_details.reasoning_tokens.
// Errors: not a response object -> 502; status "failed" -> 502 carrying the upstream error.
Result<Response> from_responses_response(std::string_view body);

// The canonical finish for a Responses status / incomplete reason.
FinishReason parse_responses_finish(std::string_view status, std::string_view incomplete_reason);

}  // namespace cg::translate
