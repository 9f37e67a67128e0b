// ClientOptions: settings of the upstream client, filled from config::UpstreamConfig at startup
// and then read-only. Pure value type; any thread.
#pragma once
#include <chrono>
#include <cstddef>
#include <string>

namespace cg::upstream {

struct ClientOptions {
  // Covers TCP connect + proxy CONNECT + TLS handshake of a new connection (504 beyond).
  std::chrono::milliseconds connect_timeout{10000};
  // Idle pooled connections are closed after this long.
  std::chrono::milliseconds pool_idle_timeout{60000};
  // A pooled connection idle for less than this is reused without probing its socket (a syscall
  // per request); the caller retries once on a fresh connection if a reused one proves closed.
  std::chrono::milliseconds pool_trust_idle{1000};
  // Idle connections kept per target; the oldest is closed beyond this.
  size_t max_idle_per_target = 64;
  // Extra PEM file trusted in addition to the system store.
  std::string ca_bundle;
  // "http://[user:pass@]host:port": CONNECT tunnel for https targets. Empty = direct.
  std::string https_proxy;
  // Hosts that bypass https_proxy, curl syntax (see no_proxy.h).
  std::string no_proxy;
  // DNS results are reused for this long.
  std::chrono::milliseconds dns_ttl{60000};
};

}  // namespace cg::upstream
