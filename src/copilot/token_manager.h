// TokenManager: owns the Copilot token for one GitHub account (one per pool account). Lives on the
// control thread (its own io_context): exchanges the GitHub token for a Copilot token, refreshes
// ahead of expiry, retries with exponential backoff and jitter, and makes every concurrent request
// share one exchange (single-flight). Workers keep the published snapshot and call acquire() only
// when it is missing, stale or was rejected by the upstream (401). Thread contract: acquire() may
// be awaited from any thread's coroutine; everything else runs on the control executor.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "asio_impl/net.h"
#include "config/config.h"
#include "copilot/token.h"
#include "core/api_error.h"
#include "upstream/client.h"
#include "upstream/request.h"
#include "upstream/tls_context.h"

namespace cg::copilot {

struct TokenSnapshot {
  CopilotToken token;
  upstream::Target api;       // Copilot API base for calls made with this token
  int64_t refresh_at_ms = 0;  // when the background loop refreshes it
  uint64_t generation = 0;    // increases with every new token
  bool is_static = false;     // COPILOT_TOKEN mode: never exchanged
};
using TokenPtr = std::shared_ptr<const TokenSnapshot>;

struct TokenOutcome {  // default-constructible so it can cross co_spawn
  TokenPtr token;
  ApiError error;
  bool fatal = false;  // retrying cannot help (bad GitHub credentials, no Copilot access)
  bool ok() const { return token != nullptr; }
};

int64_t unix_now_ms();

// Whose tokens a TokenManager manages. SECRET fields are never logged.
struct AccountCredentials {
  std::string label;           // for log lines: the account's alias or id
  std::string github_token;    // exchanged for Copilot tokens (SECRET)
  std::string copilot_token;   // static Copilot token: no exchange (SECRET)
  std::string github_api_url;  // where the exchange happens (api.github.com or api.<GHE domain>)
  std::string account_type;    // individual | business | enterprise: the default Copilot base
};
// The configuration's own account: GITHUB_TOKEN / COPILOT_TOKEN, --github-api-url, --account-type.
AccountCredentials credentials_from_config(const Config& cfg);

class TokenManager {
 public:
  TokenManager(net::any_io_executor control, upstream::Client& control_client,
               std::shared_ptr<const Config> cfg, AccountCredentials account);
  // The configuration's own account (credentials_from_config).
  TokenManager(net::any_io_executor control, upstream::Client& control_client,
               std::shared_ptr<const Config> cfg);
  ~TokenManager();

  // Control thread: called with every new token (the server publishes it to workers).
  void set_on_new_token(std::function<void(TokenPtr)> cb) { on_new_token_ = std::move(cb); }
  // Control thread: starts the background exchange/refresh loop.
  void start();
  // Any thread: stops the loop (posts to the control thread).
  void stop();

  // Any thread's coroutine. A usable token; when `rejected` is the current token (the upstream
  // answered 401 with it), a refresh happens first, shared by everyone who reports the same token.
  Task<TokenOutcome> acquire(TokenPtr rejected = nullptr);

  // Any thread's coroutine: a new token now, replacing the current one (`accounts refresh`).
  Task<TokenOutcome> force_refresh();

  // Control thread: what `accounts status` shows.
  struct Status {
    bool has_token = false;
    bool is_static = false;
    int64_t expires_at_ms = 0, refresh_at_ms = 0;
    bool refreshing = false;
    std::string last_error;  // of the last failed exchange (never a token)
  };
  Status status() const;
  const AccountCredentials& account() const { return account_; }

  // Any thread: counters for tests and metrics.
  uint64_t exchanges_ok() const { return exchanges_ok_.load(std::memory_order_relaxed); }
  uint64_t exchanges_failed() const { return exchanges_failed_.load(std::memory_order_relaxed); }

 private:
  Task<TokenOutcome> acquire_on_control(TokenPtr rejected);
  Task<void> refresh_single_flight();
  Task<TokenOutcome> exchange_with_retries();
  Task<TokenOutcome> exchange_once();
  Task<void> refresh_loop();
  Result<upstream::Target> api_target_for(const CopilotToken& t) const;
  bool current_usable() const;

  net::any_io_executor control_;
  upstream::Client& client_;
  std::shared_ptr<const Config> cfg_;
  AccountCredentials account_;
  std::function<void(TokenPtr)> on_new_token_;

  TokenPtr current_;
  ApiError last_error_;
  bool last_fatal_ = false;  // last_error_ is one retrying cannot fix (TokenOutcome::fatal)
  bool refreshing_ = false;
  std::shared_ptr<net::steady_timer> refresh_done_;  // waiters of the in-flight refresh
  net::steady_timer loop_timer_;
  bool stopped_ = false;
  uint64_t generation_ = 0;
  std::atomic<uint64_t> exchanges_ok_{0}, exchanges_failed_{0};
};

}  // namespace cg::copilot
