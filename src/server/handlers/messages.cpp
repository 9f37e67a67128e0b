// POST /v1/messages (also under /anthropic/v1): the Anthropic Messages API. The body is parsed
// into the canonical request (validation, X-Initiator, vision), the model name resolved against
// the catalog, and the upstream endpoint chosen per model: Copilot's native /v1/messages when the
// model offers it (bytes forwarded, only the model id rewritten), else /chat/completions or
// /responses with the request, answer and stream translated (server/translated_call.h).
// Errors are Anthropic-shaped. Worker thread.
#include "copilot/initiator.h"
#include "copilot/model_routing.h"
#include "server/catalog_access.h"
#include "server/copilot_call.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/translated_call.h"
#include "server/translating_relay.h"
#include "server/worker.h"
#include "translate/from_anthropic_request.h"
#include "wire/anthropic/usage.h"
#include "wire/json_edit.h"

namespace cg::server {

namespace {

constexpr uint64_t kMaxResponseBody = 256ull << 20;

bool beta_understood(std::string_view feature) {
  for (std::string_view prefix :
       {"interleaved-thinking-", "context-management-", "advanced-tool-use-",
        "fine-grained-tool-streaming-", "token-efficient-tools-"}) {
    if (feature.starts_with(prefix)) return true;
  }
  return false;
}

// anthropic-version (the client's, else 2023-06-01) and the anthropic-beta features Copilot's
// /v1/messages understands, as header lines.
std::string anthropic_header_lines(const h1::Request& req) {
  std::string lines("anthropic-version: ");
  std::string_view version = req["anthropic-version"];
  lines.append(version.empty() ? std::string_view("2023-06-01") : version).append("\r\n");
  std::string beta;
  std::string_view list = req["anthropic-beta"];
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (beta_understood(item)) {
      if (!beta.empty()) beta.push_back(',');
      beta.append(item);
    }
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  if (!beta.empty()) lines.append("anthropic-beta: ").append(beta).append("\r\n");
  return lines;
}

// The native path: the client's bytes go to Copilot's /v1/messages (model id rewritten when the
// client used another spelling) and the answer comes back unchanged.
Task<void> forward_native(RequestContext& ctx, const translate::Request& req,
                          const wire::copilot::ModelInfo& model) {
  std::string& body = ctx.req.body();
  if (model.id != req.model) {
    if (auto edited = wire::set_top_level_string(body, "model", model.id))
      body = std::move(*edited);
  }
  const std::string extra_headers = anthropic_header_lines(ctx.req);
  CopilotCallSpec spec;
  spec.endpoint = "/v1/messages";
  spec.metric_label = "messages";
  spec.intent = "messages-proxy";
  spec.initiator = ctx.initiator;
  spec.vision = copilot::has_image(req);
  spec.extra_headers = extra_headers;
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
    wire::anthropic::read_stream_usage(*answer, ctx.prompt_tokens, ctx.completion_tokens);
    co_await send_body(ctx, 200, "application/json", *answer);
  } else {
    AnthropicPassThrough relay(ctx);
    co_await relay_stream(ctx, call, relay);
  }
}

}  // namespace

Task<void> handle_messages(RequestContext& ctx) {
  Worker& w = ctx.worker;
  auto parsed = translate::from_anthropic_request(ctx.req.body());
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
      copilot::choose_upstream(model, copilot::ClientApi::kMessages, w.cfg().api.native_messages);
  if (api == copilot::UpstreamApi::kMessages) {
    co_await forward_native(ctx, req, model);
  } else {
    co_await serve_translated(ctx, req, copilot::ClientApi::kMessages, model, api, req.model);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
  w.metrics().chat_completion_done(ctx.model, req.stream, ctx.status, seconds);
}

}  // namespace cg::server
