// See client.h. Worker thread only.
#include "upstream/client.h"

#include <stdexcept>

#include "upstream/no_proxy.h"
#include "upstream/pool.h"

namespace cg::upstream {
namespace {

using Clock = std::chrono::steady_clock;

bool is_ip_literal(const std::string& host) {
  error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// Maps a failed connect-phase operation to 504 (deadline passed) or 502.
ApiError connect_error(std::string_view what, const std::string& where, error_code ec,
                       Clock::time_point deadline) {
  std::string msg = "upstream " + where + ": " + std::string(what);
  if (ec == beast::error::timeout || Clock::now() >= deadline) {
    return ApiError::gateway_timeout(msg + " timed out");
  }
  return ApiError::bad_gateway(msg + " failed: " + ec.message());
}

}  // namespace

Client::Client(net::any_io_executor ex, std::shared_ptr<ssl::context> tls, ClientOptions opts)
    : ex_(ex),
      tls_(std::move(tls)),
      opts_(std::move(opts)),
      resolver_(ex),
      pool_(std::make_shared<detail::Pool>(ex, opts_.pool_idle_timeout, opts_.max_idle_per_target,
                                           opts_.pool_trust_idle)) {
  if (!opts_.https_proxy.empty()) {
    auto p = ProxyConfig::parse(opts_.https_proxy);
    if (!p) throw std::invalid_argument(p.error().message);
    proxy_ = std::move(p).value();
  }
}

Client::~Client() {
  pool_->close_all();
}

void Client::close_idle() {
  pool_->close_for_good();
}

size_t Client::idle_count() const {
  return pool_->size();
}

bool Client::uses_proxy(const Target& target) const {
  return target.tls && proxy_ && !no_proxy_matches(opts_.no_proxy, target.host, target.port);
}

Lease Client::take_pooled(const Target& target) {
  return Lease(pool_->take(target.key()));
}

Task<Result<Lease>> Client::connect(const Target& target) {
  if (auto conn = pool_->take(target.key())) co_return Lease(std::move(conn));
  co_return co_await connect_new(target);
}

Task<Result<tcp::resolver::results_type>> Client::resolve(const std::string& host, uint16_t port) {
  std::string key = host + ":" + std::to_string(port);
  const auto now = Clock::now();
  if (auto it = dns_.find(key); it != dns_.end()) {
    if (now < it->second.expires) co_return it->second.results;
    dns_.erase(it);
  }
  auto [ec, results] = co_await resolver_.async_resolve(
      host, std::to_string(port), tcp::resolver::numeric_service, use_nothrow);
  if (ec || results.empty()) {
    co_return ApiError::bad_gateway("upstream " + key + ": cannot resolve host: " +
                                    (ec ? ec.message() : std::string("no addresses")));
  }
  dns_[key] = DnsEntry{results, Clock::now() + opts_.dns_ttl};
  co_return results;
}

Task<Result<Lease>> Client::connect_new(const Target& target) {
  const std::string where = target.authority();
  if (target.tls && !tls_) co_return ApiError::bad_gateway("upstream " + where + ": TLS disabled");
  const bool via_proxy = uses_proxy(target);
  const auto deadline = Clock::now() + opts_.connect_timeout;

  const std::string& dial_host = via_proxy ? proxy_->host : target.host;
  const uint16_t dial_port = via_proxy ? proxy_->port : target.port;
  auto endpoints = co_await resolve(dial_host, dial_port);
  if (!endpoints) co_return std::move(endpoints).error();

  auto conn = std::make_unique<Connection>(ex_, target.tls ? tls_.get() : nullptr, target, pool_);
  Lease lease(std::move(conn));  // closes on every early return below
  beast::tcp_stream& tcp = lease->stream().tcp();
  tcp.expires_at(deadline);
  auto [cec, ep] = co_await tcp.async_connect(*endpoints, use_nothrow);
  (void)ep;
  if (cec) {
    if (via_proxy) {
      co_return connect_error("connect to proxy " + proxy_->authority(), where, cec, deadline);
    }
    co_return connect_error("connect", where, cec, deadline);
  }
  error_code ignored;
  tcp.socket().set_option(tcp::no_delay(true), ignored);
  tcp.socket().non_blocking(true, ignored);  // synchronous writes must never block the loop

  if (via_proxy) {
    if (auto err = co_await proxy_connect(tcp, *proxy_, target)) co_return std::move(*err);
  }

  if (target.tls) {
    auto& tls = lease->stream().tls_stream();
    SSL* ssl = tls.native_handle();
    if (is_ip_literal(target.host)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), target.host.c_str());
    } else {
      // SNI + hostname verification (the OpenSSL-native equivalent of ssl::host_name_verification).
      SSL_set_tlsext_host_name(ssl, target.host.c_str());
      SSL_set1_host(ssl, target.host.c_str());
    }
    if (auto session = pool_->take_session(target.key())) SSL_set_session(ssl, session.get());
    auto [hec] = co_await tls.async_handshake(ssl::stream_base::client, use_nothrow);
    if (hec) {
      std::string what = "TLS handshake";
      if (long vr = SSL_get_verify_result(ssl); vr != X509_V_OK) {
        what += " (certificate: " + std::string(X509_verify_cert_error_string(vr)) + ")";
      }
      co_return connect_error(what, where, hec, deadline);
    }
  }
  tcp.expires_never();
  co_return std::move(lease);
}

}  // namespace cg::upstream
