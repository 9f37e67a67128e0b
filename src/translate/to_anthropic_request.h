// Canonical Request -> a body for Copilot's native Anthropic endpoint (/v1/messages), for OpenAI
// Chat / Responses clients whose model is served only there. Written by hand in one pass (no
// DOM). Pure; any thread.
#pragma once
#include <cstdint>
#include <string>

#include "core/result.h"
#include "translate/canonical.h"

namespace cg::translate {

// What the emitter needs to know about the upstream model (from the catalog).
struct AnthropicTarget {
  std::string model;               // the catalog id sent upstream
  int64_t max_output_tokens = -1;  // capabilities.limits.max_output_tokens (-1 unknown)
};

// Rules (wire-formats.md §2.2, §3.4):
//  - every system / developer message -> `system` text blocks (in order);
//  - user turns: text (empty text dropped) and images (data: URLs -> base64 sources);
//    tool results (kTool messages, or kToolResult blocks in user messages) -> tool_result blocks
//    {tool_use_id, content (string, or text / image parts), is_error}. Consecutive user-side
//    messages form ONE user message whose tool_result blocks come first, so the results of
//    several tool messages answer the preceding assistant's tool_use blocks together;
//  - assistant turns (consecutive ones merged): kThinking with a signature -> thinking {thinking,
//    signature} (unsigned thinking and Responses reasoning cannot be replayed and are dropped),
//    kRedactedThinking -> redacted_thinking {data}, kText -> text, kToolCall -> tool_use {id,
//    name, input: the arguments object; {} when empty, {"_raw": text} when not an object};
//    turns left empty are dropped. Tool ids are reduced to Anthropic's [a-zA-Z0-9_-] alphabet
//    (other bytes -> '_') in tool_use and tool_result alike;
//  - cache breakpoints -> cache_control {type: ephemeral};
//  - tools -> {name, description, input_schema (an empty object schema when none)};
//    tool_choice: kAuto -> auto, kRequired -> any, kNamed -> tool, kNone -> none;
//    parallel_tool_calls false -> disable_parallel_tool_use (on an auto choice when unset);
//  - max_tokens (required): the request's, else the target's max_output_tokens, else 4096;
//    capped at the target's limit;
//  - thinking {type enabled, budget_tokens}: the thinking budget, else one derived from
//    reasoning_effort (low 1024, medium 2048, high 4096, higher 8192; none / minimal: off);
//    lowered below max_tokens and left out when under Anthropic's 1024 minimum, when tool use is
//    forced (any / tool), or when the last assistant turn has tool_use but no thinking first
//    (Anthropic refuses such a continuation with thinking on). With thinking on, temperature
//    and top_p are left out (Anthropic accepts only the defaults);
//  - stop -> stop_sequences; temperature (clamped to Anthropic's 0..1); top_p (left out when
//    temperature is set: recent Claude models refuse both); user -> metadata.user_id; structured
//    output (a JSON schema) -> output_config.format {type json_schema, schema}; stream. Not
//    sent: json_object mode, reasoning summaries, prompt_cache_key, Responses reasoning items.
// Errors: a remote (non data:) image URL or a malformed data: URL -> 400; no user or assistant
// message -> 400.
Result<std::string> to_anthropic_request(const Request& r, const AnthropicTarget& target);

}  // namespace cg::translate
