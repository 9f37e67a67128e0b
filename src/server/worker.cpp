// See worker.h.
#include "server/worker.h"

#include <sys/socket.h>

#include <algorithm>

#include "copilot/headers.h"
#include "core/log.h"
#include "server/gateway.h"
#include "server/session.h"

namespace cg::server {

Worker::Worker(int index, Gateway& gateway) : index_(index), gateway_(gateway) {
  for (const upstream::ClientOptions& o : gateway.egress_options())
    clients_.push_back(std::make_unique<upstream::Client>(io_.get_executor(), gateway.tls(), o));
  account_tokens.resize(gateway.account_count());
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
  log_batching_ = cfg().log.flush_interval.count() > 0;
  thread_ = std::thread([this] {
    // Batched log lines are written by a timer armed when the first one is buffered.
    if (log_batching_)
      log::set_thread_batching(
          true, [](void* self) { static_cast<Worker*>(self)->arm_log_flush(); }, this);
    io_.run();
    log::set_thread_batching(false);  // writes what is left
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

void Worker::arm_log_flush() {
  if (log_flush_armed_) return;  // a batch that filled up was written; the timer still runs
  log_flush_armed_ = true;
  log_flush_timer_.expires_after(cfg().log.flush_interval);
  log_flush_timer_.async_wait([this](error_code) {
    log_flush_armed_ = false;
    log::flush_thread();
  });
}

const std::string& Worker::copilot_header_lines(std::string_view intent) {
  for (const auto& [key, lines] : copilot_header_lines_)
    if (key == intent) return lines;
  copilot_header_lines_.emplace_back(std::string(intent),
                                     copilot::static_copilot_header_lines(cfg().upstream, intent));
  return copilot_header_lines_.back().second;
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

copilot::TokenPtr Worker::published_usable_token(size_t account) const {
  const copilot::TokenPtr& token = account_tokens[account];
  if (token && (token->is_static || copilot::usable(token->token, copilot::unix_now_ms())))
    return token;
  return nullptr;
}

Task<copilot::TokenOutcome> Worker::usable_token(size_t account, copilot::TokenPtr rejected) {
  if (!rejected) {
    if (copilot::TokenPtr t = published_usable_token(account))
      co_return copilot::TokenOutcome{t, {}};
  }
  copilot::TokenOutcome out =
      co_await gateway_.account(account).tokens->acquire(std::move(rejected));
  if (out.ok()) account_tokens[account] = out.token;
  co_return out;
}

void Worker::remove_capacity_waiter(net::steady_timer* t) {
  auto it = std::find(capacity_waiters_.begin(), capacity_waiters_.end(), t);
  if (it != capacity_waiters_.end()) capacity_waiters_.erase(it);
}

void Worker::wake_capacity_waiters() {
  for (net::steady_timer* t : capacity_waiters_)
    t->cancel();
}

std::chrono::milliseconds Worker::deadline_granularity() const {
  const Config& c = cfg();
  return std::min({c.server.header_timeout, c.server.idle_timeout, c.upstream.first_byte_timeout,
                   c.upstream.idle_timeout});
}

std::list<SessionSlot>::iterator Worker::add_session(tcp::socket* s) {
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
    // From now on lines are written at once, so none wait on a timer while the loop drains.
    log::set_thread_batching(false);
    log_flush_timer_.cancel();
    error_code ignored;
    acceptor_.close(ignored);
    // Idle keep-alive connections are closed now; busy ones close after their response.
    for (auto& s : sessions_)
      if (!s.busy) s.socket->close(ignored);
    for (auto& c : clients_)
      c->close_idle();
    wake_capacity_waiters();
  });
}

void Worker::force_close() {
  net::post(io_, [this] {
    error_code ignored;
    for (auto& s : sessions_)
      s.socket->close(ignored);
    for (auto& c : clients_)
      c->close_idle();
  });
}

}  // namespace cg::server
