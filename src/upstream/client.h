// Client: per-worker factory of upstream connections with a keep-alive pool, DNS cache, optional
// HTTPS proxy (CONNECT) and TLS with SNI, hostname verification and session resumption.
// One instance per worker thread, created and used on that thread only (no locks).
#pragma once
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "asio_impl/net.h"
#include "core/result.h"
#include "upstream/client_options.h"
#include "upstream/connection.h"
#include "upstream/proxy.h"
#include "upstream/target.h"

namespace cg::upstream {

namespace detail {
class Pool;
}

class Client {
 public:
  // tls may be null if no https target is ever used (https connects then fail with 502).
  // Throws std::invalid_argument if opts.https_proxy is malformed (startup only).
  Client(net::any_io_executor ex, std::shared_ptr<ssl::context> tls, ClientOptions opts);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // A usable pooled connection to target, else a new one: resolve (cached), TCP connect,
  // TCP_NODELAY, for https the proxy CONNECT (unless excluded by no_proxy) and the TLS handshake.
  // connect_timeout covers all of it; the connection handed out has no tcp_stream expiry left
  // set (callers bound their own waits, e.g. by closing the stream). Errors: 502 (unresolvable,
  // refused, proxy refused, TLS failure) or 504 (timeout); messages name the host, never
  // credentials.
  Task<Result<Lease>> connect(const Target& target);
  // A usable pooled connection to target, if there is one (no suspension; connect() does the
  // same and falls back to a new connection).
  Lease take_pooled(const Target& target);

  // Shutdown: closes idle pooled connections; connections released later are closed too.
  void close_idle();
  size_t idle_count() const;
  const ClientOptions& options() const { return opts_; }
  // Whether an https connection to target would go through the proxy.
  bool uses_proxy(const Target& target) const;

 private:
  Task<Result<tcp::resolver::results_type>> resolve(const std::string& host, uint16_t port);
  Task<Result<Lease>> connect_new(const Target& target);

  struct DnsEntry {
    tcp::resolver::results_type results;
    std::chrono::steady_clock::time_point expires;
  };

  net::any_io_executor ex_;
  std::shared_ptr<ssl::context> tls_;
  ClientOptions opts_;
  std::optional<ProxyConfig> proxy_;
  tcp::resolver resolver_;
  std::unordered_map<std::string, DnsEntry> dns_;
  std::shared_ptr<detail::Pool> pool_;
};

}  // namespace cg::upstream
