// Worker: one thread, one io_context, one SO_REUSEPORT listener, and everything a request needs
// without touching another thread: upstream connection pools (one per egress group), a metrics
// shard, and the latest Copilot token of each account and model catalog published to it by the
// control thread. The shared account pool (Gateway::pool) is the one structure workers share.
// Thread contract: all members are touched only on this worker's thread, except those documented
// as callable from the owning Gateway before start / after join.
#pragma once
#include <list>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "asio_impl/net.h"
#include "copilot/model_service.h"
#include "copilot/token_manager.h"
#include "metrics/registry.h"
#include "upstream/client.h"

namespace cg::server {

class Gateway;

// Per-connection bookkeeping the worker uses for graceful shutdown.
struct SessionSlot {
  tcp::socket* socket = nullptr;
  bool busy = false;  // a request is being handled
};

class Worker {
 public:
  Worker(int index, Gateway& gateway);
  ~Worker();

  // Gateway thread, before start(): open the listener. port 0 = ephemeral (worker 0 only).
  void listen(const tcp::endpoint& ep);
  uint16_t bound_port() const;
  void start();  // spawns the thread
  // Any thread: waits up to `limit` for the event loop to run out of work (every connection and
  // timer finished) and joins; false when it did not (the caller may then stop it forcibly).
  bool wait_exit(std::chrono::milliseconds limit);
  void join();
  // Any thread: stop accepting, close idle keep-alive connections, let busy ones finish.
  void begin_shutdown();
  // Any thread: close everything still open (after the grace period).
  void force_close();
  // Any thread: number of open client connections.
  size_t open_sessions() const { return open_sessions_.load(std::memory_order_relaxed); }

  // Worker-thread accessors.
  int index() const { return index_; }
  net::io_context& io() { return io_; }
  Gateway& gateway() { return gateway_; }
  const Config& cfg() const;
  upstream::Client& client(uint16_t egress = 0) { return *clients_[egress]; }
  metrics::Shard& metrics() { return *metrics_; }
  bool shutting_down() const { return shutting_down_; }

  // Latest published Copilot token of each account (pool index).
  std::vector<copilot::TokenPtr> account_tokens;
  // Account i's published token when it is still usable; otherwise (or when `rejected` is the
  // token the upstream just refused) one from its TokenManager, then kept as the published one.
  Task<copilot::TokenOutcome> usable_token(size_t account, copilot::TokenPtr rejected = nullptr);
  // The published token when it is still usable, else null (no suspension: the hot path).
  copilot::TokenPtr published_usable_token(size_t account) const;

  // Requests waiting for a free slot on this worker (see SharedPool's wait queue): each waits on
  // its own timer, cancelled to wake it.
  void add_capacity_waiter(net::steady_timer* t) { capacity_waiters_.push_back(t); }
  void remove_capacity_waiter(net::steady_timer* t);
  void wake_capacity_waiters();
  uint64_t next_request_serial() { return ++request_serial_; }
  copilot::ModelsPtr models;  // latest catalog this worker has seen

  // The Copilot header lines that depend only on the configuration and the intent, rendered once.
  const std::string& copilot_header_lines(std::string_view intent);
  std::list<SessionSlot>::iterator add_session(tcp::socket* s);
  // The wake-up period of connection deadlines: the shortest timeout they serve.
  std::chrono::milliseconds deadline_granularity() const;
  void remove_session(std::list<SessionSlot>::iterator it);

 private:
  Task<void> accept_loop();
  void arm_log_flush();

  int index_;
  Gateway& gateway_;
  // One thread runs it and only that thread touches its sockets and timers; other threads only
  // post to it. So the reactor needs no per-descriptor locks (scheduler locking stays on).
  net::io_context io_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  tcp::acceptor acceptor_{io_};
  std::vector<std::unique_ptr<upstream::Client>> clients_;  // by egress group
  std::vector<net::steady_timer*> capacity_waiters_;
  uint64_t request_serial_ = 0;
  metrics::Shard* metrics_ = nullptr;
  std::thread thread_;
  std::atomic<bool> exited_{false};
  std::list<SessionSlot> sessions_;
  std::atomic<size_t> open_sessions_{0};
  bool shutting_down_ = false;
  bool log_batching_ = false;
  bool log_flush_armed_ = false;
  std::list<std::pair<std::string, std::string>> copilot_header_lines_;  // intent -> lines (stable)
  net::steady_timer log_flush_timer_{io_};
};

}  // namespace cg::server
