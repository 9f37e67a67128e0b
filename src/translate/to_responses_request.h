// Canonical Request -> a Copilot /responses body, for models that only speak the Responses API
// (gpt-5.1-codex, ...) when the client spoke Chat Completions or Anthropic Messages. Written by
// hand in one pass (no DOM). Pure; any thread.
#pragma once
#include <cstdint>
#include <string>

#include "core/result.h"
#include "translate/canonical.h"

namespace cg::translate {

// What the emitter needs to know about the upstream model (from the catalog).
struct ResponsesTarget {
  std::string model;               // the catalog id sent upstream
  int64_t max_output_tokens = -1;  // capabilities.limits.max_output_tokens (-1 unknown)
  // Send temperature/top_p. Off by default: the Responses-only models are reasoning models,
  // which refuse sampling parameters.
  bool sampling = false;
};

// Rules (wire-formats.md §4.1, copilot-upstream.md §10):
//  - the leading system/developer messages -> `instructions` (text joined by a blank line); later
//    ones -> developer message items;
//  - user messages -> {type:"message", role:"user", content:[input_text | input_image]};
//    tool results (kToolResult, in kTool or user messages) -> function_call_output {call_id,
//    output} items first (is_error prefixes "Error: "; images of tool results move to a user
//    message that follows, as input_image parts);
//  - assistant messages in block order: kReasoning -> reasoning items {id, summary,
//    encrypted_content} passed back byte-identical (a reasoning item without encrypted_content
//    cannot be replayed with store:false and is dropped), consecutive text -> one assistant
//    message of output_text parts, kToolCall -> function_call {call_id, name, arguments}.
//    Anthropic thinking (kThinking, kRedactedThinking) is dropped: its signatures are not
//    Responses reasoning;
//  - tools flat {type:"function", name, description, parameters, strict} (strict:false unless
//    the client asked: Responses defaults to strict, which most client schemas fail), tool_choice,
//    parallel_tool_calls, max_output_tokens (capped at the model's limit, at least 16),
//    reasoning {effort, summary} (effort from reasoning_effort, else derived from the thinking
//    budget; summary "auto" unless the client chose one) when any reasoning was requested,
//    include ["reasoning.encrypted_content"], text.format for structured output,
//    prompt_cache_key, store:false, stream. Stop sequences and user ids are not sent (the
//    Responses API has no stop; ids longer than 64 bytes are refused).
// Errors: a remote (non data:) image URL -> 400.
Result<std::string> to_responses_request(const Request& r, const ResponsesTarget& target);

}  // namespace cg::translate
