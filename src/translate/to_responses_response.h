// Canonical Response -> an OpenAI Responses `response` object (non-streamed answer to a client),
// plus the pieces the Responses stream encoder shares with it: item ids, status, usage and the
// response envelope. Ids and timestamps are injected. Pure; any thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "translate/canonical.h"

namespace cg::translate {

// What the caller injects into a Responses answer.
struct ResponsesEnvelope {
  std::string response_id;  // "resp_<token>"
  int64_t created_at = 0;   // unix seconds
  std::string model;        // the name the client asked for
};

// The request parameters a response object echoes (SDK Response type), rendered once as the
// members between "output" and "usage" (each starting with ','): instructions null, tools []
// (the echo of large instructions and tool schemas is left out), tool_choice, parallel_tool_calls,
// temperature, top_p, max_output_tokens, reasoning, text, store false, truncation, metadata, ...
// `request` may be null (defaults).
std::string responses_echo(const Request* request);

// An item id unique within one response: "<prefix>_<token>_<n>", token = response_id without its
// "resp_" prefix, n = the item's output index (e.g. "msg_abc_0", "fc_abc_1", "rs_abc_2").
std::string responses_item_id(std::string_view response_id, std::string_view prefix, size_t n);

// "completed", or "incomplete" with its reason (max_output_tokens / content_filter).
std::string_view responses_status(FinishReason f);
std::string_view responses_incomplete_reason(FinishReason f);  // empty unless incomplete

// Appends {"input_tokens":..,"input_tokens_details":{"cached_tokens":..},"output_tokens":..,
// "output_tokens_details":{"reasoning_tokens":..},"total_tokens":..}, or null when unknown.
void append_responses_usage(std::string& out, const Usage& u);

// Appends the response object up to and including `"output":[` (status, error null,
// incomplete_details): the caller appends the items, then `]`, `echo`, `,"usage":...}`.
void append_response_head(std::string& out, const ResponsesEnvelope& env, std::string_view status,
                          std::string_view incomplete_reason);

// Output item appenders shared with the stream encoder. Every string argument is JSON-ESCAPED
// contents (the bytes between the quotes). `done` = the final form (status completed, full
// content); otherwise the in-progress form of output_item.added (empty content / arguments).
void append_message_item(std::string& out, std::string_view id, bool done, std::string_view text);
void append_function_call_item(std::string& out, std::string_view id, bool done,
                               std::string_view call_id, std::string_view name,
                               std::string_view arguments);
// summary: one summary_text part when `has_summary`, else []; encrypted_content when non-empty.
void append_reasoning_item(std::string& out, std::string_view id, bool has_summary,
                           std::string_view summary, std::string_view encrypted);

// Output items in content order: kThinking/kReasoning -> reasoning {id (the block's own for
// kReasoning, else generated), summary [{type:"summary_text", text}] or [], encrypted_content
// (the signature) when known}; consecutive kText -> one message {id "msg_…", status completed,
// role assistant, content [{type:"output_text", text, annotations:[]}]}; kToolCall ->
// function_call {id "fc_…", call_id, name, arguments, status completed}. Status and
// incomplete_details from the finish reason, usage when known (else null).
std::string to_responses_response(const Response& r, const ResponsesEnvelope& env,
                                  const Request* request = nullptr);

}  // namespace cg::translate
