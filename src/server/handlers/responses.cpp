// POST /v1/responses: the OpenAI Responses API. The body is parsed into the canonical request
// (validation, X-Initiator from the last input item, vision), the model resolved, and the
// upstream chosen per model: Copilot's /responses when the model offers it (bytes forwarded, only
// the model id rewritten; reasoning items and encrypted content pass untouched), else
// /chat/completions with the request, answer and stream translated. Worker thread.
#include "copilot/initiator.h"
#include "copilot/model_routing.h"
#include "server/catalog_access.h"
#include "server/copilot_call.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/translated_call.h"
#include "server/translating_relay.h"
#include "server/worker.h"
#include "translate/from_responses_request.h"
#include "wire/json_edit.h"
#include "wire/openai/responses_events.h"

namespace cg::server {

namespace {

constexpr uint64_t kMaxResponseBody = 256ull << 20;

Task<void> forward_native(RequestContext& ctx, const translate::Request& req,
                          const wire::copilot::ModelInfo& model) {
  std::string& body = ctx.req.body();
  if (model.id != req.model) {
    if (auto edited = wire::set_top_level_string(body, "model", model.id))
      body = std::move(*edited);
  }
  CopilotCallSpec spec;
  spec.endpoint = "/responses";
  spec.metric_label = "responses";
  spec.initiator = ctx.initiator;
  spec.vision = copilot::has_image(req);
  spec.body = body;
  auto started = co_await call_copilot(ctx, spec);
  if (!started) {
    co_await send_error(ctx, std::move(started).error());
    co_return;
  }
  UpstreamCall& call = **started;
  if (call.status() != 200) {
    ApiError failure = co_await upstream_failure(ctx, call);
    co_await send_error(ctx, std::move(failure));
  } else if (!req.stream) {
    auto answer = co_await read_upstream_body(ctx.worker, call, kMaxResponseBody);
    if (!answer) {
      co_await send_error(ctx, std::move(answer).error());
      co_return;
    }
    wire::openai::read_responses_usage(*answer, ctx.prompt_tokens, ctx.completion_tokens);
    co_await send_body(ctx, 200, "application/json", *answer);
  } else {
    ResponsesPassThrough relay(ctx);
    co_await relay_stream(ctx, call, relay);
  }
}

}  // namespace

Task<void> handle_responses(RequestContext& ctx) {
  Worker& w = ctx.worker;
  auto parsed = translate::from_responses_request(ctx.req.body());
  if (!parsed) {
    co_await send_error(ctx, std::move(parsed).error());
    co_return;
  }
  const translate::Request& req = *parsed;
  ctx.model = req.model;
  ctx.stream_mode = req.stream;
  auto resolved = co_await resolve_request_model(w, req.model);
  if (!resolved) {
    co_await send_error(ctx, std::move(resolved).error());
    co_return;
  }
  const wire::copilot::ModelInfo& model = *resolved->info;
  ctx.model = model.id;
  ctx.initiator = copilot::to_string(copilot::canonical_initiator(req));
  if (const size_t images = copilot::image_count(req)) w.metrics().image_attachments(images);

  const copilot::UpstreamApi api =
      copilot::choose_upstream(model, copilot::ClientApi::kResponses, w.cfg().api.native_messages);
  if (api == copilot::UpstreamApi::kResponses) {
    co_await forward_native(ctx, req, model);
  } else {
    co_await serve_translated(ctx, req, copilot::ClientApi::kResponses, model, api, req.model);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
  w.metrics().chat_completion_done(ctx.model, req.stream, ctx.status, seconds);
}

}  // namespace cg::server
