// See token_manager.h. Everything below runs on the control executor except acquire()'s hop.
#include "copilot/token_manager.h"

#include <chrono>
#include <random>

#include "copilot/token_exchange.h"
#include "core/log.h"

namespace cg::copilot {

int64_t unix_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

AccountCredentials credentials_from_config(const Config& cfg) {
  AccountCredentials a;
  a.label = "default";
  a.github_token = cfg.auth.github_token;
  a.copilot_token = cfg.auth.copilot_token;
  a.github_api_url = cfg.upstream.github_api_url;
  a.account_type = cfg.upstream.account_type;
  return a;
}

TokenManager::TokenManager(net::any_io_executor control, upstream::Client& control_client,
                           std::shared_ptr<const Config> cfg, AccountCredentials account)
    : control_(control),
      client_(control_client),
      cfg_(std::move(cfg)),
      account_(std::move(account)),
      loop_timer_(control) {}

TokenManager::TokenManager(net::any_io_executor control, upstream::Client& control_client,
                           std::shared_ptr<const Config> cfg)
    : TokenManager(control, control_client, cfg, credentials_from_config(*cfg)) {}

TokenManager::~TokenManager() = default;

Result<upstream::Target> TokenManager::api_target_for(const CopilotToken& t) const {
  return copilot_api_target(cfg_->upstream, t, account_.account_type);
}

bool TokenManager::current_usable() const {
  return current_ && (current_->is_static || usable(current_->token, unix_now_ms()));
}

void TokenManager::start() {
  if (!account_.copilot_token.empty()) {
    // Static token mode (transparent proxy): no exchange, never expires from our point of view.
    auto snap = std::make_shared<TokenSnapshot>();
    snap->token.token = account_.copilot_token;
    snap->token.expires_at = INT64_MAX / 2000;
    snap->is_static = true;
    snap->generation = ++generation_;
    auto target = api_target_for(snap->token);
    if (!target) {
      last_error_ = target.error();
      return;
    }
    snap->api = *target;
    current_ = std::move(snap);
    if (on_new_token_) on_new_token_(current_);
    return;
  }
  net::co_spawn(control_, refresh_loop(), net::detached);
}

void TokenManager::stop() {
  net::post(control_, [this] {
    stopped_ = true;
    loop_timer_.cancel();
  });
}

Task<TokenOutcome> TokenManager::acquire(TokenPtr rejected) {
  co_return co_await net::co_spawn(control_, acquire_on_control(std::move(rejected)),
                                   net::use_awaitable);
}

Task<TokenOutcome> TokenManager::force_refresh() {
  co_return co_await net::co_spawn(
      control_,
      [this]() -> Task<TokenOutcome> {
        if (current_ && current_->is_static) co_return TokenOutcome{current_, {}};
        co_return co_await acquire_on_control(current_);
      },
      net::use_awaitable);
}

TokenManager::Status TokenManager::status() const {
  Status s;
  s.has_token = current_ != nullptr;
  if (current_) {
    s.is_static = current_->is_static;
    s.expires_at_ms = current_->is_static ? 0 : current_->token.expires_at * 1000;
    s.refresh_at_ms = current_->refresh_at_ms;
  }
  s.refreshing = refreshing_;
  s.last_error = last_error_.message;
  return s;
}

Task<TokenOutcome> TokenManager::acquire_on_control(TokenPtr rejected) {
  if (rejected && current_ && rejected->generation == current_->generation) {
    if (current_->is_static) {
      co_return TokenOutcome{nullptr,
                             ApiError{401,
                                      "invalid_request_error",
                                      "copilot_token_rejected",
                                      "The upstream rejected the configured COPILOT_TOKEN.",
                                      {},
                                      {}}};
    }
    current_.reset();  // the upstream refused it: never hand it out again
  }
  if (!current_usable()) co_await refresh_single_flight();
  if (current_usable()) co_return TokenOutcome{current_, {}};
  co_return TokenOutcome{nullptr,
                         last_error_.message.empty()
                             ? ApiError::unavailable("No Copilot token is available.")
                             : last_error_,
                         last_fatal_};
}

Task<void> TokenManager::refresh_single_flight() {
  if (refreshing_) {
    auto done = refresh_done_;  // keep the event alive while waiting
    co_await done->async_wait(use_nothrow);
    co_return;
  }
  refreshing_ = true;
  refresh_done_ =
      std::make_shared<net::steady_timer>(control_, net::steady_timer::time_point::max());
  TokenOutcome out = co_await exchange_with_retries();
  if (out.ok()) {
    current_ = out.token;
    last_error_ = {};
    last_fatal_ = false;
    if (on_new_token_) on_new_token_(current_);
  } else {
    last_error_ = out.error;
    last_fatal_ = out.fatal;
  }
  refreshing_ = false;
  refresh_done_->cancel();  // wakes every waiter
  refresh_done_.reset();
  // A new token: let the loop reschedule from it. After a failure the loop keeps its own wait
  // (woken now, it would only repeat the exchange that just failed).
  if (out.ok()) loop_timer_.cancel();
}

Task<TokenOutcome> TokenManager::exchange_with_retries() {
  const auto& a = cfg_->auth;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  TokenOutcome out;
  for (int attempt = 0; attempt < std::max(1, a.retry_attempts) && !stopped_; ++attempt) {
    out = co_await exchange_once();
    if (out.ok()) {
      exchanges_ok_.fetch_add(1, std::memory_order_relaxed);
      co_return out;
    }
    exchanges_failed_.fetch_add(1, std::memory_order_relaxed);
    // Bad credentials or no Copilot access will not fix themselves: do not hammer GitHub.
    if (out.fatal) break;
    if (attempt + 1 < a.retry_attempts) {
      int64_t wait = backoff_ms(attempt, a.retry_initial.count(), a.retry_max.count(), jitter(rng));
      log::Line(log::Level::kWarn, "copilot token exchange failed, retrying")
          .str("account", account_.label)
          .num("attempt", attempt + 1)
          .num("retry_in_ms", wait)
          .str("error", out.error.message);
      net::steady_timer t(control_, std::chrono::milliseconds(wait));
      co_await t.async_wait(use_nothrow);
    }
  }
  log::Line(log::Level::kError, "copilot token exchange failed")
      .str("account", account_.label)
      .str("error", out.error.message);
  co_return out;
}

Task<TokenOutcome> TokenManager::exchange_once() {
  const auto& up = cfg_->upstream;
  if (account_.github_token.empty())
    co_return TokenOutcome{
        nullptr, ApiError::unavailable("No GitHub account is configured (set GITHUB_TOKEN or run "
                                       "`copilot-gateway login`).")};
  auto gh = upstream::Target::parse(account_.github_api_url);
  if (!gh) co_return TokenOutcome{nullptr, gh.error()};
  ExchangeOutcome ex = co_await exchange_copilot_token(client_, *gh, up, account_.github_token,
                                                       up.connect_timeout + up.first_byte_timeout);
  if (!ex.token) {
    TokenOutcome out{nullptr, std::move(ex.error)};
    out.fatal = ex.fatal;
    co_return out;
  }
  const int64_t now_ms = unix_now_ms();
  std::optional<CopilotToken>& tok = ex.token;
  auto target = api_target_for(*tok);
  if (!target) co_return TokenOutcome{nullptr, target.error()};
  auto snap = std::make_shared<TokenSnapshot>();
  snap->token = std::move(*tok);
  snap->api = std::move(*target);
  snap->refresh_at_ms = refresh_at_ms(snap->token, cfg_->auth.refresh_margin.count());
  snap->generation = ++generation_;
  log::Line(log::Level::kInfo, "copilot token obtained")
      .str("account", account_.label)
      .num("expires_at", snap->token.expires_at)
      .num("refresh_in_s", (snap->refresh_at_ms - now_ms) / 1000)
      .str("api", snap->api.host);
  co_return TokenOutcome{std::move(snap), {}};
}

Task<void> TokenManager::refresh_loop() {
  while (!stopped_) {
    const int64_t now = unix_now_ms();
    if (!current_ || current_->refresh_at_ms <= now) co_await refresh_single_flight();
    if (stopped_) break;
    int64_t wake_ms;
    if (current_) {
      wake_ms = std::max<int64_t>(current_->refresh_at_ms - unix_now_ms(), 50);
    } else {
      wake_ms = cfg_->auth.retry_max.count();  // failed: try again later (requests also retry)
    }
    loop_timer_.expires_after(std::chrono::milliseconds(wake_ms));
    co_await loop_timer_.async_wait(use_nothrow);
  }
}

}  // namespace cg::copilot
