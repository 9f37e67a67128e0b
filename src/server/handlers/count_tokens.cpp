// POST /v1/messages/count_tokens: the input tokens of an Anthropic Messages request, counted
// locally with the exact o200k_base BPE (translate/count_tokens.h documents the overheads and the
// Claude correction). No upstream call. Worker thread.
#include "translate/count_tokens.h"
#include "copilot/model_routing.h"
#include "server/catalog_access.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/worker.h"
#include "translate/from_anthropic_request.h"

namespace cg::server {

Task<void> handle_count_tokens(RequestContext& ctx) {
  Worker& w = ctx.worker;
  translate::AnthropicParseOptions opts;
  opts.require_max_tokens = false;
  auto parsed = translate::from_anthropic_request(ctx.req.body(), opts);
  if (!parsed) {
    co_await send_error(ctx, std::move(parsed).error());
    co_return;
  }
  ctx.model = parsed->model;
  auto catalog = co_await worker_catalog(w);
  if (!catalog) {
    co_await send_error(ctx, std::move(catalog).error());
    co_return;
  }
  const wire::copilot::ModelInfo* model =
      copilot::resolve_model((*catalog)->catalog, parsed->model, w.cfg().api.model_aliases);
  if (!model) {
    co_await send_error(
        ctx, ApiError::not_found(copilot::unknown_model_message((*catalog)->catalog, parsed->model),
                                 "model_not_found"));
    co_return;
  }
  ctx.model = model->id;
  translate::CountOptions count;
  count.claude = copilot::is_claude(*model);
  const int64_t n = translate::count_input_tokens(*parsed, count);
  ctx.prompt_tokens = n;
  const std::string body = "{\"input_tokens\":" + std::to_string(n) + "}";
  co_await send_json(ctx, http::status::ok, body);
}

}  // namespace cg::server
