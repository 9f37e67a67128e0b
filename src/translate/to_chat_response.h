// Canonical Response -> an OpenAI `chat.completion` object (the non-streamed answer to a chat
// client whose model was served by /responses or /v1/messages upstream), plus the pieces the chat
// stream encoder shares with it. Ids and timestamps are injected. Pure; any thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "translate/canonical.h"

namespace cg::translate {

// What the caller injects into a chat answer.
struct ChatEnvelope {
  std::string id;       // "chatcmpl-<token>"
  int64_t created = 0;  // unix seconds
  std::string model;    // the name the client asked for
};

// The chat finish_reason: kToolCalls -> tool_calls, kLength -> length, kContentFilter /
// kRefusal -> content_filter, anything else (stop, stop sequence, pause, none) -> stop, or
// tool_calls when `any_tool_call` (a client must know it has calls to run).
std::string_view chat_finish_reason(FinishReason f, bool any_tool_call);

// Appends the usage object {prompt_tokens, completion_tokens, total_tokens,
// prompt_tokens_details{cached_tokens}, completion_tokens_details{reasoning_tokens}}.
void append_chat_usage(std::string& out, const Usage& u);

// One choice (index 0), message {role assistant, content (null when there is no text but tool
// calls, else the text blocks joined), refusal null, tool_calls [{id, type function, function
// {name, arguments}}] when any, reasoning_text (thinking / reasoning summaries joined by a blank
// line) and reasoning_opaque (the first signature; a Responses reasoning item's as
// "<encrypted_content>@<id>", which from_chat_request turns back into that item) when there was
// any}, logprobs null, finish_reason (see chat_finish_reason); usage when known (omitted
// otherwise). Anthropic redacted thinking has no chat form and is dropped.
std::string to_chat_response(const Response& r, const ChatEnvelope& env);

}  // namespace cg::translate
