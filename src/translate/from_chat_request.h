// OpenAI Chat Completions request (POST /v1/chat/completions) -> canonical Request, for chat
// clients whose model the gateway cannot serve through Copilot's /chat/completions (models served
// only by /responses or by the native /v1/messages). Malformed input gets a 400 naming the field.
// Pure; any thread.
#pragma once
#include <string_view>

#include "core/result.h"
#include "translate/canonical.h"

namespace cg::translate {

// Rules (wire-formats.md §1.1, copilot-upstream.md §9):
//  - model and a non-empty messages array are required;
//  - system / developer messages -> Role::kSystem / kDeveloper (content a string or text parts);
//  - user messages: content a string or parts: text -> kText, image_url {url, detail} -> kImage
//    (the URL is checked by the emitters: remote URLs are refused there); input_audio and file
//    parts -> 400 (not supported);
//  - assistant messages, in this block order: Copilot's reasoning_text / reasoning_opaque ->
//    kThinking {text, signature}, except an opaque "<encrypted_content>@<id>" (a Responses
//    reasoning item this gateway handed out, see to_chat_response.h) -> kReasoning {id, text,
//    signature = encrypted_content}; content (string, or text / refusal parts) -> kText;
//    tool_calls -> kToolCall {id, name, arguments};
//  - tool messages -> Role::kTool messages of kToolResult {id = tool_call_id, text} (content a
//    string or text parts); consecutive tool messages form ONE kTool message;
//  - tools (type function: name, description, parameters, strict), tool_choice ("none" | "auto" |
//    "required" | {type:"function", function:{name}} | allowed_tools {mode}), parallel_tool_calls,
//    max_completion_tokens (else max_tokens), temperature, top_p, stop (string or list), stream,
//    stream_options.include_usage, user, reasoning_effort, Copilot's thinking_budget,
//    response_format (json_schema {name, schema} / json_object / text), prompt_cache_key. Other
//    fields (message names, logprobs, seed, penalties, metadata, ...) are ignored.
// Errors (400 naming the field): model / messages missing or malformed; n > 1 (one answer only for
// translated requests); the legacy functions / function_call fields and function role; custom
// tools; unknown roles or content part types.
Result<Request> from_chat_request(std::string_view body);

}  // namespace cg::translate
