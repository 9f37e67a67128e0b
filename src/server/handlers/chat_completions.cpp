// POST /v1/chat/completions: the pass-through fast path. The body is scanned once without a DOM
// (model, stream, stream_options, last turn, images), rewritten only when something must change
// (model alias, stream_options, which Copilot does not take), and forwarded with the Copilot
// headers. Streams are relayed event by event as they arrive; a client that goes away closes the
// upstream connection at once. Worker thread.
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "copilot/headers.h"
#include "copilot/initiator.h"
#include "copilot/token_manager.h"
#include "core/ids.h"
#include "server/gateway.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/upstream_call.h"
#include "server/worker.h"
#include "sse/framer.h"
#include "wire/openai/chat_request.h"
#include "wire/openai/chat_response.h"
#include "wire/openai/errors.h"

namespace cg::server {

namespace {

using namespace net::experimental::awaitable_operators;

constexpr uint64_t kMaxErrorBody = 1 << 20;
constexpr uint64_t kMaxResponseBody = 256ull << 20;

struct RelayState {
  bool client_gone = false;
  bool upstream_failed = false;
  bool finished = false;  // the upstream response was read completely
};

// Waits for the client to hang up while a stream is being relayed, and then closes the upstream
// connection so the upstream call is cancelled at once. Bytes the client sends meanwhile (a
// pipelined request) are kept in its read buffer.
Task<void> watch_client(RequestContext& ctx, upstream::Connection& up, RelayState& st) {
  for (;;) {
    if (ctx.buffer.size() > 64 * 1024) {  // enough pipelined bytes: stop reading, just wait
      net::steady_timer never(ctx.stream.get_executor(), net::steady_timer::time_point::max());
      co_await never.async_wait(use_nothrow);
      co_return;
    }
    auto [ec, n] = co_await ctx.stream.socket().async_read_some(ctx.buffer.prepare(4096),
                                                                use_nothrow);
    if (!ec) {
      ctx.buffer.commit(n);
      continue;
    }
    if (ec == net::error::operation_aborted) co_return;  // the relay finished first
    st.client_gone = true;
    up.stream().close();
    co_return;
  }
}

Task<bool> write_chunk(RequestContext& ctx, std::string& out, RelayState& st) {
  if (out.empty()) co_return true;
  ctx.stream.expires_after(ctx.worker.cfg().server.idle_timeout);
  auto [ec, n] = co_await net::async_write(ctx.stream, http::make_chunk(net::buffer(out)),
                                           use_nothrow);
  ctx.bytes_out += n;
  out.clear();
  if (ec) {
    st.client_gone = true;
    ctx.keep_alive = false;
    co_return false;
  }
  co_return true;
}

Task<void> relay_events(RequestContext& ctx, UpstreamCall& call, bool include_usage,
                        RelayState& st) {
  Worker& w = ctx.worker;
  http::response<http::empty_body> res{http::status::ok, 11};
  res.set(http::field::content_type, "text/event-stream");
  res.set(http::field::cache_control, "no-cache");
  res.set("x-request-id", ctx.request_id);
  res.keep_alive(ctx.req.keep_alive() && !w.shutting_down());
  ctx.keep_alive = res.keep_alive();
  res.chunked(true);
  http::response_serializer<http::empty_body> sr{res};
  ctx.stream.expires_after(w.cfg().server.idle_timeout);
  auto [hec, hn] = co_await http::async_write_header(ctx.stream, sr, use_nothrow);
  ctx.status = 200;
  ctx.response_started = true;
  ctx.bytes_out += hn;
  if (hec) {
    st.client_gone = true;
    ctx.keep_alive = false;
    co_return;
  }

  http::response_parser<http::buffer_body> p{std::move(call.head)};
  p.body_limit(boost::none);
  upstream::Connection& conn = *call.lease;
  sse::Framer framer;
  std::string out;
  out.reserve(16 * 1024);
  char buf[16 * 1024];
  bool saw_done = false, usage_sent = false, have_usage = false;
  wire::openai::Usage usage;

  auto on_event = [&](const sse::Event& e) {
    if (e.data == "[DONE]") {
      if (include_usage && have_usage && !usage_sent) {
        // The upstream put usage on a content chunk only: give the client the separate
        // `choices: []` chunk that stream_options.include_usage promises.
        std::string chunk = wire::openai::make_usage_chunk("chatcmpl-usage", 0, ctx.model, usage);
        out.append("data: ").append(chunk).append("\n\n");
        usage_sent = true;
      }
      saw_done = true;
      out.append(e.raw);
      return;
    }
    if (e.data.find("\"usage\"") != std::string_view::npos) {
      if (auto u = wire::openai::find_usage(e.data)) {
        usage = *u;
        have_usage = true;
      }
      if (wire::openai::is_usage_only_chunk(e.data)) {
        if (include_usage) {
          out.append(e.raw);
          usage_sent = true;
        }
        return;
      }
    }
    out.append(e.raw);
  };

  const auto idle = w.cfg().upstream.idle_timeout;
  while (!p.is_done()) {
    p.get().body().data = buf;
    p.get().body().size = sizeof buf;
    conn.stream().tcp().expires_after(idle);
    auto [ec, n] = co_await http::async_read_some(conn.stream(), conn.buffer(), p, use_nothrow);
    if (ec == http::error::need_buffer) ec = {};
    const size_t got = sizeof buf - p.get().body().size;
    if (got) framer.feed(std::string_view(buf, got), on_event);
    if (ec) {
      if (st.client_gone) co_return;
      st.upstream_failed = true;
      ApiError e = ec == beast::error::timeout
                       ? ApiError::gateway_timeout("The Copilot API stream stalled for more than " +
                                                   std::to_string(idle.count()) + " ms.")
                       : ApiError::bad_gateway("The Copilot API stream broke off: " +
                                               ec.message() + ".");
      ctx.error = e.message;
      out.append(wire::openai::error_event(e));
      break;
    }
    if (!co_await write_chunk(ctx, out, st)) co_return;
  }
  if (!st.upstream_failed) {
    st.finished = true;
    framer.finish(on_event);
    if (!saw_done) out.append("data: [DONE]\n\n");
  }
  if (have_usage) {
    ctx.prompt_tokens = usage.prompt_tokens;
    ctx.completion_tokens = usage.completion_tokens;
  }
  if (!co_await write_chunk(ctx, out, st)) co_return;
  auto [lec, ln] = co_await net::async_write(ctx.stream, http::make_chunk_last(), use_nothrow);
  ctx.bytes_out += ln;
  if (lec) ctx.keep_alive = false;
  if (st.finished && p.get().keep_alive()) call.lease.release_to_pool();
}

Task<void> relay_stream(RequestContext& ctx, UpstreamCall& call, bool include_usage) {
  RelayState st;
  upstream::Connection& conn = *call.lease;
  co_await (relay_events(ctx, call, include_usage, st) || watch_client(ctx, conn, st));
  if (st.client_gone) {
    ctx.keep_alive = false;
    ctx.error = "client disconnected; upstream call cancelled";
  }
}

Task<void> fail(RequestContext& ctx, const ApiError& e) {
  co_await send_error(ctx, e);
}

}  // namespace

Task<void> handle_chat_completions(RequestContext& ctx) {
  Worker& w = ctx.worker;
  const Config& cfg = w.cfg();
  std::string& body = ctx.req.body();

  auto scanned = wire::openai::scan_chat_request(body);
  if (!scanned) {
    co_await fail(ctx, scanned.error());
    co_return;
  }
  const wire::openai::ChatRequestInfo& info = *scanned;
  ctx.model = info.model;
  ctx.stream_mode = info.stream;
  std::optional<std::string_view> alias;
  if (auto it = cfg.api.model_aliases.find(info.model); it != cfg.api.model_aliases.end()) {
    alias = it->second;
    ctx.model = it->second;
  }
  ctx.initiator = copilot::to_string(copilot::chat_initiator(info));
  if (info.image_count) w.metrics().image_attachments(info.image_count);

  // Copilot streams usage on its own and does not take stream_options: it is honoured here.
  std::string upstream_body;
  if (auto rewritten =
          wire::openai::rewrite_chat_request(body, info, alias, info.has_stream_options))
    upstream_body = std::move(*rewritten);
  else
    upstream_body = std::move(body);

  copilot::TokenPtr tok = w.token;
  if (!tok || !(tok->is_static || copilot::usable(tok->token, copilot::unix_now_ms()))) {
    copilot::TokenOutcome out = co_await w.gateway().tokens().acquire();
    if (!out.ok()) {
      co_await fail(ctx, out.error);
      co_return;
    }
    w.token = tok = out.token;
  }

  std::unique_ptr<UpstreamCall> call;
  for (int attempt = 0; attempt < 2; ++attempt) {
    http::request<http::string_body> up{http::verb::post, tok->api.base_path + "/chat/completions",
                                        11};
    const std::string upstream_request_id = new_uuid();
    copilot::add_copilot_headers(
        up, cfg.upstream,
        copilot::CallInfo{tok->token.token, upstream_request_id, ctx.initiator, info.has_image});
    up.body() = std::move(upstream_body);
    auto started = co_await start_upstream_call(w, tok->api, up);
    upstream_body = std::move(up.body());
    if (!started) {
      w.metrics().upstream_request("chat", started.error().status);
      co_await fail(ctx, started.error());
      co_return;
    }
    call = std::move(*started);
    w.metrics().upstream_request("chat", call->status());
    if (call->status() == 401 && attempt == 0 && !tok->is_static) {
      // The token expired or was revoked early: refresh once (shared with every other request
      // that saw the same token fail) and retry.
      (void)co_await read_upstream_body(w, *call, kMaxErrorBody);
      copilot::TokenOutcome out = co_await w.gateway().tokens().acquire(tok);
      if (!out.ok()) {
        co_await fail(ctx, out.error);
        co_return;
      }
      w.token = tok = out.token;
      continue;
    }
    break;
  }

  const int status = call->status();
  ctx.upstream_status = status;
  ctx.ttfb_s = call->ttfb_s;
  w.metrics().ttfb(call->ttfb_s);
  if (status != 200) {
    std::string retry_after(call->head.get()[http::field::retry_after]);
    auto err_body = co_await read_upstream_body(w, *call, kMaxErrorBody);
    ApiError e = err_body ? wire::openai::upstream_error(status, *err_body) : err_body.error();
    if (err_body) e.status = status;
    e.retry_after = retry_after;
    co_await fail(ctx, e);
  } else if (!info.stream) {
    std::string content_type(call->head.get()[http::field::content_type]);
    auto answer = co_await read_upstream_body(w, *call, kMaxResponseBody);
    if (!answer) {
      co_await fail(ctx, answer.error());
    } else {
      if (auto u = wire::openai::find_usage(*answer)) {
        ctx.prompt_tokens = u->prompt_tokens;
        ctx.completion_tokens = u->completion_tokens;
      }
      http::response<http::string_body> res{http::status::ok, 11};
      res.set(http::field::content_type,
              content_type.empty() ? std::string("application/json") : content_type);
      res.body() = std::move(*answer);
      co_await send(ctx, std::move(res));
    }
  } else {
    co_await relay_stream(ctx, *call, info.include_usage);
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
  w.metrics().chat_completion_done(ctx.model, info.stream, ctx.status, seconds);
}

}  // namespace cg::server
