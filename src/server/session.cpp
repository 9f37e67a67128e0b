// See session.h.
#include "server/session.h"

#include <chrono>

#include "core/ids.h"
#include "core/log.h"
#include "h1/read.h"
#include "h1/request.h"
#include "server/deadline.h"
#include "server/gateway.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/worker.h"
#include "wire/openai/errors.h"

namespace cg::server {

namespace {

// The handler's coroutine for the route. Not a coroutine itself: awaiting the result runs the
// handler with no frame in between.
Task<void> dispatch(RequestContext& ctx) {
  switch (ctx.route.route) {
    case Route::kChatCompletions:
      return handle_chat_completions(ctx);
    case Route::kMessages:
      return handle_messages(ctx);
    case Route::kCountTokens:
      return handle_count_tokens(ctx);
    case Route::kResponses:
      return handle_responses(ctx);
    case Route::kEmbeddings:
      return handle_embeddings(ctx);
    case Route::kModels:
    case Route::kModel:
      return handle_models(ctx);
    case Route::kHealthz:
      return handle_healthz(ctx);
    case Route::kReadyz:
      return handle_readyz(ctx);
    case Route::kMetrics:
      return handle_metrics(ctx);
    case Route::kAdminAccounts:
      return handle_admin_accounts(ctx);
    case Route::kAdminRefresh:
      return handle_admin_refresh(ctx);
    case Route::kAdminEnable:
    case Route::kAdminDisable:
      return handle_admin_enable(ctx);
    case Route::kAdminConfig:
      return handle_admin_config(ctx);
    case Route::kNotFound:
      break;
  }
  return send_error(ctx, ApiError::not_found("Unknown path: no route for " +
                                                 std::string(ctx.req.method_string()) + " " +
                                                 std::string(ctx.req.target().substr(0, 200)),
                                             "unknown_url"));
}

// Anthropic routes, anything under /anthropic/v1, and requests that carry `anthropic-version`
// (both Anthropic SDK generations always send it) get Anthropic-shaped errors and listings.
ApiFormat api_format(const RouteMatch& route, const h1::Request& req) {
  if (route.route == Route::kMessages || route.route == Route::kCountTokens ||
      route.anthropic_prefix) {
    return ApiFormat::kAnthropic;
  }
  if (route.route == Route::kChatCompletions || route.route == Route::kResponses ||
      route.route == Route::kEmbeddings) {
    return ApiFormat::kOpenAI;
  }
  return req["anthropic-version"].empty() ? ApiFormat::kOpenAI : ApiFormat::kAnthropic;
}

void access_log(const RequestContext& ctx, double seconds) {
  if (!ctx.worker.cfg().log.access_log || !log::enabled(log::Level::kInfo)) return;
  log::Line line(ctx.status >= 500 ? log::Level::kWarn : log::Level::kInfo, "request");
  // Request id, route label and initiator are ours; the method is an HTTP token the parser
  // validated: none needs escaping.
  line.token("request_id", ctx.request_id)
      .token("method", ctx.req.method_string())
      .token("path", route_label(ctx.route.route))
      .num("status", ctx.status)
      .num("latency_us", static_cast<int64_t>(seconds * 1e6))
      .num("bytes_in", static_cast<int64_t>(ctx.bytes_in))
      .num("bytes_out", static_cast<int64_t>(ctx.bytes_out));
  if (!ctx.model.empty()) line.str("model", ctx.model);
  if (!ctx.initiator.empty()) line.token("initiator", ctx.initiator);
  if (ctx.route.route == Route::kChatCompletions || ctx.route.route == Route::kMessages ||
      ctx.route.route == Route::kResponses) {
    line.boolean("stream", ctx.stream_mode);
  }
  if (!ctx.account.empty()) line.str("account", ctx.account);
  if (ctx.failovers > 0) line.num("failovers", ctx.failovers);
  if (ctx.upstream_status) line.num("upstream_status", ctx.upstream_status);
  if (ctx.ttfb_s >= 0) line.num("ttfb_us", static_cast<int64_t>(ctx.ttfb_s * 1e6));
  if (ctx.prompt_tokens >= 0) line.num("prompt_tokens", ctx.prompt_tokens);
  if (ctx.completion_tokens >= 0) line.num("completion_tokens", ctx.completion_tokens);
  if (!ctx.error.empty()) line.str("error", ctx.error);
}

// Answers a request that could not be read (limits, malformed) and reports it. Always closes.
Task<void> reject_unreadable(Worker& w, tcp::socket& socket, Deadline& deadline, int status,
                             std::string_view type, std::string_view message) {
  ApiError e{status, std::string(type), {}, std::string(message), {}, {}};
  if (status == 413) e.code = "request_too_large";
  if (status == 431) e.code = "request_header_too_large";
  http::response<http::string_body> res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::connection, "close");
  res.body() = wire::openai::error_body(e);
  res.prepare_payload();
  deadline.expires_after(w.cfg().server.idle_timeout);
  co_await http::async_write(socket, res, use_nothrow);
  w.metrics().request_done("?", "unreadable", status, 0);
  log::Line(log::Level::kInfo, "request rejected").num("status", status).str("error", message);
}

}  // namespace

