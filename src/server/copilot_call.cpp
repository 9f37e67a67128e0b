// See copilot_call.h.
#include "server/copilot_call.h"

#include <sys/socket.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <optional>

#include "accounts/shared_pool.h"
#include "core/ids.h"
#include "core/log.h"
#include "pool/dates.h"
#include "pool/outcome.h"
#include "server/api_keys.h"
#include "server/gateway.h"
#include "server/respond.h"
#include "server/worker.h"
#include "wire/openai/errors.h"

namespace cg::server {

namespace {

constexpr uint64_t kMaxErrorBody = 1 << 20;
// A waiter re-checks the pool at least this often (a wake-up may be missed between its check and
// its wait).
constexpr auto kQueueRecheck = std::chrono::milliseconds(100);

// Reads a failed call's error body and turns it into an ApiError with the upstream status and
// retry-after (secrets scrubbed).
Task<ApiError> upstream_failure(RequestContext& ctx, UpstreamCall& call) {
  const int status = call.status();
  std::string retry_after(call.head()[http::field::retry_after]);
  auto err_body = co_await read_upstream_body(ctx.worker, call, kMaxErrorBody);
  ApiError e = err_body ? wire::openai::upstream_error(status, *err_body) : err_body.error();
  if (err_body) e.status = status;
  e.retry_after = retry_after;
  co_return e;
}

std::string seconds_until(pool::TimeMs at, pool::TimeMs now) {
  const int64_t s = at > now ? (at - now + 999) / 1000 : 1;
  return std::to_string(std::max<int64_t>(s, 1));
}

// The answer when no account can take the request (and no upstream error is there to pass on).
ApiError no_account_error(const pool::Selection& s, pool::TimeMs now, bool pinned) {
  using R = pool::NoAccountReason;
  ApiError e;
  switch (s.reason) {
    case R::kAtCapacity:
      e = ApiError{429,
                   "rate_limit_error",
                   "accounts_busy",
                   "Every Copilot account is at its concurrency limit; retry shortly.",
                   {},
                   "1"};
      break;
    case R::kCoolingDown:
      e = ApiError{429,
                   "rate_limit_error",
                   "accounts_cooling_down",
                   pinned ? "The pinned Copilot account is rate limited; retry later."
                          : "Every Copilot account is rate limited; retry later.",
                   {},
                   seconds_until(s.retry_at, now)};
      break;
    case R::kPremiumExhausted:
      e = ApiError{429,
                   "rate_limit_error",
                   "premium_quota_exhausted",
                   pinned ? "The pinned Copilot account has no premium requests left."
                          : "Every Copilot account has used up its premium requests; use a model "
                            "that is included in the plan, or retry after the quota resets.",
                   {},
                   s.retry_at > now ? seconds_until(s.retry_at, now) : std::string()};
      break;
    case R::kUnhealthy:
      e = ApiError::unavailable(pinned ? "The pinned Copilot account is failing authentication."
                                       : "Every Copilot account is failing authentication; see "
                                         "`copilot-gateway accounts status`.");
      if (s.retry_at > now) e.retry_after = seconds_until(s.retry_at, now);
      break;
    case R::kAllExcluded:
      e = ApiError::unavailable("No Copilot account offers this model.");
      break;
    case R::kNoneEnabled:
    case R::kNone:
      e = ApiError::unavailable(
          pinned ? "The pinned Copilot account is disabled."
                 : "No enabled GitHub account (set GITHUB_TOKEN, run `copilot-gateway login`, or "
                   "`copilot-gateway accounts enable` one).");
      break;
  }
  return e;
}

// Whether another account may do better than this outcome.
bool fails_over(pool::OutcomeKind k) {
  using K = pool::OutcomeKind;
  return k == K::kRateLimited || k == K::kQuotaExhausted || k == K::kAuthFailed ||
         k == K::kServerError || k == K::kNetworkError;
}

// Whether the client closed its connection (or reset it): a peek that finds the end of the
// stream. Bytes of a pipelined next request, or nothing yet, mean it is still there.
bool client_left(tcp::socket& socket) {
  char byte;
  const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return true;
  return n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
}

int64_t retry_after_ms(std::string_view value) {
  if (value.empty()) return -1;
  return pool::parse_retry_after_ms(value, accounts::now_ms()).value_or(-1);
}

}  // namespace

Task<std::unique_ptr<UpstreamCall>> call_copilot(RequestContext& ctx, CopilotCallSpec spec) {
  Worker& w = ctx.worker;
  Gateway& gw = w.gateway();
  accounts::SharedPool& pool = gw.pool();
  const PoolConfig& pc = w.cfg().pool;

  pool::SelectRequest sel;
  sel.vision = spec.vision;
  sel.affinity_key = spec.affinity_key;
  sel.request_id = (static_cast<uint64_t>(w.index() + 1) << 48) ^ w.next_request_serial();
  if (!spec.model.empty() && w.models) {
    const copilot::ModelsSnapshot::Route r = w.models->route(spec.model);
    sel.multiplier = r.multiplier;
    // Accounts whose catalog lacks the model are not tried.
    const size_t n = gw.account_count();
    const uint64_t every =
        n >= static_cast<size_t>(pool::kMaxAccounts) ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
    sel.exclude = pool::AccountSet(every & ~r.accounts);
  }
  // X-Copilot-Account: that account or nothing.
  const std::string_view pin = ctx.req.fields().extension("x-copilot-account");
  const bool pinned = !pin.empty();
  if (pinned) {
    if (!pc.allow_pinning || !gw.may_pin(ctx.req)) {
      // A named object, not a braced temporary: see the note on coroutine arguments in
      // respond.cpp (GCC 12 freed the temporary's strings from this frame: ASan bad-free).
      ApiError refused{403,
                       "permission_error",
                       "pinning_not_allowed",
                       "This API key may not choose the Copilot account (X-Copilot-Account).",
                       {},
                       {}};
      co_await send_error(ctx, std::move(refused));
      co_return nullptr;
    }
    sel.pinned = pool.find(pin);
    if (sel.pinned == pool::kNoAccount) {
      co_await send_error(
          ctx, ApiError::bad_request("X-Copilot-Account names no account of this gateway (give its "
                                     "alias or id, see `copilot-gateway accounts status`).",
                                     "unknown_account"));
      co_return nullptr;
    }
    sel.exclude.erase(sel.pinned);
  }

  const int max_switches = pinned ? 0 : pc.max_failovers;
  std::optional<ApiError> last_failure;  // the last upstream answer, passed on if nothing works
  std::chrono::milliseconds backoff = pc.failover_backoff;
  bool queued = false;
  auto queue_until = std::chrono::steady_clock::now();
  std::string headers;
  headers.reserve(768 + spec.extra_headers.size());

  for (int switches = 0;;) {
    sel.now = accounts::now_ms();
    pool::Lease lease;
    const pool::Selection chosen = pool.start(sel, lease);
    if (!chosen.ok()) {
      if (chosen.reason == pool::NoAccountReason::kAtCapacity && !last_failure) {
        // Every usable account is busy: wait for a slot, within the queue's bounds.
        if (!queued) {
          queued = pool.enter_queue(pc.queue_max);
          queue_until = std::chrono::steady_clock::now() + pc.queue_timeout;
        }
        const auto left = queue_until - std::chrono::steady_clock::now();
        if (queued && left > std::chrono::milliseconds(0)) {
          net::steady_timer t(w.io(),
                              std::min<std::chrono::steady_clock::duration>(left, kQueueRecheck));
          w.add_capacity_waiter(&t);
          co_await t.async_wait(use_nothrow);
          w.remove_capacity_waiter(&t);
          if (client_left(ctx.socket)) {
            // Nobody to answer: give the place up rather than send the request upstream later.
            pool.leave_queue();
            ctx.status = 499;
            ctx.keep_alive = false;
            ctx.error = "client disconnected while waiting for a free account";
            co_return nullptr;
          }
          if (!w.shutting_down()) continue;
        }
      }
      if (queued) pool.leave_queue();
      if (last_failure && (chosen.reason == pool::NoAccountReason::kAllExcluded ||
                           chosen.reason == pool::NoAccountReason::kCoolingDown ||
                           chosen.reason == pool::NoAccountReason::kPremiumExhausted ||
                           chosen.reason == pool::NoAccountReason::kUnhealthy)) {
        co_await send_error(ctx, std::move(*last_failure));
      } else {
        ctx.error = std::string("no account: ") + std::string(pool::reason_name(chosen.reason));
        co_await send_error(ctx, no_account_error(chosen, sel.now, pinned));
      }
      co_return nullptr;
    }
    if (queued) {
      pool.leave_queue();
      queued = false;
    }
    accounts::AccountAttempt attempt(pool, std::move(lease));
    const size_t a = chosen.account;
    GatewayAccount& account = gw.account(a);
    ctx.account = account.served.credentials.label;

    // The account's token (published; else fetched once, or refreshed after a 401).
    copilot::TokenPtr tok = w.published_usable_token(a);
    pool::Outcome outcome = pool::Outcome::success();
    std::string outcome_reason;
    std::optional<pool::QuotaHeader> quota;  // the answer's x-quota-snapshot, parsed
    bool transient = false;
    std::unique_ptr<UpstreamCall> call;
    for (int token_try = 0; token_try < 2; ++token_try) {
      if (!tok || token_try == 1) {
        // Named, not a conditional temporary: see the note on coroutine arguments in respond.cpp.
        copilot::TokenPtr rejected;
        if (token_try == 1) rejected = tok;
        copilot::TokenOutcome got = co_await w.usable_token(a, std::move(rejected));
        if (!got.ok()) {
          outcome_reason = got.error.message;
          outcome = got.fatal ? pool::Outcome::auth_failed(outcome_reason)
                              : pool::Outcome::network_error();
          transient = !got.fatal;
          last_failure = std::move(got.error);
          break;
        }
        tok = got.token;
      }
      const std::string upstream_request_id = new_uuid();
      headers.clear();
      headers.append(w.copilot_header_lines(spec.intent));
      copilot::append_call_copilot_headers(
          headers, copilot::CallInfo{tok->token.token, upstream_request_id, spec.initiator,
                                     spec.vision, spec.intent});
      headers.append(spec.extra_headers);
      // A named object, not a temporary: see the note on coroutine arguments in respond.cpp.
      const UpstreamRequest request{"POST",  tok->api.base_path, spec.endpoint,
                                    headers, spec.body,          account.egress};
      auto started = co_await start_upstream_call(w, ctx.deadline, tok->api, request);
      if (!started) {
        w.metrics().upstream_request(spec.metric_label, started.error().status);
        outcome = pool::Outcome::network_error();
        transient = true;
        last_failure = std::move(started).error();
        break;
      }
      call = std::move(*started);
      w.metrics().upstream_request(spec.metric_label, call->status());
      const int status = call->status();
      if (status == 401 && token_try == 0 && !tok->is_static) {
        // The token expired or was revoked early: refresh once and retry on this account.
        (void)co_await read_upstream_body(w, *call, kMaxErrorBody);
        call.reset();
        continue;
      }
      ctx.upstream_status = status;
      ctx.ttfb_s = call->ttfb_s;
      w.metrics().ttfb(call->ttfb_s);
      if (const std::string_view q =
              call->head().fields().extension("x-quota-snapshot-premium_interactions");
          !q.empty())
        quota = accounts::parse_quota_header_cached(q);
      if (status == 200) break;
      const bool ratelimit_flag = !call->head().fields().extension("x-ratelimit-exceeded").empty();
      const pool::OutcomeKind kind = pool::classify_status(status, ratelimit_flag);
      ApiError failure = co_await upstream_failure(ctx, *call);
      call.reset();
      switch (kind) {
        case pool::OutcomeKind::kRateLimited:
          outcome = pool::Outcome::rate_limited(retry_after_ms(failure.retry_after));
          break;
        case pool::OutcomeKind::kQuotaExhausted:
          outcome = pool::Outcome::quota_exhausted(retry_after_ms(failure.retry_after));
          break;
        case pool::OutcomeKind::kAuthFailed:
          outcome_reason = "HTTP " + std::to_string(status) + ": " + failure.message;
          outcome = pool::Outcome::auth_failed(outcome_reason);
          break;
        case pool::OutcomeKind::kServerError:
          outcome = pool::Outcome::server_error();
          transient = true;
          break;
        default:
          outcome = pool::Outcome::rejected();
          break;
      }
      last_failure = std::move(failure);
      break;
    }
    if (quota) outcome.quota = &*quota;
    if (call) {
      if (quota) attempt.set_quota(*quota);
      call->account = std::move(attempt);
      ctx.failovers = switches;
      co_return call;
    }
    attempt.finish(outcome);
    if (!fails_over(outcome.kind) || switches >= max_switches) {
      co_await send_error(ctx, std::move(*last_failure));
      co_return nullptr;
    }
    sel.exclude.insert(chosen.account);
    if (static_cast<size_t>(std::popcount(sel.exclude.bits())) >= gw.account_count()) {
      co_await send_error(ctx, std::move(*last_failure));  // no other account to try
      co_return nullptr;
    }
    // Another account gets the request; the client has seen nothing yet.
    ++switches;
    log::Line(log::Level::kInfo, "request retried on another account")
        .token("request_id", ctx.request_id)
        .str("account", account.served.credentials.label)
        .num("upstream_status", last_failure->status)
        .num("switch", switches);
    if (transient && backoff.count() > 0) {
      net::steady_timer t(w.io(), backoff);
      co_await t.async_wait(use_nothrow);
      backoff *= 2;
    }
  }
}

}  // namespace cg::server
