// OpenAI-format error rendering (HTTP bodies and mid-stream SSE events) and conversion of an
// upstream (Copilot) error response into an ApiError. Pure; any thread. Secrets never reach the
// output: upstream text is scrubbed of anything that looks like a token.
#pragma once
#include <string>
#include <string_view>

#include "core/api_error.h"

namespace cg::wire::openai {

// {"error":{"message":..,"type":..,"param":..|null,"code":..|null}} (all four keys present).
std::string error_body(const ApiError& e);

// `data: {"error":{...}}\n\n`, for failures after a 200 stream has started.
std::string error_event(const ApiError& e);

// An ApiError from an upstream error response: keeps `status`; message/type/code/param come from
// an `{error:{...}}` body, a flat `{message,...}` body, or plain text (truncated to 1000 bytes).
// Missing type: "server_error" for 5xx, else "invalid_request_error". Token-like substrings are
// replaced by "[redacted]".
ApiError upstream_error(int status, std::string_view body);

// Replaces bearer/GitHub/Copilot token-looking substrings of `text` with "[redacted]".
std::string redact_secrets(std::string_view text);

}  // namespace cg::wire::openai
