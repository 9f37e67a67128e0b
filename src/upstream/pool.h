// detail::Pool: the per-worker state behind a Client: idle keep-alive connections per target
// (LIFO, evicted after the idle timeout by one timer), and cached TLS sessions per target for
// resumption. Owned by a Client through shared_ptr so Leases and timers can hold weak references
// that outlive it safely. Worker thread only.
#pragma once
#include <openssl/ssl.h>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "asio_impl/net.h"
#include "upstream/connection.h"

namespace cg::upstream::detail {

struct SessionFree {
  void operator()(SSL_SESSION* s) const { SSL_SESSION_free(s); }
};
using SessionPtr = std::unique_ptr<SSL_SESSION, SessionFree>;

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  using Clock = std::chrono::steady_clock;

  Pool(net::any_io_executor ex, std::chrono::milliseconds idle_timeout, size_t max_idle,
       std::chrono::milliseconds trust_idle);
  ~Pool();

  // The most recently used idle connection for key that is still usable, or null. Stale ones
  // (closed by the peer, or idle too long) are closed on the way.
  std::unique_ptr<Connection> take(const std::string& key);
  // Parks a connection whose last response was complete and keep-alive.
  void put(std::unique_ptr<Connection> conn);
  void close_all();
  // Shutdown: closes the idle connections and makes every later put() close its connection, so
  // no eviction timer is armed again and the event loop can run out of work.
  void close_for_good() {
    closed_ = true;
    close_all();
  }
  size_t size() const { return count_; }

  // TLS sessions: store keeps a duplicate of `session`; take returns an owned reference to the
  // newest usable one (TLS 1.3 tickets are single-use and are removed when taken).
  void store_session(const std::string& key, SSL_SESSION* session);
  SessionPtr take_session(const std::string& key);

 private:
  struct Idle {
    std::unique_ptr<Connection> conn;
    Clock::time_point since;
  };
  void arm_timer(Clock::time_point at);
  void on_timer();

  std::chrono::milliseconds idle_timeout_;
  size_t max_idle_;
  std::chrono::milliseconds trust_idle_;
  size_t count_ = 0;
  std::unordered_map<std::string, std::vector<Idle>> idle_;  // oldest first
  net::steady_timer timer_;
  bool timer_armed_ = false;
  bool closed_ = false;
  static constexpr size_t kMaxSessionsPerKey = 4;
  std::unordered_map<std::string, std::deque<SessionPtr>> sessions_;  // oldest first
};

}  // namespace cg::upstream::detail
