// Writing complete (non-streamed) responses to the client: JSON bodies and errors in OpenAI
// shape, with the request id and keep-alive handled in one place. Worker thread only.
#pragma once
#include <string>

#include "core/api_error.h"
#include "server/request_context.h"

namespace cg::server {

// Writes `res` (Content-Length, keep-alive, x-request-id filled in). Updates ctx.status,
// bytes_out and keep_alive. Never throws; a write failure closes the connection.
Task<void> send(RequestContext& ctx, http::response<http::string_body> res);

Task<void> send_json(RequestContext& ctx, http::status status, std::string body);

// An OpenAI-shaped error body with the error's status (and retry-after / Allow when set).
Task<void> send_error(RequestContext& ctx, const ApiError& e);

}  // namespace cg::server
