// One account as the pool sees it: its configuration (alias, priority tier, weight, concurrency
// caps), its health, its premium quota knowledge and its in-flight counts.
// Single-threaded: owned by the Pool and touched only by the Pool's owner thread.
#pragma once
#include <cstdint>
#include <string>
#include <utility>

#include "pool/health.h"
#include "pool/quota.h"

namespace cg::pool {

struct AccountConfig {
  std::string id;     // stable identifier (the store's key); unique in the pool
  std::string alias;  // short name for status output and pinning; unique when not empty
  bool enabled = true;
  // Priority tier: LOWER number = tried first. Only the best tier that has an eligible account is
  // used; the others are failover.
  int32_t tier = 0;
  uint32_t weight = 1;                 // share within the tier (>= 1; 0 is read as 1)
  uint32_t max_concurrent = 0;         // requests in flight at once; 0 = no cap
  uint32_t max_concurrent_vision = 0;  // of which vision requests; 0 = no separate cap
};

// Weighted round robin: an account's pass advances by kRoundRobinStride / weight per turn
// (divisible by 1..16, so small weights get exact strides).
inline constexpr uint64_t kRoundRobinStride = 720720;

struct AccountState {
  AccountConfig config;
  Health health;
  QuotaState quota;
  uint32_t in_flight = 0;
  uint32_t in_flight_vision = 0;
  uint64_t rr_pass = 0;  // weighted round robin: next turn's position (see choose_account)
  uint64_t rr_stride = kRoundRobinStride;  // kRoundRobinStride / weight, kept by set_config()

  uint32_t weight() const { return config.weight == 0 ? 1 : config.weight; }
  void set_config(AccountConfig c) {
    if (c.weight == 0) c.weight = 1;
    config = std::move(c);
    rr_stride = kRoundRobinStride / config.weight;
    if (rr_stride == 0) rr_stride = 1;
  }
  bool has_capacity(bool vision) const {
    if (config.max_concurrent != 0 && in_flight >= config.max_concurrent) return false;
    return !vision || config.max_concurrent_vision == 0 ||
           in_flight_vision < config.max_concurrent_vision;
  }
};

}  // namespace cg::pool
