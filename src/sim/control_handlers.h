// The simulator's own HTTP control surface (/_sim/...) for out-of-process users such as the Node
// tests and the benchmarks. Worker-thread only; State does the locking.
#pragma once
#include "sim/exchange.h"

namespace cg::sim {

void handle_sim_stats(Exchange& ex);           // GET  /_sim/stats
void handle_sim_reset(Exchange& ex);           // POST /_sim/reset (stats and premium quotas)
void handle_sim_fault(Exchange& ex);           // POST /_sim/fault {"login":..., Fault fields}
void handle_sim_revoke(Exchange& ex);          // POST /_sim/revoke {"login":...}
void handle_sim_token_lifetime(Exchange& ex);  // POST /_sim/token_lifetime
                                               //      {"lifetime_s":N,"refresh_in_s":M}
void handle_sim_quota(Exchange& ex);           // POST /_sim/quota {"login":..., QuotaUpdate}

}  // namespace cg::sim
