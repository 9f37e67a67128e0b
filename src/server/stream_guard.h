// StreamGuard: watches a response that is being relayed as a stream. Two detached coroutines
// replace a timer per read and write: one waits for the client to hang up (and then closes the
// upstream connection at once, cancelling the upstream call), the other is an idle watchdog
// that re-arms lazily from the time of the last progress and, when nothing moved for the idle
// limit, cuts both sides. The relay itself only calls progress() after each upstream read.
// The relay starts the guard only when it first has to wait for the upstream: an answer that
// arrived whole costs no watcher at all.
// Worker thread only; stop() must be awaited before the guard is destroyed.
#pragma once
#include <chrono>

#include "asio_impl/net.h"
#include "server/request_context.h"
#include "upstream/connection.h"

namespace cg::server {

class StreamGuard {
 public:
  StreamGuard(RequestContext& ctx, upstream::Connection& up, std::chrono::milliseconds idle);
  StreamGuard(const StreamGuard&) = delete;
  StreamGuard& operator=(const StreamGuard&) = delete;

  void start();
  bool started() const { return started_; }
  void progress() { last_progress_ = std::chrono::steady_clock::now(); }
  void set_writing(bool w) { writing_ = w; }
  bool client_gone() const { return client_gone_; }
  bool timed_out() const { return timed_out_; }
  bool client_stalled() const { return client_stalled_; }
  // Ends both watchers and waits until they have returned.
  Task<void> stop();

 private:
  Task<void> watch_client();
  Task<void> watchdog();
  void exited();

  RequestContext& ctx_;
  upstream::Connection& up_;
  std::chrono::milliseconds idle_;
  std::chrono::steady_clock::time_point last_progress_;
  net::steady_timer idle_timer_;
  net::steady_timer park_;        // the client watcher waits here once enough bytes are queued
  net::steady_timer all_exited_;  // "event": cancelled when both watchers have returned
  int running_ = 0;
  bool started_ = false;
  bool stopping_ = false;
  bool writing_ = false;
  bool client_gone_ = false, timed_out_ = false, client_stalled_ = false;
};

}  // namespace cg::server
