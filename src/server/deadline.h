// Deadline: the one timer of a client connection, shared by every phase of its requests (reading
// the request, waiting for and reading the upstream answer, writing the response). Setting a
// deadline is a clock read and a store: the timer is not touched. It wakes at most every
// `granularity` (the shortest timeout it serves, so it is never late), compares the time with the
// current deadline and, once that has passed, cancels the client socket's pending operations
// and closes the upstream stream being watched; the interrupted operation then fails and its
// caller asks expired() to tell a timeout from other errors.
// Beast's tcp_stream instead starts and cancels a timer around every read and write.
// Worker thread only. The timer's state outlives the Deadline, so a late wake-up is harmless.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>

#include "asio_impl/net.h"

namespace cg::upstream {
class Stream;
}

namespace cg::server {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  Deadline(tcp::socket& client, std::chrono::milliseconds granularity);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  // A new deadline `d` from now (clears expired()).
  void expires_after(std::chrono::milliseconds d) { set(Clock::now() + d); }
  // No deadline (clears expired()).
  void expires_never() { set(Clock::time_point::max()); }
  // Closed as well when the deadline passes; nullptr for none.
  void watch_upstream(upstream::Stream* s) { state_->upstream = s; }
  // Stops watching `s` if it is the one watched.
  void unwatch_upstream(upstream::Stream* s) {
    if (state_->upstream == s) state_->upstream = nullptr;
  }
  // The current deadline passed and its operations were interrupted.
  bool expired() const { return state_->expired; }

 private:
  struct State {
    net::steady_timer timer;
    tcp::socket* client;  // null once the Deadline is gone
    upstream::Stream* upstream = nullptr;
    Clock::time_point at = Clock::time_point::max();
    Clock::time_point wakes_at;  // when armed
    std::chrono::milliseconds granularity;
    uint64_t generation = 0;  // of the current wait; a cancelled older wait finds it changed
    bool armed = false;
    bool expired = false;
    State(tcp::socket& c, std::chrono::milliseconds g)
        : timer(c.get_executor()), client(&c), granularity(g) {}
  };

  void set(Clock::time_point at) {
    state_->at = at;
    state_->expired = false;
    // Re-armed only when nothing waits yet, or for a deadline shorter than the granularity.
    if (at != Clock::time_point::max() && (!state_->armed || at < state_->wakes_at)) arm(state_);
  }
  static void arm(const std::shared_ptr<State>& s);
  static void on_timer(const std::shared_ptr<State>& s, uint64_t generation, error_code ec);

  std::shared_ptr<State> state_;
};

}  // namespace cg::server
