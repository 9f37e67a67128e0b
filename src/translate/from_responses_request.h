// OpenAI Responses request (POST /v1/responses) -> canonical Request. Stateless: the gateway
// stores no responses, so previous_response_id, item_reference, conversation and background are
// refused with the 400s OpenAI clients recognise. Malformed input gets a 400 naming the field.
// Pure; any thread.
#pragma once
#include <string_view>

#include "core/result.h"
#include "translate/canonical.h"

namespace cg::translate {

// Rules (wire-formats.md §4.1, §4.4, §7):
//  - instructions -> a leading kSystem message; input string -> one user message;
//  - message items (type "message" or no type; roles user/assistant/system/developer; content a
//    string or input_text/output_text/refusal/input_image parts; input_image takes a data: URL,
//    remote URLs and file ids -> 400);
//  - assistant-side items that follow each other (assistant messages, function_call, reasoning)
//    form ONE assistant message: kText, kToolCall (id = call_id), kReasoning (id, summary text,
//    signature = encrypted_content, kept so it goes back upstream unchanged);
//  - function_call_output items that follow each other form one kTool message of kToolResult
//    blocks (output string, or input_text/input_image parts);
//  - outputs of hosted tools (web_search_call, ...) are dropped; item_reference -> 400;
//  - tools: function (flat) kept, namespace tools flattened into their nested functions (names as
//    given inside the namespace), hosted and custom tools dropped; tool_choice string or
//    {type:"function", name} ({type:"allowed_tools", mode} -> mode; hosted types -> auto);
//  - parallel_tool_calls, max_output_tokens, temperature, top_p, reasoning.{effort,summary},
//    include "reasoning.encrypted_content", text.format (json_schema / json_object), stream,
//    user (else safety_identifier), prompt_cache_key.
// Errors: previous_response_id -> 400 previous_response_not_found (the OpenAI message, param and
// code); model/input missing or malformed -> 400 naming the field.
Result<Request> from_responses_request(std::string_view body);

}  // namespace cg::translate
