// See translated_call.h.
#include "server/translated_call.h"

#include <chrono>

#include "copilot/initiator.h"
#include "core/ids.h"
#include "server/affinity_key.h"
#include "server/copilot_call.h"
#include "server/gateway.h"
#include "server/respond.h"
#include "server/translating_relay.h"
#include "server/worker.h"
#include "translate/anthropic_stream_decoder.h"
#include "translate/anthropic_stream_encoder.h"
#include "translate/chat_stream_decoder.h"
#include "translate/chat_stream_encoder.h"
#include "translate/from_anthropic_response.h"
#include "translate/from_chat_response.h"
#include "translate/from_responses_response.h"
#include "translate/responses_stream_decoder.h"
#include "translate/responses_stream_encoder.h"
#include "translate/to_anthropic_request.h"
#include "translate/to_anthropic_response.h"
#include "translate/to_chat_request.h"
#include "translate/to_chat_response.h"
#include "translate/to_responses_request.h"
#include "translate/to_responses_response.h"

namespace cg::server {

namespace {

using copilot::ClientApi;
using copilot::UpstreamApi;

constexpr uint64_t kMaxResponseBody = 256ull << 20;

int64_t unix_now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

translate::ChatTarget chat_target(const wire::copilot::ModelInfo& m) {
  translate::ChatTarget t;
  t.model = m.id;
  t.copilot_reasoning = copilot::is_claude(m);
  t.max_output_tokens = m.max_output_tokens;
  if (m.min_thinking_budget > 0) t.min_thinking_budget = m.min_thinking_budget;
  if (m.max_thinking_budget > 0) t.max_thinking_budget = m.max_thinking_budget;
  // OpenAI reasoning models take max_completion_tokens.
  t.max_completion_tokens = m.id.starts_with("o1") || m.id.starts_with("o3") ||
                            m.id.starts_with("o4") || m.id.starts_with("gpt-5");
  return t;
}

Result<std::string> upstream_body(const translate::Request& req,
                                  const wire::copilot::ModelInfo& model, UpstreamApi api) {
  switch (api) {
    case UpstreamApi::kChat:
      return translate::to_chat_request(req, chat_target(model));
    case UpstreamApi::kResponses: {
      translate::ResponsesTarget t;
      t.model = model.id;
      t.max_output_tokens = model.max_output_tokens;
      return translate::to_responses_request(req, t);
    }
    case UpstreamApi::kMessages: {
      translate::AnthropicTarget t;
      t.model = model.id;
      t.max_output_tokens = model.max_output_tokens;
      return translate::to_anthropic_request(req, t);
    }
  }
  return ApiError::internal("unknown upstream API");
}

Result<translate::Response> parse_answer(std::string_view body, UpstreamApi api) {
  if (api == UpstreamApi::kResponses) return translate::from_responses_response(body);
  if (api == UpstreamApi::kMessages) return translate::from_anthropic_response(body);
  return translate::from_chat_response(body);
}

// The ids of one answer, made once so that a stream and its final object agree.
struct AnswerIds {
  std::string id;
  int64_t created = 0;
};

AnswerIds answer_ids(ClientApi client) {
  switch (client) {
    case ClientApi::kMessages:
      return {new_token_id("msg_", 24), 0};
    case ClientApi::kResponses:
      return {new_token_id("resp_", 24), unix_now_s()};
    case ClientApi::kChat:
      break;
  }
  return {new_token_id("chatcmpl-", 24), unix_now_s()};
}

std::string render_answer(const translate::Response& r, const translate::Request& req,
                          ClientApi client, const AnswerIds& ids, const std::string& model) {
  if (client == ClientApi::kResponses) {
    return translate::to_responses_response(
        r, translate::ResponsesEnvelope{ids.id, ids.created, model}, &req);
  }
  if (client == ClientApi::kChat) {
    return translate::to_chat_response(r, translate::ChatEnvelope{ids.id, ids.created, model});
  }
  return translate::to_anthropic_response(r, ids.id, model);
}

template <class Decoder>
Task<void> relay_to_client(RequestContext& ctx, UpstreamCall& call, const translate::Request& req,
                           ClientApi client, const AnswerIds& ids, const std::string& model) {
  if (client == ClientApi::kResponses) {
    TranslatingRelay<Decoder, translate::ResponsesStreamEncoder> relay(
        ctx, translate::ResponsesStreamEncoder(
                 translate::ResponsesEnvelope{ids.id, ids.created, model}, &req));
    co_await relay_stream(ctx, call, relay);
  } else if (client == ClientApi::kChat) {
    TranslatingRelay<Decoder, translate::ChatStreamEncoder> relay(
        ctx, translate::ChatStreamEncoder(translate::ChatEnvelope{ids.id, ids.created, model},
                                          req.include_usage));
    co_await relay_stream(ctx, call, relay);
  } else {
    TranslatingRelay<Decoder, translate::AnthropicStreamEncoder> relay(
        ctx, translate::AnthropicStreamEncoder(ids.id, model));
    co_await relay_stream(ctx, call, relay);
  }
}

}  // namespace

Task<void> serve_translated(RequestContext& ctx, const translate::Request& req, ClientApi client,
                            const wire::copilot::ModelInfo& model, UpstreamApi upstream,
                            std::string client_model) {
  Worker& w = ctx.worker;
  auto body = upstream_body(req, model, upstream);
  if (!body) {
    co_await send_error(ctx, std::move(body).error());
    co_return;
  }
  const AnswerIds ids = answer_ids(client);
  CopilotCallSpec spec;
  spec.endpoint = copilot::endpoint_path(upstream);
  spec.metric_label = upstream == UpstreamApi::kResponses  ? "responses"
                      : upstream == UpstreamApi::kMessages ? "messages"
                                                           : "chat";
  if (upstream == UpstreamApi::kMessages) {
    spec.intent = "messages-proxy";
    spec.extra_headers = "anthropic-version: 2023-06-01\r\n";
  }
  spec.initiator = ctx.initiator;
  spec.vision = copilot::has_image(req);
  spec.body = *body;
  spec.model = model.id;
  if (w.gateway().account_count() > 1) spec.affinity_key = request_affinity_key(ctx.req, req);
  std::unique_ptr<UpstreamCall> started = co_await call_copilot(ctx, spec);
  if (!started) co_return;
  UpstreamCall& call = *started;
  if (!req.stream) {
    auto answer = co_await read_upstream_body(w, call, kMaxResponseBody);
    if (!answer) {
      co_await send_error(ctx, std::move(answer).error());
      co_return;
    }
    auto canonical = parse_answer(*answer, upstream);
    if (!canonical) {
      co_await send_error(ctx, std::move(canonical).error());
      co_return;
    }
    if (canonical->usage.known) {
      ctx.prompt_tokens = canonical->usage.input_tokens;
      ctx.completion_tokens = canonical->usage.output_tokens;
    }
    const std::string out = render_answer(*canonical, req, client, ids, client_model);
    co_await send_body(ctx, 200, "application/json", out);
    co_return;
  }
  if (upstream == UpstreamApi::kResponses) {
    co_await relay_to_client<translate::ResponsesStreamDecoder>(ctx, call, req, client, ids,
                                                                client_model);
  } else if (upstream == UpstreamApi::kMessages) {
    co_await relay_to_client<translate::AnthropicStreamDecoder>(ctx, call, req, client, ids,
                                                                client_model);
  } else {
    co_await relay_to_client<translate::ChatStreamDecoder>(ctx, call, req, client, ids,
                                                           client_model);
  }
}

}  // namespace cg::server
