// GET /v1/models and /v1/models/{id}: the upstream catalog in OpenAI shape, with Copilot
// metadata as extra fields, or in Anthropic shape for Anthropic clients (anthropic-version).
// The worker keeps the last catalog it saw until it expires; misses go to the control thread's
// ModelService, which coalesces them into one upstream call.
#include "wire/anthropic/models.h"
#include "copilot/model_routing.h"
#include "copilot/model_service.h"
#include "copilot/token_manager.h"
#include "server/catalog_access.h"
#include "server/gateway.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/worker.h"
#include "wire/openai/models.h"

namespace cg::server {

Task<void> handle_models(RequestContext& ctx) {
  Worker& w = ctx.worker;
  auto fetched = co_await worker_catalog(w);
  if (!fetched) {
    co_await send_error(ctx, std::move(fetched).error());
    co_return;
  }
  copilot::ModelsPtr models = *fetched;
  // /models/{id} accepts the names clients use (aliases, dated Claude names).
  std::string id(ctx.route.param);
  if (const wire::copilot::ModelInfo* m =
          copilot::resolve_model(models->catalog, id, w.cfg().api.model_aliases)) {
    id = m->id;
  }
  if (ctx.format == ApiFormat::kAnthropic) {
    // The Anthropic SDKs list models on the same path; they always send anthropic-version.
    const int64_t created = models->fetched_at_ms / 1000;
    if (ctx.route.route == Route::kModels) {
      const std::string page = wire::anthropic::render_models(
          models->catalog, created, wire::anthropic::parse_model_page(ctx.req.target()));
      co_await send_json(ctx, http::status::ok, page);
      co_return;
    }
    auto one = wire::anthropic::render_model(models->catalog, id, created);
    if (!one) {
      co_await send_error(ctx, ApiError::not_found("The model '" + std::string(ctx.route.param) +
                                                       "' does not exist.",
                                                   "model_not_found"));
      co_return;
    }
    co_await send_json(ctx, http::status::ok, *one);
    co_return;
  }
  if (ctx.route.route == Route::kModels) {
    co_await send_json(ctx, http::status::ok, models->openai_json);
    co_return;
  }
  auto one = wire::openai::render_model(models->catalog, id, models->fetched_at_ms / 1000);
  if (!one) {
    co_await send_error(
        ctx, ApiError::not_found("The model '" + std::string(ctx.route.param) + "' does not exist.",
                                 "model_not_found"));
    co_return;
  }
  co_await send_json(ctx, http::status::ok, std::move(*one));
}

}  // namespace cg::server
