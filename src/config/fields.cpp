// See fields.h. Startup thread only.
#include "config/fields.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <type_traits>

namespace cg::config_detail {
namespace {

#define CG_FIELD(member) +[](Config& c) -> Target { return &c.member; }

constexpr Field kFields[] = {
    {"server", "host", "host", "HOST", "", CG_FIELD(server.host),
     "Address to listen on. Without API keys only loopback addresses are allowed."},
    {"server", "port", "port", "PORT", "", CG_FIELD(server.port),
     "TCP port; 0 picks an ephemeral port."},
    {"server", "workers", "workers", "WORKERS", "", CG_FIELD(server.workers),
     "Worker threads, each with its own event loop; 0 = number of cores."},
    {"server", "max_header_bytes", "max-header-bytes", "MAX_HEADER_BYTES", "",
     CG_FIELD(server.max_header_bytes), "Largest accepted request header block, bytes."},
    {"server", "max_body_bytes", "max-body-bytes", "MAX_BODY_BYTES", "",
     CG_FIELD(server.max_body_bytes), "Largest accepted request body, bytes (413 beyond)."},
    {"server", "header_timeout", "header-timeout-ms", "HEADER_TIMEOUT_MS", "",
     CG_FIELD(server.header_timeout), "Time to receive a complete request header, ms."},
    {"server", "idle_timeout", "idle-timeout-ms", "IDLE_TIMEOUT_MS", "",
     CG_FIELD(server.idle_timeout), "Idle keep-alive client connections are closed after, ms."},
    {"server", "shutdown_grace", "shutdown-grace-ms", "SHUTDOWN_GRACE_MS", "",
     CG_FIELD(server.shutdown_grace), "On SIGINT/SIGTERM, time given to in-flight requests, ms."},
    {"server", "allow_unauthenticated_remote", "allow-unauthenticated-remote",
     "ALLOW_UNAUTHENTICATED_REMOTE", "", CG_FIELD(server.allow_unauthenticated_remote),
     "Allow a non-loopback address without API keys (trusted networks only)."},

    {"upstream", "github_api_url", "github-api-url", "GITHUB_API_URL", "",
     CG_FIELD(upstream.github_api_url), "GitHub API base URL (token exchange, quota)."},
    {"upstream", "github_url", "github-url", "GITHUB_URL", "", CG_FIELD(upstream.github_url),
     "GitHub web base URL (device-flow login)."},
    {"upstream", "copilot_api_url", "copilot-api-url", "COPILOT_API_URL", "",
     CG_FIELD(upstream.copilot_api_url),
     "Copilot API base URL; empty = from the token, else from account_type."},
    {"upstream", "account_type", "account-type", "ACCOUNT_TYPE", "",
     CG_FIELD(upstream.account_type), "individual | business | enterprise."},
    {"upstream", "connect_timeout", "connect-timeout-ms", "CONNECT_TIMEOUT_MS", "",
     CG_FIELD(upstream.connect_timeout), "Upstream TCP+TLS connect timeout, ms."},
    {"upstream", "first_byte_timeout", "first-byte-timeout-ms", "FIRST_BYTE_TIMEOUT_MS", "",
     CG_FIELD(upstream.first_byte_timeout), "Wait for the upstream's first response byte, ms."},
    {"upstream", "idle_timeout", "upstream-idle-timeout-ms", "UPSTREAM_IDLE_TIMEOUT_MS", "",
     CG_FIELD(upstream.idle_timeout), "Longest silence inside an upstream response, ms."},
    {"upstream", "pool_idle_timeout", "pool-idle-timeout-ms", "POOL_IDLE_TIMEOUT_MS", "",
     CG_FIELD(upstream.pool_idle_timeout), "Idle pooled upstream connections closed after, ms."},
    {"upstream", "ca_bundle", "ca-bundle", "CA_BUNDLE", "", CG_FIELD(upstream.ca_bundle),
     "Extra CA bundle (PEM file) trusted besides the system store."},
    {"upstream", "https_proxy", "https-proxy", "HTTPS_PROXY", "https_proxy",
     CG_FIELD(upstream.https_proxy), "Outbound proxy for HTTPS (CONNECT), http://host:port.", false,
     false, true},
    {"upstream", "no_proxy", "no-proxy", "NO_PROXY", "no_proxy", CG_FIELD(upstream.no_proxy),
     "Comma-separated hosts that bypass the proxy."},
    {"upstream", "editor_version", "editor-version", "EDITOR_VERSION", "",
     CG_FIELD(upstream.editor_version), "Editor-Version header sent to Copilot."},
    {"upstream", "editor_plugin_version", "editor-plugin-version", "EDITOR_PLUGIN_VERSION", "",
     CG_FIELD(upstream.editor_plugin_version), "Editor-Plugin-Version header sent to Copilot."},
    {"upstream", "user_agent", "user-agent", "USER_AGENT", "", CG_FIELD(upstream.user_agent),
     "User-Agent header sent to Copilot."},
    {"upstream", "github_api_version", "github-api-version", "GITHUB_API_VERSION", "",
     CG_FIELD(upstream.github_api_version), "X-GitHub-Api-Version header."},
    {"upstream", "integration_id", "integration-id", "INTEGRATION_ID", "",
     CG_FIELD(upstream.integration_id), "Copilot-Integration-Id header."},
    {"upstream", "models_ttl", "models-ttl-ms", "MODELS_TTL_MS", "", CG_FIELD(upstream.models_ttl),
     "Models catalog cache lifetime, ms."},

    {"auth", "github_token", "github-token", "GITHUB_TOKEN", "", CG_FIELD(auth.github_token),
     "GitHub OAuth token exchanged for Copilot tokens (prefer the env var).", true},
    {"auth", "copilot_token", "copilot-token", "COPILOT_TOKEN", "", CG_FIELD(auth.copilot_token),
     "Static Copilot token; skips the exchange (prefer the env var).", true},
    {"auth", "refresh_margin", "token-refresh-margin-ms", "TOKEN_REFRESH_MARGIN_MS", "",
     CG_FIELD(auth.refresh_margin), "Refresh Copilot tokens this long before expiry, ms."},
    {"auth", "retry_initial", "token-retry-initial-ms", "TOKEN_RETRY_INITIAL_MS", "",
     CG_FIELD(auth.retry_initial), "First backoff after a failed token exchange, ms."},
    {"auth", "retry_max", "token-retry-max-ms", "TOKEN_RETRY_MAX_MS", "", CG_FIELD(auth.retry_max),
     "Backoff cap for token exchanges, ms."},
    {"auth", "retry_attempts", "token-retry-attempts", "TOKEN_RETRY_ATTEMPTS", "",
     CG_FIELD(auth.retry_attempts), "Attempts per token exchange before giving up."},
    {"auth", "api_keys", "api-key", "API_KEY", "", CG_FIELD(auth.api_keys),
     "Client API key (repeatable flag; env comma-separated; TOML array). Empty = no client "
     "auth, loopback only.",
     true},

    {"api", "model_aliases", "model-alias", "MODEL_ALIASES", "", CG_FIELD(api.model_aliases),
     "Model alias client=upstream (repeatable flag; env \"a=b,c=d\"; TOML table "
     "[api.model_aliases])."},
    {"api", "native_messages", "no-native-messages", "NATIVE_MESSAGES", "",
     CG_FIELD(api.native_messages),
     "Send Anthropic Messages requests to Copilot's native /v1/messages when the model offers "
     "it (the flag turns this off: translate to /chat/completions instead).",
     false, true},

    {"log", "level", "log-level", "LOG_LEVEL", "", CG_FIELD(log.level),
     "debug | info | warn | error."},
    {"log", "access_log", "no-access-log", "ACCESS_LOG", "", CG_FIELD(log.access_log),
     "Per-request access log lines (the flag turns them off; env/TOML take true|false).", false,
     true},
    {"log", "flush_interval", "log-flush-ms", "LOG_FLUSH_MS", "", CG_FIELD(log.flush_interval),
     "Workers write batched info lines at least this often, ms (0 = each line at once)."},

    {"store", "path", "store", "STORE_PATH", "", CG_FIELD(store.path),
     "Accounts database (SQLite); empty = ~/.local/share/copilot-gateway/gateway.db."},

    {"pool", "strategy", "pool-strategy", "POOL_STRATEGY", "", CG_FIELD(pool.strategy),
     "Account choice: quota-aware | least-busy | round-robin."},
    {"pool", "free_strategy", "pool-free-strategy", "POOL_FREE_STRATEGY", "",
     CG_FIELD(pool.free_strategy), "Quota-aware, free models: least-busy | round-robin."},
    {"pool", "max_failovers", "pool-max-failovers", "POOL_MAX_FAILOVERS", "",
     CG_FIELD(pool.max_failovers),
     "Account switches of one request that failed before its first byte."},
    {"pool", "failover_backoff", "pool-failover-backoff-ms", "POOL_FAILOVER_BACKOFF_MS", "",
     CG_FIELD(pool.failover_backoff),
     "Wait before a switch after a 5xx or network error, doubling per switch, ms."},
    {"pool", "queue_timeout", "pool-queue-timeout-ms", "POOL_QUEUE_TIMEOUT_MS", "",
     CG_FIELD(pool.queue_timeout),
     "Every account at its concurrency cap: wait this long for a slot, then 429, ms."},
    {"pool", "queue_max", "pool-queue-max", "POOL_QUEUE_MAX", "", CG_FIELD(pool.queue_max),
     "Requests waiting for a slot at once; more get 429 at once."},
    {"pool", "affinity_ttl", "pool-affinity-ttl-ms", "POOL_AFFINITY_TTL_MS", "",
     CG_FIELD(pool.affinity_ttl),
     "A conversation stays on its account this long after its last request, ms."},
    {"pool", "quota_poll", "pool-quota-poll-ms", "POOL_QUOTA_POLL_MS", "",
     CG_FIELD(pool.quota_poll), "Re-read each account's premium quota this often, ms."},
    {"pool", "cooldown", "pool-cooldown-ms", "POOL_COOLDOWN_MS", "", CG_FIELD(pool.cooldown),
     "A 429 without retry-after rests the account this long, ms."},
    {"pool", "breaker_failures", "pool-breaker-failures", "POOL_BREAKER_FAILURES", "",
     CG_FIELD(pool.breaker_failures),
     "5xx/network failures in a row that open an account's circuit breaker."},
    {"pool", "breaker_open", "pool-breaker-open-ms", "POOL_BREAKER_OPEN_MS", "",
     CG_FIELD(pool.breaker_open),
     "Circuit breaker open time before one probe, ms (doubling per failed probe, to 20x)."},
    {"pool", "allow_pinning", "no-pinning", "POOL_ALLOW_PINNING", "", CG_FIELD(pool.allow_pinning),
     "Callers may pick the account with X-Copilot-Account (the flag turns this off).", false, true},
    {"pool", "pin_api_keys", "pin-api-key", "PIN_API_KEYS", "", CG_FIELD(pool.pin_api_keys),
     "API keys allowed to pin (repeatable); empty = every caller.", true},
    {"pool", "use_store", "no-store-accounts", "POOL_USE_STORE", "", CG_FIELD(pool.use_store),
     "Serve from the store's enabled accounts too (the flag turns this off).", false, true},
};

#undef CG_FIELD

template <class Int>
std::optional<std::string> parse_int(std::string_view text, Int& out, std::string_view source,
                                     int64_t min, uint64_t max) {
  text = trim(text);
  int64_t signed_value = 0;
  uint64_t unsigned_value = 0;
  bool ok = false;
  if (!text.empty() && text[0] == '-') {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), signed_value);
    ok = ec == std::errc() && p == text.data() + text.size() && signed_value >= min;
    if (ok) out = static_cast<Int>(signed_value);
  } else {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), unsigned_value);
    ok = ec == std::errc() && p == text.data() + text.size() && unsigned_value <= max;
    if (ok) out = static_cast<Int>(unsigned_value);
  }
  if (ok) return std::nullopt;
  return std::string(source) + ": \"" + std::string(text) + "\" is not a valid number (" +
         std::to_string(min) + ".." + std::to_string(max) + ")";
}

}  // namespace

