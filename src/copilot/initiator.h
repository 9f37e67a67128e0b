// X-Initiator (copilot-upstream.md §6): whether a request counts as a user turn ("user", billed
// as a premium request) or as agent work ("agent": tool-loop continuations, subagents). Decided
// from the scanned request only. Pure; any thread.
#pragma once
#include <string_view>

#include "translate/canonical.h"
#include "wire/openai/chat_request.h"

namespace cg::copilot {

enum class Initiator { kUser, kAgent };

// "user" / "agent": the header value.
std::string_view to_string(Initiator initiator);

// Chat completions: "user" only when the last message has role "user". Chat tool results are
// "tool" messages, so tool-loop continuations, assistant prefills, system-only and empty
// conversations are "agent".
Initiator chat_initiator(const wire::openai::ChatRequestInfo& info);

// Any translated request (Messages, Responses): "user" only when the last message (trailing
// system/developer instructions aside) is a user turn with a block that is not a tool result
// (Responses: the last input item is a user message).
// Claude Code sub-agent conversations (`__SUBAGENT_MARKER__` in a user or system text) and its
// compaction requests (a user turn asking to "create a detailed summary of the conversation so
// far") are always "agent".
Initiator canonical_initiator(const translate::Request& r);

// Whether any image is sent (including images inside tool results): Copilot-Vision-Request.
bool has_image(const translate::Request& r);
size_t image_count(const translate::Request& r);

}  // namespace cg::copilot
