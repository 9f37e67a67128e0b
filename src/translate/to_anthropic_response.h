// Canonical Response -> an Anthropic Messages `message` object (non-streamed answer). Pure; any
// thread.
#pragma once
#include <string>
#include <string_view>

#include "translate/canonical.h"

namespace cg::translate {

// `message_id` ("msg_...") and `model` (the name the client asked for) are injected. Blocks:
// thinking {thinking, signature}, redacted_thinking, text {text}, tool_use {id, name, input:
// the parsed arguments; arguments that are not a JSON object become {} (an empty string) or
// {"_raw": "<text>"} so nothing is lost}. Usage: input_tokens excludes cached tokens.
std::string to_anthropic_response(const Response& r, std::string_view message_id,
                                  std::string_view model);

}  // namespace cg::translate
