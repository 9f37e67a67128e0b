// Config: every setting of `copilot-gateway serve`, with its default and meaning. Built once at
// startup (flags > environment > TOML file > defaults, see load.h) and then shared read-only by
// all threads as `std::shared_ptr<const Config>`.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cg {

using Millis = std::chrono::milliseconds;

// Every field is also settable in the TOML file as <table>.<field name> (tables [server],
// [upstream], [auth], [api], [log], [store], [pool]; durations as integer milliseconds, also
// accepted with a "_ms" suffix) and by an environment variable: the one named in its comment, else
// the flag name in UPPER_SNAKE_CASE (e.g. --editor-version -> EDITOR_VERSION, --token-retry-max-ms
// -> TOKEN_RETRY_MAX_MS). config/fields.cpp is the authoritative table.
struct ServerConfig {
  // Address to listen on. Without API keys only loopback addresses are allowed (see
  // allow_unauthenticated_remote).
  std::string host = "127.0.0.1";  // flag --host, env HOST, toml server.host
  // TCP port; 0 picks an ephemeral port (printed at startup).
  uint16_t port = 4141;  // --port, PORT, server.port
  // Worker threads, each with its own event loop and SO_REUSEPORT listener. 0 = number of cores.
  int workers = 0;  // --workers, WORKERS, server.workers
  // Largest accepted request header block, bytes.
  uint32_t max_header_bytes = 64 * 1024;  // --max-header-bytes, MAX_HEADER_BYTES
  // Largest accepted request body, bytes (413 beyond). Large enough for image payloads.
  uint64_t max_body_bytes = 32ull * 1024 * 1024;  // --max-body-bytes, MAX_BODY_BYTES
  // Time allowed to receive a complete request header once a connection is open or reused.
  Millis header_timeout{30'000};  // --header-timeout-ms, HEADER_TIMEOUT_MS
  // Idle keep-alive connections are closed after this long.
  Millis idle_timeout{75'000};  // --idle-timeout-ms, IDLE_TIMEOUT_MS
  // On SIGINT/SIGTERM: stop accepting, then give in-flight requests and streams this long.
  Millis shutdown_grace{30'000};  // --shutdown-grace-ms, SHUTDOWN_GRACE_MS
  // Start even when bound to a non-loopback address without API keys.
  // Also env ALLOW_UNAUTHENTICATED_REMOTE=true.
  bool allow_unauthenticated_remote = false;  // --allow-unauthenticated-remote
};

struct UpstreamConfig {
  // GitHub API base (token exchange, quota). Overridden for the simulator or GHE.com.
  std::string github_api_url = "https://api.github.com";  // --github-api-url, GITHUB_API_URL
  // GitHub web base URL: the device-flow login (`copilot-gateway login`) asks for codes there.
  std::string github_url = "https://github.com";  // --github-url, GITHUB_URL
  // Copilot API base. Empty = take endpoints.api from the token, else derive from account_type.
  std::string copilot_api_url;  // --copilot-api-url, COPILOT_API_URL
  // individual | business | enterprise: picks the default Copilot base URL.
  std::string account_type = "individual";  // --account-type, ACCOUNT_TYPE
  Millis connect_timeout{10'000};           // --connect-timeout-ms, CONNECT_TIMEOUT_MS
  Millis first_byte_timeout{120'000};       // --first-byte-timeout-ms, FIRST_BYTE_TIMEOUT_MS
  Millis idle_timeout{120'000};             // --upstream-idle-timeout-ms, UPSTREAM_IDLE_TIMEOUT_MS
  // Idle pooled upstream connections are closed after this long.
  Millis pool_idle_timeout{60'000};  // --pool-idle-timeout-ms, POOL_IDLE_TIMEOUT_MS
  // Extra CA bundle (PEM) trusted in addition to the system store.
  std::string ca_bundle;  // --ca-bundle, CA_BUNDLE
  // Outbound proxy for HTTPS (CONNECT) and hosts exempt from it. Defaults from the environment.
  std::string https_proxy;  // --https-proxy, HTTPS_PROXY / https_proxy
  std::string no_proxy;     // --no-proxy, NO_PROXY / no_proxy
  // Header values presented to Copilot (copilot-upstream.md §5).
  std::string editor_version = "vscode/1.104.3";              // --editor-version
  std::string editor_plugin_version = "copilot-chat/0.26.7";  // --editor-plugin-version
  std::string user_agent = "GitHubCopilotChat/0.26.7";        // --user-agent
  std::string github_api_version = "2025-04-01";              // --github-api-version
  std::string integration_id = "vscode-chat";                 // --integration-id
  // Models catalog cache lifetime.
  Millis models_ttl{600'000};  // --models-ttl-ms, MODELS_TTL_MS
};

struct AuthConfig {
  // GitHub OAuth token exchanged for Copilot tokens.
  std::string github_token;  // --github-token, GITHUB_TOKEN (secret)
  // Static Copilot token: skips the exchange entirely (transparent-proxy mode).
  std::string copilot_token;  // --copilot-token, COPILOT_TOKEN (secret)
  // Refresh this long before the token's expiry (bounded by refresh_in from GitHub).
  Millis refresh_margin{60'000};  // --token-refresh-margin-ms, TOKEN_REFRESH_MARGIN_MS
  // Backoff for failed exchanges: initial delay, doubling with jitter up to the cap.
  Millis retry_initial{500};  // --token-retry-initial-ms
  Millis retry_max{30'000};   // --token-retry-max-ms
  int retry_attempts = 5;     // --token-retry-attempts: per exchange before giving up
  // Client API keys (any one accepted). Empty = no client auth (loopback only).
  std::vector<std::string> api_keys;  // --api-key (repeatable), API_KEY (comma-separated) (secret)
};

struct ApiConfig {
  // Client model name -> upstream model id, applied before routing.
  std::map<std::string, std::string> model_aliases;  // --model-alias a=b, MODEL_ALIASES "a=b,c=d"
  // Anthropic Messages requests for models that offer Copilot's native /v1/messages go there
  // (bytes forwarded unchanged); off = always translate to /chat/completions.
  bool native_messages = true;  // --no-native-messages, NATIVE_MESSAGES
};

struct LogConfig {
  std::string level = "info";  // --log-level, LOG_LEVEL: debug | info | warn | error
  // Also env ACCESS_LOG=false, toml log.access_log = false.
  bool access_log = true;  // --no-access-log disables per-request lines
  // Worker threads batch info lines and write them at least this often (0 = every line at once).
  Millis flush_interval{100};  // --log-flush-ms, LOG_FLUSH_MS
};

struct StoreConfig {
  // The accounts database (SQLite). Empty = $XDG_DATA_HOME/copilot-gateway/gateway.db, else
  // ~/.local/share/copilot-gateway/gateway.db.
  std::string path;  // --store, STORE_PATH
};

// The account pool: how requests are spread over the accounts (the store's enabled accounts plus
// GITHUB_TOKEN as a bootstrap account), failover, the wait queue, affinity and pinning.
struct PoolConfig {
  // round-robin | least-busy | quota-aware (premium requests paced by remaining allowance per day
  // until each account's reset; free models spread by free_strategy).
  std::string strategy = "quota-aware";  // --pool-strategy, POOL_STRATEGY
  // Quota-aware, free models (multiplier 0): least-busy | round-robin.
  std::string free_strategy = "least-busy";  // --pool-free-strategy, POOL_FREE_STRATEGY
  // A request that fails before its first byte reached the client moves to another account at
  // most this many times.
  int max_failovers = 2;  // --pool-max-failovers, POOL_MAX_FAILOVERS
  // Before a switch after a 5xx or network error: this long, doubling per switch.
  Millis failover_backoff{100};  // --pool-failover-backoff-ms, POOL_FAILOVER_BACKOFF_MS
  // Every account at its concurrency cap: a request waits this long for a slot (then 429), and
  // at most queue_max requests wait at once (beyond: 429 at once).
  Millis queue_timeout{30'000};  // --pool-queue-timeout-ms, POOL_QUEUE_TIMEOUT_MS
  uint32_t queue_max = 256;      // --pool-queue-max, POOL_QUEUE_MAX
  // A conversation stays on its account this long after its last request.
  Millis affinity_ttl{3'600'000};  // --pool-affinity-ttl-ms, POOL_AFFINITY_TTL_MS
  // Each account's premium quota is re-read from copilot_internal/user this often (responses'
  // quota headers keep it current between polls).
  Millis quota_poll{900'000};  // --pool-quota-poll-ms, POOL_QUOTA_POLL_MS
  // A 429 without retry-after rests the account this long.
  Millis cooldown{10'000};  // --pool-cooldown-ms, POOL_COOLDOWN_MS
  // Circuit breaker per account: this many 5xx/network failures in a row open it for
  // breaker_open (doubling per failed probe, up to 20x); then one probe request decides.
  int breaker_failures = 5;     // --pool-breaker-failures, POOL_BREAKER_FAILURES
  Millis breaker_open{30'000};  // --pool-breaker-open-ms, POOL_BREAKER_OPEN_MS
  // Callers may choose the account with `X-Copilot-Account: <alias or id>`.
  bool allow_pinning = true;  // --no-pinning, POOL_ALLOW_PINNING
  // When not empty, only these API keys may pin (others get 403).
  std::vector<std::string> pin_api_keys;  // --pin-api-key (repeatable), PIN_API_KEYS (secret)
  // Serve from the store's enabled accounts (besides GITHUB_TOKEN).
  bool use_store = true;  // --no-store-accounts, POOL_USE_STORE
};

struct Config {
  ServerConfig server;
  UpstreamConfig upstream;
  AuthConfig auth;
  ApiConfig api;
  LogConfig log;
  StoreConfig store;
  PoolConfig pool;
  std::string config_file;  // --config, CONFIG: the TOML file this was loaded from, if any
};

}  // namespace cg
