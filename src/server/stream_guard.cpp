// See stream_guard.h.
#include "server/stream_guard.h"

namespace cg::server {

StreamGuard::StreamGuard(RequestContext& ctx, upstream::Connection& up,
                         std::chrono::milliseconds idle)
    : ctx_(ctx),
      up_(up),
      idle_(idle),
      last_progress_(std::chrono::steady_clock::now()),
      idle_timer_(ctx.socket.get_executor()),
      park_(ctx.socket.get_executor(), net::steady_timer::time_point::max()),
      all_exited_(ctx.socket.get_executor(), net::steady_timer::time_point::max()) {}

void StreamGuard::start() {
  started_ = true;
  progress();
  running_ = 2;
  const auto ex = ctx_.socket.get_executor();
  net::co_spawn(ex, watch_client(), net::detached);
  net::co_spawn(ex, watchdog(), net::detached);
}

void StreamGuard::exited() {
  if (--running_ == 0) all_exited_.cancel();
}

Task<void> StreamGuard::watch_client() {
  while (!stopping_) {
    if (ctx_.buffer.size() > 64 * 1024) {
      // Enough pipelined bytes are waiting: stop reading until the relay ends.
      while (!stopping_)
        co_await park_.async_wait(use_nothrow);  // woken by stop()
      break;
    }
    auto [ec, n] = co_await ctx_.socket.async_read_some(ctx_.buffer.prepare(4096), use_nothrow);
    if (!ec) {
      ctx_.buffer.commit(n);  // a pipelined request: keep it for the session
      continue;
    }
    if (!stopping_ && ec != net::error::operation_aborted) {
      client_gone_ = true;
      up_.stream().close();  // cancels the upstream call now
    }
    break;
  }
  exited();
}

Task<void> StreamGuard::watchdog() {
  for (;;) {
    idle_timer_.expires_at(last_progress_ + idle_);
    co_await idle_timer_.async_wait(use_nothrow);
    if (stopping_) break;
    if (std::chrono::steady_clock::now() >= last_progress_ + idle_) {
      timed_out_ = true;
      client_stalled_ = writing_;
      up_.stream().close();
      error_code ignored;
      ctx_.socket.cancel(ignored);  // a write stuck on a client that stopped reading
      break;
    }
  }
  exited();
}

Task<void> StreamGuard::stop() {
  stopping_ = true;
  if (running_ == 0) co_return;
  error_code ignored;
  ctx_.socket.cancel(ignored);  // ends the pending client read
  idle_timer_.cancel();
  park_.cancel();
  while (running_ > 0)
    co_await all_exited_.async_wait(use_nothrow);
}

}  // namespace cg::server
