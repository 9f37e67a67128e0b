// See respond.h.
#include "server/respond.h"

#include "server/worker.h"
#include "wire/openai/errors.h"

namespace cg::server {

Task<void> send(RequestContext& ctx, http::response<http::string_body> res) {
  ctx.status = res.result_int();
  ctx.response_started = true;
  res.version(11);
  res.set("x-request-id", ctx.request_id);
  res.keep_alive(ctx.keep_alive && ctx.req.keep_alive() && !ctx.worker.shutting_down());
  ctx.keep_alive = res.keep_alive();
  res.prepare_payload();
  ctx.stream.expires_after(ctx.worker.cfg().server.idle_timeout);
  auto [ec, n] = co_await http::async_write(ctx.stream, res, use_nothrow);
  ctx.bytes_out += n;
  if (ec) ctx.keep_alive = false;
}

Task<void> send_json(RequestContext& ctx, http::status status, std::string body) {
  http::response<http::string_body> res{status, 11};
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
  co_await send(ctx, std::move(res));
}

Task<void> send_error(RequestContext& ctx, const ApiError& e) {
  http::response<http::string_body> res{static_cast<http::status>(e.status), 11};
  res.set(http::field::content_type, "application/json");
  if (!e.retry_after.empty()) res.set(http::field::retry_after, e.retry_after);
  if (e.status == 405 && !ctx.route.allow.empty()) res.set(http::field::allow, ctx.route.allow);
  res.body() = wire::openai::error_body(e);
  if (ctx.error.empty()) ctx.error = e.message.substr(0, 200);
  co_await send(ctx, std::move(res));
}

}  // namespace cg::server
