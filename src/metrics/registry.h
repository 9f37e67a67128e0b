// Registry: the metric families of the gateway, one Shard per worker thread plus one "control"
// shard for non-worker threads (token refresh), rendered as Prometheus text format 0.0.4.
// Threading: construct once before workers start and keep it alive until they stop. shard(i) is
// handed to worker i (its only writer); control() to the control thread. render() may run on any
// thread at any time, concurrently with the writers; it sums every shard at scrape time.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "metrics/shard.h"

namespace cg::metrics {

class Registry {
 public:
  // REQUIRES: shards >= 1 (one per worker thread).
  explicit Registry(int shards);
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  int shard_count() const { return static_cast<int>(shards_.size()) - 1; }
  // REQUIRES: 0 <= i < shard_count().
  Shard& shard(int i) { return *shards_[static_cast<size_t>(i)]; }
  Shard& control() { return *shards_.back(); }

  // Prometheus text exposition (Content-Type: text/plain; version=0.0.4; charset=utf-8).
  std::string render() const;

 private:
  std::vector<std::unique_ptr<Shard>> shards_;  // workers, then the control shard
};

inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

}  // namespace cg::metrics
