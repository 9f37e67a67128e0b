// See api_request.h.
#include "server/api_request.h"

#include <chrono>

#include "copilot/initiator.h"
#include "server/affinity_key.h"
#include "server/catalog_access.h"
#include "server/copilot_call.h"
#include "server/gateway.h"
#include "server/respond.h"
#include "server/translated_call.h"
#include "server/worker.h"
#include "wire/json_edit.h"

namespace cg::server {

namespace {

constexpr uint64_t kMaxResponseBody = 256ull << 20;

copilot::UpstreamApi native_api(copilot::ClientApi client) {
  return client == copilot::ClientApi::kMessages ? copilot::UpstreamApi::kMessages
                                                 : copilot::UpstreamApi::kResponses;
}

// The client's bytes go to the endpoint of its own format (model id rewritten when the client
// used another spelling) and the answer comes back unchanged.
Task<void> forward_native(RequestContext& ctx, const translate::Request& req,
                          const wire::copilot::ModelInfo& model, const NativeFormat& native) {
  std::string& body = ctx.req.body();
  if (model.id != req.model) {
    if (auto edited = wire::set_top_level_string(body, "model", model.id))
      body = std::move(*edited);
  }
  CopilotCallSpec spec;
  spec.endpoint = native.endpoint;
  spec.metric_label = native.metric_label;
  spec.intent = native.intent;
  spec.initiator = ctx.initiator;
  spec.vision = copilot::has_image(req);
  spec.extra_headers = native.extra_headers;
  spec.body = body;
  spec.model = model.id;
  if (ctx.worker.gateway().account_count() > 1)
    spec.affinity_key = request_affinity_key(ctx.req, req);
  std::unique_ptr<UpstreamCall> started = co_await call_copilot(ctx, spec);
  if (!started) co_return;
  UpstreamCall& call = *started;
  if (!req.stream) {
    auto answer = co_await read_upstream_body(ctx.worker, call, kMaxResponseBody);
    if (!answer) {
      co_await send_error(ctx, std::move(answer).error());
      co_return;
    }
    native.read_usage(*answer, ctx.prompt_tokens, ctx.completion_tokens);
    co_await send_body(ctx, 200, "application/json", *answer);
  } else {
    co_await relay_stream(ctx, call, *native.relay);
  }
}

}  // namespace

Task<void> serve_api_request(RequestContext& ctx, Result<translate::Request> parsed,
                             copilot::ClientApi client, NativeFormat native) {
  Worker& w = ctx.worker;
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
      copilot::choose_upstream(model, client, w.cfg().api.native_messages);
  if (api == native_api(client)) {
    co_await forward_native(ctx, req, model, native);
  } else {
    co_await serve_translated(ctx, req, client, model, api, req.model);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
  w.metrics().chat_completion_done(ctx.model, req.stream, ctx.status, seconds);
}

}  // namespace cg::server
