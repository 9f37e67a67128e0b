// Canonical Request -> a Copilot /chat/completions body. Pure; any thread.
#pragma once
#include <cstdint>
#include <string>

#include "core/result.h"
#include "translate/canonical.h"

namespace cg::translate {

// What the emitter needs to know about the upstream model (from the catalog).
struct ChatTarget {
  std::string model;                    // the catalog id sent upstream
  bool copilot_reasoning = false;       // Claude on Copilot: thinking_budget, reasoning_text/opaque
  bool max_completion_tokens = false;   // reasoning models take max_completion_tokens
  int64_t min_thinking_budget = 1024;   // capabilities.supports.min_thinking_budget
  int64_t max_thinking_budget = 32000;  // capabilities.supports.max_thinking_budget
  int64_t max_output_tokens = -1;       // capabilities.limits.max_output_tokens (-1 unknown)
};

// Rules (wire-formats.md §3.1, copilot-upstream.md §9/§15):
//  - system/developer messages stay first as `system`/`developer` messages (text joined by a
//    blank line);
//  - user turns: every tool_result becomes its own `tool` message (tool_call_id kept), emitted
//    before the rest of the turn; images inside tool results move to the user message that
//    follows; text-only content is a string, with images it is a parts array;
//  - assistant turns: text joined into `content` (null when only tool calls), tool calls kept
//    with their ids, thinking as `reasoning_text` + `reasoning_opaque` (first signature) when
//    the target takes them (otherwise dropped);
//  - tools, tool_choice, parallel_tool_calls, stop, temperature, top_p, max tokens (capped at the
//    model's output limit), thinking budget (clamped to the model's limits and below max
//    tokens), reasoning effort, response_format json_schema; `stream` without stream_options
//    (Copilot always reports usage).
// Errors: a remote (non data:) image URL -> 400.
Result<std::string> to_chat_request(const Request& r, const ChatTarget& target);

}  // namespace cg::translate
