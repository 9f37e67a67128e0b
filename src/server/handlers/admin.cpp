// The running gateway's own administration, behind the client API keys: GET /admin/accounts (what
// `copilot-gateway accounts status` prints: each pool account's health, Copilot token, quota and
// load), POST /admin/accounts/{ref}/refresh (`accounts refresh`: a new Copilot token and a quota
// poll now), POST /admin/accounts/{ref}/enable|disable (in or out of rotation until the gateway
// restarts; `accounts enable|disable` call them after changing the store) and GET /admin/config
// (the effective configuration, secrets masked).
// Worker thread; token states are read on the control thread.
#include <boost/json.hpp>

#include "config/load.h"
#include "core/log.h"
#include "pool/dates.h"
#include "server/gateway.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/worker.h"

namespace cg::server {

namespace {

namespace json = boost::json;

json::value timestamp(int64_t ms) {
  if (ms <= 0) return nullptr;
  return json::value(pool::format_timestamp(ms));
}

std::string_view health_name(pool::HealthStatus h) {
  switch (h) {
    case pool::HealthStatus::kOk:
      return "ok";
    case pool::HealthStatus::kDisabled:
      return "disabled";
    case pool::HealthStatus::kUnhealthy:
      return "unhealthy";
    case pool::HealthStatus::kCircuitOpen:
      return "circuit_open";
    case pool::HealthStatus::kHalfOpen:
      return "half_open";
    case pool::HealthStatus::kCoolingDown:
      return "cooling_down";
  }
  return "ok";
}

// Every account's token state, read where the token managers live.
Task<std::vector<copilot::TokenManager::Status>> token_states(Gateway& gw) {
  co_return co_await net::co_spawn(
      gw.control_io(),
      [&gw]() -> Task<std::vector<copilot::TokenManager::Status>> {
        std::vector<copilot::TokenManager::Status> out;
        for (size_t i = 0; i < gw.account_count(); ++i)
          out.push_back(gw.account(i).tokens->status());
        co_return out;
      },
      net::use_awaitable);
}

json::object account_json(Gateway& gw, const pool::AccountStatus& s,
                          const copilot::TokenManager::Status& t) {
  const accounts::ServedAccount& served = gw.account(s.index).served;
  json::object a;
  a["index"] = s.index;
  a["id"] = s.id;
  a["alias"] = s.alias;
  a["login"] = served.login;
  a["plan"] = served.plan;
  a["tier"] = s.tier;
  a["weight"] = s.weight;
  a["max_concurrent"] = s.max_concurrent;
  a["max_concurrent_vision"] = s.max_concurrent_vision;
  a["egress_proxy"] = !served.egress_proxy.empty();  // never the URL (it may hold credentials)
  a["health"] = health_name(s.health);
  a["health_detail"] = pool::describe_health(s);
  a["until"] = timestamp(s.until);
  a["reason"] = s.reason;
  a["consecutive_failures"] = s.consecutive_failures;
  a["in_flight"] = s.in_flight;
  a["in_flight_vision"] = s.in_flight_vision;

  json::object tok;
  tok["state"] = t.is_static    ? "static"
                 : t.refreshing ? "refreshing"
                 : t.has_token  ? "valid"
                                : "missing";
  tok["expires_at"] = timestamp(t.expires_at_ms);
  tok["refresh_at"] = timestamp(t.refresh_at_ms);
  tok["last_error"] = t.last_error;
  a["token"] = std::move(tok);

  json::object q;
  q["known"] = s.quota_known;
  q["unlimited"] = s.unlimited;
  q["overage_permitted"] = s.overage_permitted;
  q["entitlement"] = s.entitlement;
  q["remaining"] = s.premium_remaining;
  q["pending"] = s.premium_pending;
  q["reset"] = timestamp(s.reset_ms);
  q["reset_assumed"] = s.reset_assumed;
  q["per_day"] = s.per_day;
  q["snapshot_at"] = timestamp(s.snapshot_ms);
  q["premium_blocked_until"] = timestamp(s.premium_blocked_until);
  a["quota"] = std::move(q);
  return a;
}

Task<std::string> accounts_body(Gateway& gw, std::optional<pool::AccountIndex> only = {}) {
  const std::vector<copilot::TokenManager::Status> tokens = co_await token_states(gw);
  const std::vector<pool::AccountStatus> status = gw.pool().status();
  json::array list;
  for (const pool::AccountStatus& s : status) {
    if (only && s.index != *only) continue;
    if (s.index < tokens.size()) list.push_back(account_json(gw, s, tokens[s.index]));
  }
  json::object root;
  root["strategy"] = gw.cfg().pool.strategy;
  root["queue_waiting"] = gw.pool().waiting();
  root["accounts"] = std::move(list);
  co_return json::serialize(root);
}

}  // namespace

Task<void> handle_admin_accounts(RequestContext& ctx) {
  const std::string body = co_await accounts_body(ctx.worker.gateway());
  co_await send_json(ctx, http::status::ok, body);
}

// The pool account named by the route's {ref}; answers 404 (and returns kNoAccount) when none.
Task<pool::AccountIndex> route_account(RequestContext& ctx) {
  const pool::AccountIndex i = ctx.worker.gateway().pool().find(ctx.route.param);
  if (i == pool::kNoAccount) {
    co_await send_error(ctx, ApiError::not_found("No account with id or alias '" +
                                                     std::string(ctx.route.param.substr(0, 100)) +
                                                     "' in this gateway's pool.",
                                                 "unknown_account"));
  }
  co_return i;
}

Task<void> handle_admin_refresh(RequestContext& ctx) {
  Gateway& gw = ctx.worker.gateway();
  const pool::AccountIndex i = co_await route_account(ctx);
  if (i == pool::kNoAccount) co_return;
  copilot::TokenOutcome out = co_await gw.account(i).tokens->force_refresh();
  if (out.ok()) ctx.worker.account_tokens[i] = out.token;
  (void)co_await gw.poll_quota(i);
  std::string body = co_await accounts_body(gw, i);
  if (!out.ok()) {
    ApiError e = out.error;
    if (e.status < 500) e.status = 502;
    co_await send_error(ctx, std::move(e));
    co_return;
  }
  co_await send_json(ctx, http::status::ok, body);
}

Task<void> handle_admin_enable(RequestContext& ctx) {
  Gateway& gw = ctx.worker.gateway();
  const pool::AccountIndex i = co_await route_account(ctx);
  if (i == pool::kNoAccount) co_return;
  const bool enable = ctx.route.route == Route::kAdminEnable;
  gw.pool().set_enabled(i, enable);
  log::Line(log::Level::kInfo, enable ? "account enabled" : "account disabled")
      .str("account", gw.account(i).served.credentials.label);
  const std::string body = co_await accounts_body(gw, i);
  co_await send_json(ctx, http::status::ok, body);
}

Task<void> handle_admin_config(RequestContext& ctx) {
  const std::string text = render_effective(ctx.worker.cfg());
  co_await send_body(ctx, 200, "application/toml; charset=utf-8", text);
}

}  // namespace cg::server
