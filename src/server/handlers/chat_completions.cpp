// POST /v1/chat/completions: the pass-through fast path. The body is scanned once without a DOM
// (model, stream, stream_options, last turn, images), rewritten only when something must change
// (model alias, stream_options, which Copilot does not take), and forwarded with the Copilot
// headers. Streams are relayed event by event as they arrive; a client that goes away closes the
// upstream connection at once. Worker thread.
#include <array>
#include <cstdio>
#include <span>
#include <tuple>

#include "copilot/headers.h"
#include "copilot/initiator.h"
#include "copilot/token_manager.h"
#include "core/find_bytes.h"
#include "core/ids.h"
#include "h1/read.h"
#include "server/gateway.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/stream_guard.h"
#include "server/upstream_call.h"
#include "server/worker.h"
#include "server/write_now.h"
#include "sse/framer.h"
#include "wire/openai/chat_request.h"
#include "wire/openai/chat_response.h"
#include "wire/openai/errors.h"

namespace cg::server {

namespace {

constexpr uint64_t kMaxErrorBody = 1 << 20;
constexpr uint64_t kMaxResponseBody = 256ull << 20;

// The client side of a relayed stream: the response head, the body as HTTP chunks and the
// terminating chunk, each write gathering whatever is pending (head + events + terminator when a
// whole answer arrived at once cost one write). Until the StreamGuard runs (it is started only
// when the relay first has to wait for the upstream), a write is bounded by the connection's
// own timeout; afterwards the guard's watchdog bounds it.
class ChunkWriter {
 public:
  ChunkWriter(RequestContext& ctx, StreamGuard& guard)
      : ctx_(ctx), guard_(guard), head_(chunked_response_head(ctx, 200, "text/event-stream")) {
    ctx.status = 200;
  }

  std::string& out() { return out_; }

  // Writes the pending head, `out()` as one chunk and, when `last`, the terminating chunk.
  // False when the client connection failed (keep_alive is then off).
  Task<bool> flush(bool last) {
    std::array<net::const_buffer, 4> bufs;
    size_t n = 0;
    if (!head_sent_) bufs[n++] = net::buffer(head_);
    char size_line[24];
    if (!out_.empty()) {
      const int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", out_.size());
      out_.append("\r\n");
      bufs[n++] = net::buffer(size_line, static_cast<size_t>(len));
      bufs[n++] = net::buffer(out_);
    }
    if (last) bufs[n++] = net::buffer("0\r\n\r\n", 5);
    if (n == 0) co_return true;
    const auto seq = std::span<const net::const_buffer>(bufs.data(), n);
    error_code ec;
    size_t written = write_now(ctx_.socket, seq, ec);
    if (!ec && written < net::buffer_size(seq)) {
      if (guard_.started()) {
        guard_.set_writing(true);
      } else {
        ctx_.deadline.expires_after(ctx_.worker.cfg().server.idle_timeout);
      }
      std::tie(ec, written) = co_await write_rest(ctx_.socket, seq, written);
      guard_.set_writing(false);
    }
    ctx_.bytes_out += written;
    head_sent_ = true;
    out_.clear();
    if (ec) {
      ctx_.keep_alive = false;
      co_return false;
    }
    co_return true;
  }

