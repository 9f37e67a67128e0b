// POST /v1/messages (also under /anthropic/v1): the Anthropic Messages API. The body is parsed
// into the canonical request (validation, X-Initiator, vision), the model name resolved against
// the catalog, and the upstream endpoint chosen per model: Copilot's native /v1/messages when the
// model offers it (bytes forwarded, only the model id rewritten), else /chat/completions with
// the request, answer and stream translated. Errors are Anthropic-shaped. Worker thread.
#include "copilot/initiator.h"
#include "copilot/model_routing.h"
#include "core/ids.h"
#include "server/catalog_access.h"
#include "server/copilot_call.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/translating_relay.h"
#include "server/worker.h"
#include "translate/anthropic_stream_encoder.h"
#include "translate/chat_stream_decoder.h"
#include "translate/from_anthropic_request.h"
#include "translate/from_chat_response.h"
#include "translate/to_anthropic_response.h"
#include "translate/to_chat_request.h"
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

translate::ChatTarget chat_target(const wire::copilot::ModelInfo& m) {
  translate::ChatTarget t;
  t.model = m.id;
  t.copilot_reasoning = m.vendor == "Anthropic" || m.id.starts_with("claude");
  t.max_output_tokens = m.max_output_tokens;
  if (m.min_thinking_budget > 0) t.min_thinking_budget = m.min_thinking_budget;
  if (m.max_thinking_budget > 0) t.max_thinking_budget = m.max_thinking_budget;
  // OpenAI reasoning models take max_completion_tokens.
  t.max_completion_tokens = m.id.starts_with("o1") || m.id.starts_with("o3") ||
                            m.id.starts_with("o4") || m.id.starts_with("gpt-5");
  return t;
}

}  // namespace

Task<void> handle_messages(RequestContext& ctx) {
  Worker& w = ctx.worker;
  const Config& cfg = w.cfg();

  auto parsed = translate::from_anthropic_request(ctx.req.body());
  if (!parsed) {
    co_await send_error(ctx, std::move(parsed).error());
    co_return;
  }
  translate::Request& req = *parsed;
  ctx.model = req.model;
  ctx.stream_mode = req.stream;

  auto catalog = co_await worker_catalog(w);
  if (!catalog) {
    co_await send_error(ctx, std::move(catalog).error());
    co_return;
  }
  const copilot::ModelsPtr models = *catalog;
  const wire::copilot::ModelInfo* model =
      copilot::resolve_model(models->catalog, req.model, cfg.api.model_aliases);
  if (!model) {
    co_await send_error(
        ctx, ApiError::not_found(copilot::unknown_model_message(models->catalog, req.model),
                                 "model_not_found"));
    co_return;
  }
  ctx.model = model->id;
  ctx.initiator = copilot::to_string(copilot::canonical_initiator(req));
  const size_t images = copilot::image_count(req);
  if (images) w.metrics().image_attachments(images);
  const std::string message_id = new_token_id("msg_", 24);
  const std::string client_model = req.model;

  const copilot::UpstreamApi api =
      copilot::choose_upstream(*model, copilot::ClientApi::kMessages, cfg.api.native_messages);
  if (api == copilot::UpstreamApi::kResponses) {
    co_await send_error(
        ctx, ApiError::bad_request("The model '" + model->id +
                                       "' is served only by Copilot's Responses API, which the "
                                       "Messages endpoint cannot reach yet.",
                                   "unsupported_api_for_model", "model"));
    co_return;
  }

  std::string upstream_body;
  std::string extra_headers;
  CopilotCallSpec spec;
  spec.initiator = ctx.initiator;
  spec.vision = images > 0;
  if (api == copilot::UpstreamApi::kMessages) {
    std::string& body = ctx.req.body();
    if (model->id != req.model) {
      auto edited = wire::set_top_level_string(body, "model", model->id);
      if (edited) body = std::move(*edited);
    }
    extra_headers = anthropic_header_lines(ctx.req);
    spec.endpoint = "/v1/messages";
    spec.metric_label = "messages";
    spec.intent = "messages-proxy";
    spec.extra_headers = extra_headers;
    spec.body = body;
  } else {
    auto chat = translate::to_chat_request(req, chat_target(*model));
    if (!chat) {
      co_await send_error(ctx, std::move(chat).error());
      co_return;
    }
    upstream_body = std::move(*chat);
    spec.endpoint = "/chat/completions";
    spec.metric_label = "chat";
    spec.body = upstream_body;
  }

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
    auto answer = co_await read_upstream_body(w, call, kMaxResponseBody);
    if (!answer) {
      co_await send_error(ctx, std::move(answer).error());
    } else if (api == copilot::UpstreamApi::kMessages) {
      wire::anthropic::read_stream_usage(*answer, ctx.prompt_tokens, ctx.completion_tokens);
      co_await send_body(ctx, 200, "application/json", *answer);
    } else {
      auto canonical = translate::from_chat_response(*answer);
      if (!canonical) {
        co_await send_error(ctx, std::move(canonical).error());
      } else {
        if (canonical->usage.known) {
          ctx.prompt_tokens = canonical->usage.input_tokens;
          ctx.completion_tokens = canonical->usage.output_tokens;
        }
        const std::string out =
            translate::to_anthropic_response(*canonical, message_id, client_model);
        co_await send_body(ctx, 200, "application/json", out);
      }
    }
  } else if (api == copilot::UpstreamApi::kMessages) {
    AnthropicPassThrough relay(ctx);
    co_await relay_stream(ctx, call, relay);
  } else {
    TranslatingRelay<translate::ChatStreamDecoder, translate::AnthropicStreamEncoder> relay(
        ctx, translate::AnthropicStreamEncoder(message_id, client_model));
    co_await relay_stream(ctx, call, relay);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
  w.metrics().chat_completion_done(ctx.model, req.stream, ctx.status, seconds);
}

}  // namespace cg::server
