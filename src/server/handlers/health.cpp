// GET /healthz (the process is alive and serving), GET /readyz (a Copilot token of some account
// is held or can be obtained now), GET /metrics (Prometheus text). Worker thread.
#include "copilot/token_manager.h"
#include "server/gateway.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/worker.h"

namespace cg::server {

Task<void> handle_healthz(RequestContext& ctx) {
  co_await send_json(ctx, http::status::ok, R"({"status":"ok"})");
}

Task<void> handle_readyz(RequestContext& ctx) {
  Worker& w = ctx.worker;
  // Ready when any account has (or can get) a Copilot token.
  copilot::TokenOutcome out;
  out.error = ApiError::unavailable("No GitHub account is configured.");
  for (size_t i = 0; i < w.gateway().account_count() && !out.ok(); ++i)
    out = co_await w.usable_token(i);
  if (!out.ok()) {
    ApiError e = out.error;
    e.status = 503;
    co_await send_error(ctx, e);
    co_return;
  }
  const copilot::TokenPtr& tok = out.token;
  const std::string body = std::string(R"({"status":"ready","copilot_token_expires_at":)") +
                           std::to_string(tok->is_static ? 0 : tok->token.expires_at) + "}";
  co_await send_json(ctx, http::status::ok, body);
}

Task<void> handle_metrics(RequestContext& ctx) {
  const std::string text = ctx.worker.gateway().metrics().render();
  co_await send_body(ctx, 200, metrics::kPrometheusContentType, text);
}

}  // namespace cg::server
