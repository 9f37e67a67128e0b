// Test helpers for the pool's unit tests: building a Pool from short account specs and running
// whole requests (select, start, finish) against it.
#pragma once
#include <string>
#include <vector>

#include "pool/pool.h"
#include "pool/test_clock.h"

namespace cg::pool::testing {

struct Spec {
  uint32_t weight = 1;
  int32_t tier = 0;
  uint32_t cap = 0;
  uint32_t vision_cap = 0;
  bool enabled = true;
};

inline Pool make_pool(const std::vector<Spec>& specs, PoolPolicy policy = {}) {
  Pool pool(policy);
  for (size_t i = 0; i < specs.size(); ++i) {
    AccountConfig c;
    c.id = "acct-";
    c.id += std::to_string(i);
    c.alias = std::string(1, static_cast<char>('A' + i));
    c.weight = specs[i].weight;
    c.tier = specs[i].tier;
    c.max_concurrent = specs[i].cap;
    c.max_concurrent_vision = specs[i].vision_cap;
    c.enabled = specs[i].enabled;
    pool.add_account(c);
  }
  return pool;
}

inline PoolPolicy with_strategy(Strategy s) {
  PoolPolicy p;
  p.selection.strategy = s;
  return p;
}

inline SelectRequest request(TimeMs now, double multiplier = 0) {
  SelectRequest r;
  r.now = now;
  r.multiplier = multiplier;
  return r;
}

// Selects, starts and finishes one request with `outcome`; returns the selection.
inline Selection run(Pool& pool, const SelectRequest& req,
                     const Outcome& outcome = Outcome::success()) {
  const Selection s = pool.select(req);
  if (s.ok()) {
    Lease lease = pool.on_start(s.account, req);
    pool.on_finish(lease, outcome, req.now);
  }
  return s;
}

inline QuotaSnapshot quota(double entitlement, double remaining, TimeMs reset_ms) {
  QuotaSnapshot q;
  q.entitlement = entitlement;
  q.remaining = remaining;
  q.reset_ms = reset_ms;
  return q;
}

}  // namespace cg::pool::testing