 private:
  RequestContext& ctx_;
  StreamGuard& guard_;
  std::string head_;
  std::string out_;
  bool head_sent_ = false;
};

// Relays an upstream SSE stream to the client event by event: all complete events of one
// upstream read go out in one client write; timeouts and hang-ups are handled by the StreamGuard.
// True when the upstream response was read completely.
Task<bool> relay_events(RequestContext& ctx, UpstreamCall& call, bool include_usage,
                        StreamGuard& guard) {
  ChunkWriter writer(ctx, guard);
  std::string& out = writer.out();
  out.reserve(16 * 1024);

  h1::ResponseParser& p = call.parser;
  upstream::Connection& conn = *call.lease;
  sse::Framer framer;
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
    // (Searched as `usage"`: its first and last bytes are rarely six apart in other JSON.)
    if (contains_bytes(e.data, "usage\"")) {
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

  // The parser is driven synchronously over whatever bytes have arrived (eager: all complete
  // chunks at once) and hands the body straight from the connection buffer to the framer, so
  // one upstream read that carries many events costs one client write and no extra copy.
  h1::FunctionSink body_sink([&](std::string_view bytes) { framer.feed(bytes, on_event); });
  p.body_to(&body_sink);
  error_code ec;
  for (;;) {
    ec = h1::put_buffered(conn.buffer(), p, false);
    if (ec || p.is_done()) break;
    if (!co_await writer.flush(false)) co_return false;
    // From here on the relay waits for the upstream: watch the client and the idle time.
    if (!guard.started()) {
      ctx.deadline.expires_never();  // the guard's watchdog bounds the waits from here on
      guard.start();
    }
    auto [rec, n] =
        co_await conn.stream().async_read_some(h1::read_room(conn.buffer()), use_nothrow);
    guard.progress();
    conn.buffer().commit(n);
    if (rec == net::error::eof) {
      p.put_eof(ec);  // fine for a body delimited by the end of the connection
      if (!ec && !p.is_done()) ec = rec;
      if (ec) break;
    } else if (rec) {
      ec = rec;
      break;
    }
  }
  if (ec) {
    if (guard.client_gone() || guard.client_stalled()) co_return false;
    const auto idle = ctx.worker.cfg().upstream.idle_timeout;
    ApiError e =
        guard.timed_out()
            ? ApiError::gateway_timeout("The Copilot API stream stalled for more than " +
                                        std::to_string(idle.count()) + " ms.")
            : ApiError::bad_gateway("The Copilot API stream broke off: " + ec.message() + ".");
    ctx.error = e.message;
    out.append(wire::openai::error_event(e));
  } else {
    framer.finish(on_event);
    if (!saw_done) out.append("data: [DONE]\n\n");
  }
  if (have_usage) {
    ctx.prompt_tokens = usage.prompt_tokens;
    ctx.completion_tokens = usage.completion_tokens;
  }
  (void)co_await writer.flush(true);
  co_return !ec;
}

Task<void> relay_stream(RequestContext& ctx, UpstreamCall& call, bool include_usage) {
  StreamGuard guard(ctx, *call.lease, ctx.worker.cfg().upstream.idle_timeout);
  const bool finished = co_await relay_events(ctx, call, include_usage, guard);
  if (guard.started()) co_await guard.stop();
  // Only now: a running guard may close the connection until it has stopped.
  if (finished) {
    call.finish();
  } else {
    call.unwatch();
  }
  if (guard.client_gone()) {
    ctx.keep_alive = false;
    ctx.error = "client disconnected; upstream call cancelled";
  } else if (guard.client_stalled()) {
    ctx.keep_alive = false;
    ctx.error = "client stopped reading; stream cut";
  }
}

Task<void> fail(RequestContext& ctx, ApiError e) {
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
  const std::optional<std::string> rewritten =
      wire::openai::rewrite_chat_request(body, info, alias, info.has_stream_options);
  const std::string_view upstream_body = rewritten ? std::string_view(*rewritten) : body;

  copilot::TokenPtr tok = w.published_usable_token();
  if (!tok) {
    copilot::TokenOutcome first = co_await w.usable_token();
    if (!first.ok()) {
      co_await fail(ctx, first.error);
      co_return;
    }
    tok = first.token;
  }

  std::unique_ptr<UpstreamCall> call;
  std::string headers;
  headers.reserve(768);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const std::string upstream_request_id = new_uuid();
    headers.clear();
    headers.append(w.copilot_header_lines(copilot::kChatIntent));
    copilot::append_call_copilot_headers(
        headers,
        copilot::CallInfo{tok->token.token, upstream_request_id, ctx.initiator, info.has_image});
    // A named object, not a temporary: see the note on coroutine arguments in respond.cpp.
    const UpstreamRequest request{"POST", tok->api.base_path, "/chat/completions", headers,
                                  upstream_body};
    auto started = co_await start_upstream_call(w, ctx.deadline, tok->api, request);
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
      copilot::TokenOutcome out = co_await w.usable_token(tok);
      if (!out.ok()) {
        co_await fail(ctx, out.error);
        co_return;
      }
      tok = out.token;
      continue;
    }
    break;
  }

  const int status = call->status();
  ctx.upstream_status = status;
  ctx.ttfb_s = call->ttfb_s;
  w.metrics().ttfb(call->ttfb_s);
  if (status != 200) {
    std::string retry_after(call->head()[http::field::retry_after]);
    auto err_body = co_await read_upstream_body(w, *call, kMaxErrorBody);
    ApiError e = err_body ? wire::openai::upstream_error(status, *err_body) : err_body.error();
    if (err_body) e.status = status;
    e.retry_after = retry_after;
    co_await fail(ctx, e);
  } else if (!info.stream) {
    std::string content_type(call->head()[http::field::content_type]);
    auto answer = co_await read_upstream_body(w, *call, kMaxResponseBody);
    if (!answer) {
      co_await fail(ctx, answer.error());
    } else {
      if (auto u = wire::openai::find_usage(*answer)) {
        ctx.prompt_tokens = u->prompt_tokens;
        ctx.completion_tokens = u->completion_tokens;
      }
      if (content_type.empty()) content_type = "application/json";
      co_await send_body(ctx, 200, content_type, *answer);
    }
  } else {
    co_await relay_stream(ctx, *call, info.include_usage);
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
  w.metrics().chat_completion_done(ctx.model, info.stream, ctx.status, seconds);
}

}  // namespace cg::server
