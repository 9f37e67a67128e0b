// See load.h: validate and is_loopback_host. Pure; any thread.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "config/load.h"
#include "core/log.h"

namespace cg {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// http(s)://[user[:pass]@]host[:port][/path...] with a non-empty host and no whitespace.
bool is_http_url(std::string_view url) {
  std::string_view rest;
  if (url.size() > 7 && iequals(url.substr(0, 7), "http://")) {
    rest = url.substr(7);
  } else if (url.size() > 8 && iequals(url.substr(0, 8), "https://")) {
    rest = url.substr(8);
  } else {
    return false;
  }
  for (char ch : url) {
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f) return false;
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority, port;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return false;
      port = after.substr(1);
      if (port.empty()) return false;
    }
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return false;
  }
  if (host.empty()) return false;
  if (!port.empty()) {
    if (port.size() > 5) return false;
    unsigned value = 0;
    for (char ch : port) {
      if (ch < '0' || ch > '9') return false;
      value = value * 10 + unsigned(ch - '0');
    }
    if (value == 0 || value > 65535) return false;
  }
  return true;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (iequals(host, "localhost")) return true;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string h(host);
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    if (std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0) return true;
    static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::memcmp(v6.s6_addr, kMappedPrefix, 12) == 0 && v6.s6_addr[12] == 127;
  }
  return false;
}

std::optional<std::string> validate(const Config& c) {
  std::string errors;
  auto fail = [&errors](const std::string& msg) {
    if (!errors.empty()) errors.push_back('\n');
    errors += msg;
  };
  auto positive = [&fail](Millis v, std::string_view flag) {
    if (v.count() <= 0) fail("--" + std::string(flag) + " must be greater than 0 ms");
  };

  const ServerConfig& s = c.server;
  if (s.host.empty()) fail("--host must not be empty");
  if (s.workers < 0) fail("--workers must be >= 0 (0 = one per core)");
  if (s.workers > 1024) fail("--workers must be <= 1024");
  if (s.max_header_bytes == 0) fail("--max-header-bytes must be greater than 0");
  if (s.max_body_bytes == 0) fail("--max-body-bytes must be greater than 0");
  positive(s.header_timeout, "header-timeout-ms");
  positive(s.idle_timeout, "idle-timeout-ms");
  positive(s.shutdown_grace, "shutdown-grace-ms");

  const UpstreamConfig& u = c.upstream;
  if (!is_http_url(u.github_api_url)) {
    fail("--github-api-url must be an http:// or https:// URL (got \"" + u.github_api_url + "\")");
  }
  if (!is_http_url(u.github_url)) {
    fail("--github-url must be an http:// or https:// URL (got \"" + u.github_url + "\")");
  }
  if (!u.copilot_api_url.empty() && !is_http_url(u.copilot_api_url)) {
    fail("--copilot-api-url must be empty or an http:// or https:// URL (got \"" +
         u.copilot_api_url + "\")");
  }
  if (!u.https_proxy.empty() && !is_http_url(u.https_proxy)) {
    // The value may hold proxy credentials: do not echo it.
    fail(
        "--https-proxy (HTTPS_PROXY) must be an http:// or https:// URL, e.g. "
        "http://proxy.example:3128");
  }
  if (u.account_type != "individual" && u.account_type != "business" &&
      u.account_type != "enterprise") {
    fail("--account-type must be individual, business or enterprise (got \"" + u.account_type +
         "\")");
  }
  positive(u.connect_timeout, "connect-timeout-ms");
  positive(u.first_byte_timeout, "first-byte-timeout-ms");
  positive(u.idle_timeout, "upstream-idle-timeout-ms");
  positive(u.pool_idle_timeout, "pool-idle-timeout-ms");
  positive(u.models_ttl, "models-ttl-ms");

  const AuthConfig& a = c.auth;
  if (a.refresh_margin.count() < 0) fail("--token-refresh-margin-ms must be >= 0");
  positive(a.retry_initial, "token-retry-initial-ms");
  positive(a.retry_max, "token-retry-max-ms");
  if (a.retry_max < a.retry_initial) {
    fail("--token-retry-max-ms must be >= --token-retry-initial-ms");
  }
  if (a.retry_attempts < 1) fail("--token-retry-attempts must be >= 1");
  for (const std::string& key : a.api_keys) {
    if (key.empty()) fail("--api-key / API_KEY must not contain empty keys");
  }

  for (const auto& [alias, model] : c.api.model_aliases) {
    if (alias.empty() || model.empty()) fail("--model-alias entries must be of the form a=b");
  }

  const PoolConfig& p = c.pool;
  static constexpr std::string_view kStrategies[] = {"quota-aware", "least-busy", "round-robin"};
  if (std::find(std::begin(kStrategies), std::end(kStrategies), p.strategy) ==
      std::end(kStrategies)) {
    fail("--pool-strategy must be quota-aware, least-busy or round-robin (got \"" + p.strategy +
         "\")");
  }
  if (p.free_strategy != "least-busy" && p.free_strategy != "round-robin") {
    fail("--pool-free-strategy must be least-busy or round-robin (got \"" + p.free_strategy +
         "\")");
  }
  if (p.max_failovers < 0 || p.max_failovers > 63) fail("--pool-max-failovers must be 0..63");
  if (p.failover_backoff.count() < 0) fail("--pool-failover-backoff-ms must be >= 0");
  if (p.queue_timeout.count() < 0) fail("--pool-queue-timeout-ms must be >= 0");
  positive(p.affinity_ttl, "pool-affinity-ttl-ms");
  positive(p.cooldown, "pool-cooldown-ms");
  positive(p.breaker_open, "pool-breaker-open-ms");
  if (p.breaker_failures < 1 || p.breaker_failures > 1000)
    fail("--pool-breaker-failures must be 1..1000");
  positive(p.quota_poll, "pool-quota-poll-ms");
  for (const std::string& key : p.pin_api_keys) {
    if (key.empty()) fail("--pin-api-key / PIN_API_KEYS must not contain empty keys");
  }

  if (!log::parse_level(c.log.level)) {
    fail("--log-level must be debug, info, warn or error (got \"" + c.log.level + "\")");
  }

  if (a.api_keys.empty() && !s.allow_unauthenticated_remote && !s.host.empty() &&
      !is_loopback_host(s.host)) {
    fail("refusing to listen on " + s.host +
         " without API keys: anyone who can reach that address could use your Copilot "
         "subscription. Set API_KEY (or --api-key) so clients must present a key, listen on "
         "127.0.0.1 instead, or pass --allow-unauthenticated-remote if the network is trusted.");
  }

  if (errors.empty()) return std::nullopt;
  return errors;
}

}  // namespace cg
