// See stream_relay.h.
#include "server/stream_relay.h"

#include <array>
#include <cstdio>
#include <span>
#include <tuple>

#include "h1/read.h"
#include "server/respond.h"
#include "server/stream_guard.h"
#include "server/worker.h"
#include "server/write_now.h"
#include "sse/forwarder.h"

namespace cg::server {

namespace {

// Client bytes gathered from upstream reads that found more waiting, before they are written.
constexpr size_t kCoalesceBytes = 64 * 1024;

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

// True when the upstream response was read completely.
Task<bool> relay_events(RequestContext& ctx, UpstreamCall& call, RelayHandler& handler,
                        StreamGuard& guard) {
  ChunkWriter writer(ctx, guard);
  std::string& out = writer.out();
  out.reserve(16 * 1024);

  h1::ResponseParser& p = call.parser;
  upstream::Connection& conn = *call.lease;
  sse::Framer framer;
  sse::Forwarder forwarder;
  const bool forward = handler.forwards_bytes();
  auto on_event = [&](const sse::Event& e) { handler.on_event(e, out); };
  auto wants = [&](std::string_view name) { return handler.wants_data(name); };

  // The parser is driven synchronously over whatever bytes have arrived (eager: all complete
  // chunks at once) and hands the body straight from the connection buffer to the framer, so
  // one upstream read that carries many events costs one client write and no extra copy.
  h1::FunctionSink body_sink([&](std::string_view bytes) {
    if (forward) {
      forwarder.feed(bytes, out, wants, on_event);
    } else {
      framer.feed(bytes, on_event);
    }
  });
  p.body_to(&body_sink);
  error_code ec;
  bool read_filled = false;  // the last read filled the room it was given: more may be waiting
  for (;;) {
    ec = h1::put_buffered(conn.buffer(), p, false);
    if (ec || p.is_done()) break;
    // A large answer that has arrived at once (Responses events echoing a 100 KB request) is
    // taken in a few reads before one write, rather than one write per read. Bounded, so that
    // a fast upstream cannot grow `out` without end; an error here shows in the read below.
    if (read_filled && out.size() < kCoalesceBytes) {
      const net::mutable_buffer room = h1::read_room(conn.buffer());
      out.reserve(kCoalesceBytes + room.size());  // once: `out` then no longer regrows
      error_code now;
      const size_t n = conn.stream().read_some(room, now);
      if (!now && n > 0) {
        conn.buffer().commit(n);
        read_filled = n == room.size();
        continue;
      }
    }
    if (!co_await writer.flush(false)) co_return false;
    // From here on the relay waits for the upstream: watch the client and the idle time.
    if (!guard.started()) {
      ctx.deadline.expires_never();  // the guard's watchdog bounds the waits from here on
      guard.start();
    }
    const net::mutable_buffer room = h1::read_room(conn.buffer());
    auto [rec, n] = co_await conn.stream().async_read_some(room, use_nothrow);
    guard.progress();
    conn.buffer().commit(n);
    read_filled = n == room.size();
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
    call.account.fail();  // billed, and counted against the account's health
    if (forward) forwarder.abandon(out);
    handler.on_fail(e, out);
  } else {
    if (forward) {
      forwarder.finish(out, on_event);
    } else {
      framer.finish(on_event);
    }
    handler.on_end(out);
  }
  (void)co_await writer.flush(true);
  co_return !ec;
}

}  // namespace

Task<void> relay_stream(RequestContext& ctx, UpstreamCall& call, RelayHandler& handler) {
  StreamGuard guard(ctx, *call.lease, ctx.worker.cfg().upstream.idle_timeout);
  const bool finished = co_await relay_events(ctx, call, handler, guard);
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

}  // namespace cg::server