Task<void> run_session(Worker& w, tcp::socket socket) {
  const ServerConfig& sc = w.cfg().server;
  Deadline deadline(socket, w.deadline_granularity());
  {
    error_code ignored;
    socket.non_blocking(true, ignored);  // write_now() must never block the event loop
  }
  auto slot = w.add_session(&socket);
  beast::flat_buffer buffer;
  h1::Request req;  // reused by every request of the connection
  bool first = true;

  for (;;) {
    if (w.shutting_down()) break;
    h1::RequestParser parser(req);
    parser.header_limit(sc.max_header_bytes);
    parser.body_limit(sc.max_body_bytes);

    // Waiting for the next request: the keep-alive idle limit; a fresh connection must send its
    // header within the header timeout.
    deadline.expires_after(first ? sc.header_timeout : sc.idle_timeout);
    slot->busy = false;
    error_code ec = co_await h1::read_message(socket, buffer, parser, true);
    if (ec && deadline.expired()) ec = beast::error::timeout;
    first = false;
    if (ec) {
      if (ec == http::error::header_limit)
        co_await reject_unreadable(w, socket, deadline, 431, "invalid_request_error",
                                   "Request header fields are larger than the configured limit.");
      else if (ec == http::error::body_limit)
        co_await reject_unreadable(w, socket, deadline, 413, "invalid_request_error",
                                   "Request body is larger than the configured limit.");
      else if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
               ec != http::error::partial_message && ec != net::error::operation_aborted &&
               ec != net::error::connection_reset && ec != net::error::bad_descriptor &&
               buffer.size() + (parser.got_some() ? 1 : 0) > 0)
        co_await reject_unreadable(w, socket, deadline, 400, "invalid_request_error",
                                   "Malformed HTTP request.");
      break;
    }
    slot->busy = true;
    const auto start = std::chrono::steady_clock::now();

    // Read the body (with an interim 100 Continue when the client waits for one).
    if (!parser.is_done()) {
      deadline.expires_after(sc.header_timeout);
      if (beast::iequals(req[http::field::expect], "100-continue")) {
        http::response<http::empty_body> cont{http::status::continue_, 11};
        co_await http::async_write(socket, cont, use_nothrow);
      }
      // A body of known length is read straight into the request (an agent-sized body arrives
      // in a few large reads and is not copied out of the read buffer); chunked ones through
      // the parser.
      error_code bec;
      if (const auto len = parser.content_length(); len && !parser.chunked()) {
        bec = co_await h1::read_sized_body(socket, buffer, req.body(), static_cast<size_t>(*len));
      } else {
        bec = co_await h1::read_message(socket, buffer, parser, false);
      }
      if (bec && deadline.expired()) bec = beast::error::timeout;
      if (bec) {
        if (bec == http::error::body_limit)
          co_await reject_unreadable(w, socket, deadline, 413, "invalid_request_error",
                                     "Request body is larger than the configured limit.");
        else if (bec == beast::error::timeout)
          co_await reject_unreadable(w, socket, deadline, 408, "invalid_request_error",
                                     "Timed out reading the request body.");
        else if (bec != http::error::partial_message && bec != net::error::connection_reset &&
                 bec != net::error::operation_aborted && bec != net::error::bad_descriptor)
          co_await reject_unreadable(w, socket, deadline, 400, "invalid_request_error",
                                     "Malformed HTTP request body.");
        break;
      }
    }

    RequestContext ctx{w,          socket, deadline,
                       buffer,     req,    match_route(req.target(), req.method()),
                       new_uuid(), start};
    ctx.bytes_in = req.body().size();
    ctx.format = api_format(ctx.route, req);
    w.metrics().in_flight_add(1);

    const ApiKeys& keys = w.gateway().api_keys();
    if (!ctx.route.method_allowed && ctx.route.route != Route::kNotFound) {
      co_await send_error(
          ctx, ApiError::method_not_allowed("Method " + std::string(req.method_string()) +
                                            " is not allowed here; use " +
                                            std::string(ctx.route.allow) + "."));
    } else if (keys.enabled() && !route_is_public(ctx.route.route) &&
               !keys.accepts(presented_key(req[http::field::authorization], req["x-api-key"]))) {
      co_await send_error(
          ctx, ApiError::unauthorized("Incorrect or missing API key. Send it as "
                                      "'Authorization: Bearer <key>' or 'x-api-key: <key>'."));
    } else {
      co_await dispatch(ctx);
    }

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    w.metrics().in_flight_add(-1);
    w.metrics().request_done(req.method_string(), route_label(ctx.route.route), ctx.status,
                             seconds);
    access_log(ctx, seconds);
    if (!ctx.keep_alive || !req.keep_alive()) break;
    // Keep an idle connection's memory bounded after a large request.
    if (buffer.capacity() > 64 * 1024 && buffer.size() < 16 * 1024) buffer.shrink_to_fit();
  }

  error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
  w.remove_session(slot);
}

}  // namespace cg::server
