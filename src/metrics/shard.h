// Shard: one worker thread's private set of metric series (the families of the product spec).
// Threading: only the owning thread calls the recording methods (worker shards: that worker;
// the control shard: the token-manager / control thread). The scrape thread reads through
// Registry::render() at any time. No locks and no atomic read-modify-write (see family.h).
// Allocation-free after the first use of a label set.
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

#include "metrics/family.h"

namespace cg::metrics {

// Histogram bucket upper bounds, seconds.
inline constexpr std::array<double, 13> kRequestDurationBuckets{
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
inline constexpr std::array<double, 12> kChatDurationBuckets{0.1, 0.25, 0.5, 1,  2.5, 5,
                                                             10,  20,   30,  60, 120, 300};
inline constexpr std::array<double, 12> kTtfbBuckets{0.05, 0.1, 0.25, 0.5, 0.75, 1,
                                                     1.5,  2,   3,    5,   10,   30};

using RequestDurationCell = HistogramCell<kRequestDurationBuckets.size()>;
using ChatDurationCell = HistogramCell<kChatDurationBuckets.size()>;
using TtfbCell = HistogramCell<kTtfbBuckets.size()>;

class alignas(64) Shard {
 public:
  Shard() = default;
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  // http_requests_total{method,path,status} and http_request_duration_seconds{method,path}.
  // REQUIRES: `path` is the matched route (e.g. "/v1/chat/completions"), never the raw URL.
  void request_done(std::string_view method, std::string_view path, int status, double seconds);
  // http_requests_in_flight (summed across shards).
  void in_flight_add(int delta) {
    in_flight_.store(in_flight_.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
  }
  // copilot_chat_completions_total{model,stream,status} and
  // copilot_chat_completion_duration_seconds{model,stream}.
  void chat_completion_done(std::string_view model, bool stream, int status, double seconds);
  // copilot_image_attachments_total.
  void image_attachments(uint64_t n) { image_attachments_.add(n); }
  // copilot_upstream_requests_total{endpoint,status}.
  void upstream_request(std::string_view endpoint, int status);
  // copilot_token_refreshes_total{result="success"|"failure"}.
  void token_refresh(bool ok) { (ok ? token_refresh_ok_ : token_refresh_failed_).add(1); }
  // copilot_stream_time_to_first_byte_seconds.
  void ttfb(double seconds) { ttfb_.observe(seconds, kTtfbBuckets); }

 private:
  friend class Registry;  // reads everything at scrape time

  LabeledFamily<3, CounterCell> requests_;                   // method, path, status
  LabeledFamily<2, RequestDurationCell> request_durations_;  // method, path
  std::atomic<int64_t> in_flight_{0};
  LabeledFamily<3, CounterCell> chat_completions_;     // model, stream, status
  LabeledFamily<2, ChatDurationCell> chat_durations_;  // model, stream
  CounterCell image_attachments_;
  LabeledFamily<2, CounterCell> upstream_requests_;  // endpoint, status
  CounterCell token_refresh_ok_;
  CounterCell token_refresh_failed_;
  TtfbCell ttfb_;
};

}  // namespace cg::metrics
