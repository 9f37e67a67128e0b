// See respond.h.
#include "server/respond.h"

#include <array>
#include <tuple>

#include "server/worker.h"
#include "server/write_now.h"
#include "wire/anthropic/errors.h"
#include "wire/openai/errors.h"

namespace cg::server {

namespace {

void append_status_line(std::string& out, int status) {
  out.append("HTTP/1.1 ").append(std::to_string(status)).append(" ");
  out.append(http::obsolete_reason(static_cast<http::status>(status)));
  out.append("\r\n");
}

}  // namespace

Task<void> send_body(RequestContext& ctx, int status, std::string_view content_type,
                     std::string_view body, std::string_view extra_headers) {
  ctx.status = status;
  ctx.keep_alive = ctx.keep_alive && ctx.req.keep_alive() && !ctx.worker.shutting_down();
  std::string head;
  head.reserve(192 + extra_headers.size());
  append_status_line(head, status);
  head.append("content-type: ").append(content_type);
  head.append("\r\ncontent-length: ").append(std::to_string(body.size()));
  head.append("\r\nx-request-id: ").append(ctx.request_id);
  // The Anthropic SDKs read the request id from `request-id`.
  if (ctx.format == ApiFormat::kAnthropic) head.append("\r\nrequest-id: ").append(ctx.request_id);
  head.append(ctx.keep_alive ? "\r\nconnection: keep-alive\r\n" : "\r\nconnection: close\r\n");
  head.append(extra_headers).append("\r\n");
  const std::array<net::const_buffer, 2> wire{net::buffer(head), net::buffer(body)};
  error_code ec;
  size_t n = write_now(ctx.socket, wire, ec);
  if (!ec && n < net::buffer_size(wire)) {
    ctx.deadline.expires_after(ctx.worker.cfg().server.idle_timeout);
    std::tie(ec, n) = co_await write_rest(ctx.socket, wire, n);
  }
  ctx.bytes_out += n;
  if (ec) ctx.keep_alive = false;
}

std::string chunked_response_head(RequestContext& ctx, int status, std::string_view content_type) {
  ctx.keep_alive = ctx.keep_alive && ctx.req.keep_alive() && !ctx.worker.shutting_down();
  std::string head;
  head.reserve(192);
  append_status_line(head, status);
  head.append("content-type: ").append(content_type);
  head.append("\r\ncache-control: no-cache\r\ntransfer-encoding: chunked");
  head.append("\r\nx-request-id: ").append(ctx.request_id);
  if (ctx.format == ApiFormat::kAnthropic) head.append("\r\nrequest-id: ").append(ctx.request_id);
  head.append(ctx.keep_alive ? "\r\nconnection: keep-alive\r\n\r\n"
                             : "\r\nconnection: close\r\n\r\n");
  return head;
}

Task<void> send_json(RequestContext& ctx, http::status status, std::string_view body) {
  co_await send_body(ctx, static_cast<int>(status), "application/json", body);
}

// Coroutine parameters are taken by value (or as views of named objects at the call site):
// GCC 12 may end the life of a temporary argument of a co_await-ed call before the callee
// finished with it (seen as heap corruption in Release builds).
Task<void> send_error(RequestContext& ctx, ApiError e) {
  std::string extra;
  if (!e.retry_after.empty()) extra.append("retry-after: ").append(e.retry_after).append("\r\n");
  if (e.status == 405 && !ctx.route.allow.empty())
    extra.append("allow: ").append(ctx.route.allow).append("\r\n");
  if (ctx.error.empty()) ctx.error = e.message.substr(0, 200);
  const std::string body = ctx.format == ApiFormat::kAnthropic
                               ? wire::anthropic::error_body(e, ctx.request_id)
                               : wire::openai::error_body(e);
  co_await send_body(ctx, e.status, "application/json", body, extra);
}

}  // namespace cg::server
