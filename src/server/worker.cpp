// See worker.h.
#include "server/worker.h"

#include <sys/socket.h>

#include "core/log.h"
#include "server/gateway.h"
#include "server/session.h"

namespace cg::server {

Worker::Worker(int index, Gateway& gateway) : index_(index), gateway_(gateway) {
  client_ = std::make_unique<upstream::Client>(io_.get_executor(), gateway.tls(),
                                               gateway.client_options());
  metrics_ = &gateway.metrics().shard(index);
}

Worker::~Worker() {
  join();
}

const Config& Worker::cfg() const {
  return gateway_.cfg();
}

void Worker::listen(const tcp::endpoint& ep) {
  acceptor_.open(ep.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  using reuse_port = net::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
  acceptor_.set_option(reuse_port(true));
  acceptor_.bind(ep);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

uint16_t Worker::bound_port() const {
  return acceptor_.local_endpoint().port();
}

void Worker::start() {
  net::co_spawn(io_, accept_loop(), net::detached);
  thread_ = std::thread([this] {
    io_.run();
    exited_.store(true, std::memory_order_release);
  });
}

bool Worker::wait_exit(std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!exited_.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const bool clean = exited_.load(std::memory_order_acquire);
  if (!clean) io_.stop();
  join();
  return clean;
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

Task<void> Worker::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_nothrow);
    if (shutting_down_ || !acceptor_.is_open()) break;
    if (ec) {
      // Out of descriptors or a transient failure: back off briefly instead of spinning.
      log::Line(log::Level::kWarn, "accept failed").str("error", ec.message());
      net::steady_timer t(io_, std::chrono::milliseconds(50));
      co_await t.async_wait(use_nothrow);
      continue;
    }
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    net::co_spawn(io_, run_session(*this, std::move(socket)), net::detached);
  }
}

Task<copilot::TokenOutcome> Worker::usable_token(copilot::TokenPtr rejected) {
  if (!rejected && token &&
      (token->is_static || copilot::usable(token->token, copilot::unix_now_ms())))
    co_return copilot::TokenOutcome{token, {}};
  copilot::TokenOutcome out = co_await gateway_.tokens().acquire(std::move(rejected));
  if (out.ok()) token = out.token;
  co_return out;
}

std::list<SessionSlot>::iterator Worker::add_session(beast::tcp_stream* s) {
  open_sessions_.fetch_add(1, std::memory_order_relaxed);
  return sessions_.insert(sessions_.end(), SessionSlot{s, false});
}

void Worker::remove_session(std::list<SessionSlot>::iterator it) {
  sessions_.erase(it);
  open_sessions_.fetch_sub(1, std::memory_order_relaxed);
}

void Worker::begin_shutdown() {
  net::post(io_, [this] {
    shutting_down_ = true;
    error_code ignored;
    acceptor_.close(ignored);
    // Idle keep-alive connections are closed now; busy ones close after their response.
    for (auto& s : sessions_)
      if (!s.busy) s.stream->socket().close(ignored);
    client_->close_idle();
  });
}

void Worker::force_close() {
  net::post(io_, [this] {
    error_code ignored;
    for (auto& s : sessions_)
      s.stream->socket().close(ignored);
    client_->close_idle();
  });
}

}  // namespace cg::server
