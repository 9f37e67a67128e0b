// Writing complete (non-streamed) responses to the client: JSON bodies and errors in OpenAI
// shape, with the request id and keep-alive handled in one place. Worker thread only.
#pragma once
#include <string>

#include "core/api_error.h"
#include "server/request_context.h"

namespace cg::server {

// Writes a complete response: status line and headers serialized by hand (Content-Length,
// Connection, x-request-id, Content-Type, then `extra_headers` given as "name: value\r\n"
// lines) and the body, in one gathered write. Updates ctx.status, bytes_out and keep_alive.
// Never throws; a write failure closes the connection.
Task<void> send_body(RequestContext& ctx, int status, std::string_view content_type,
                     std::string_view body, std::string_view extra_headers = {});

Task<void> send_json(RequestContext& ctx, http::status status, std::string_view body);

// Status line and common headers of a response whose body follows as HTTP chunks (streams).
std::string chunked_response_head(RequestContext& ctx, int status, std::string_view content_type);

// An error body in the request's API format (ctx.format) with the error's status (and retry-after /
// Allow when set).
Task<void> send_error(RequestContext& ctx, ApiError e);  // by value: see the note in respond.cpp

}  // namespace cg::server