std::span<const Field> fields() {
  return kFields;
}

bool is_repeatable(const Field& f) {
  Config probe;
  Target t = f.target(probe);
  return std::holds_alternative<std::vector<std::string>*>(t) ||
         std::holds_alternative<std::map<std::string, std::string>*>(t);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::optional<bool> parse_bool(std::string_view text) {
  std::string t(trim(text));
  for (char& ch : t)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (t == "1" || t == "true" || t == "yes" || t == "on") return true;
  if (t == "0" || t == "false" || t == "no" || t == "off") return false;
  return std::nullopt;
}

std::optional<std::string> assign_scalar(const Field& f, Config& c, std::string_view text,
                                         std::string_view source) {
  constexpr uint64_t kMaxMs = 365ull * 24 * 3600 * 1000;  // a year is plenty for any duration
  return std::visit(
      [&](auto* p) -> std::optional<std::string> {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          *p = std::string(text);
          return std::nullopt;
        } else if constexpr (std::is_same_v<T, bool>) {
          std::optional<bool> b = parse_bool(text);
          if (!b) {
            return std::string(source) + ": \"" + std::string(text) +
                   "\" is not a boolean (true|false|1|0|yes|no|on|off)";
          }
          *p = *b;
          return std::nullopt;
        } else if constexpr (std::is_same_v<T, Millis>) {
          int64_t ms = 0;
          auto err = parse_int(text, ms, source, 0, kMaxMs);
          if (!err) *p = Millis(ms);
          return err;
        } else if constexpr (std::is_same_v<T, int>) {
          return parse_int(text, *p, source, std::numeric_limits<int>::min(),
                           std::numeric_limits<int>::max());
        } else if constexpr (std::is_integral_v<T>) {
          return parse_int(text, *p, source, 0, std::numeric_limits<T>::max());
        } else {
          return assign_items(f, c, split_list(text), source);
        }
      },
      f.target(c));
}

std::optional<std::string> assign_items(const Field& f, Config& c,
                                        const std::vector<std::string>& items,
                                        std::string_view source) {
  Target t = f.target(c);
  if (auto* list = std::get_if<std::vector<std::string>*>(&t)) {
    (*list)->clear();
    for (const std::string& item : items) {
      std::string_view v = trim(item);
      if (v.empty()) return std::string(source) + ": empty value";
      (*list)->emplace_back(v);
    }
    return std::nullopt;
  }
  if (auto* map = std::get_if<std::map<std::string, std::string>*>(&t)) {
    (*map)->clear();
    for (const std::string& item : items) {
      size_t eq = item.find('=');
      std::string_view from = trim(std::string_view(item).substr(0, eq));
      std::string_view to = eq == std::string::npos ? std::string_view()
                                                    : trim(std::string_view(item).substr(eq + 1));
      if (eq == std::string::npos || from.empty() || to.empty()) {
        return std::string(source) + ": \"" + item + "\" is not of the form alias=model";
      }
      (**map)[std::string(from)] = std::string(to);
    }
    return std::nullopt;
  }
  if (items.size() != 1) return std::string(source) + ": expects exactly one value";
  return assign_scalar(f, c, items[0], source);
}

}  // namespace cg::config_detail
