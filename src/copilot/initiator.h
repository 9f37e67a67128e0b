// X-Initiator (copilot-upstream.md §6): whether a request counts as a user turn ("user", billed
// as a premium request) or as agent work ("agent": tool-loop continuations, subagents). Decided
// from the scanned request only. Pure; any thread.
#pragma once
#include <string_view>

#include "wire/openai/chat_request.h"

namespace cg::copilot {

enum class Initiator { kUser, kAgent };

// "user" / "agent": the header value.
std::string_view to_string(Initiator initiator);

// Chat completions: "user" only when the last message has role "user". Chat tool results are
// "tool" messages, so tool-loop continuations, assistant prefills, system-only and empty
// conversations are "agent".
// (Messages API rule to add later: "user" only if the last message is role user AND contains a
// block that is not tool_result. Responses: last input item without role or role assistant ->
// agent. Subagent/compaction requests: always agent.)
Initiator chat_initiator(const wire::openai::ChatRequestInfo& info);

}  // namespace cg::copilot
