// Anthropic-format error rendering: HTTP error bodies and the mid-stream `error` SSE event, with
// the error type Anthropic uses for each status (wire-formats.md §2.5). Pure; any thread.
#pragma once
#include <string>
#include <string_view>

#include "core/api_error.h"

namespace cg::wire::anthropic {

// invalid_request_error (400 and other 4xx), authentication_error (401), billing_error (402),
// permission_error (403), not_found_error (404), request_too_large (413), rate_limit_error
// (429), timeout_error (504), overloaded_error (503, 529), api_error (other 5xx).
std::string_view error_type(int status);

// {"type":"error","error":{"type":..,"message":..},"request_id":..} (request_id when given).
std::string error_body(const ApiError& e, std::string_view request_id = {});

// `event: error\ndata: {"type":"error","error":{...}}\n\n`, for failures after a 200 stream
// has started.
std::string error_event(const ApiError& e);

}  // namespace cg::wire::anthropic
