// POST /v1/chat/completions: the pass-through fast path. The body is scanned once without a DOM
// (model, stream, stream_options, last turn, images), rewritten only when something must change
// (model alias, stream_options, which Copilot does not take), and forwarded with the Copilot
// headers. Streams are relayed event by event as they arrive; a client that goes away closes the
// upstream connection at once. Worker thread.
#include "copilot/initiator.h"
#include "copilot/model_routing.h"
#include "core/find_bytes.h"
#include "server/affinity_key.h"
#include "server/catalog_access.h"
#include "server/copilot_call.h"
#include "server/gateway.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/stream_relay.h"
#include "server/translated_call.h"
#include "server/worker.h"
#include "translate/from_chat_request.h"
#include "wire/openai/chat_request.h"
#include "wire/openai/chat_response.h"
#include "wire/openai/errors.h"

namespace cg::server {

namespace {

constexpr uint64_t kMaxResponseBody = 256ull << 20;

// Chat stream to a chat client: events pass unchanged, except the usage-only chunk, which is
// passed on only when the client asked for `include_usage` (and synthesized when the upstream
// put usage on a content chunk), and a missing `[DONE]`, which is added.
class ChatPassThrough final : public RelayHandler {
 public:
  ChatPassThrough(RequestContext& ctx, bool include_usage)
      : ctx_(ctx), include_usage_(include_usage) {}

  void on_event(const sse::Event& e, std::string& out) override {
    if (e.data == "[DONE]") {
      if (include_usage_ && have_usage_ && !usage_sent_) {
        std::string chunk = wire::openai::make_usage_chunk("chatcmpl-usage", 0, ctx_.model, usage_);
        out.append("data: ").append(chunk).append("\n\n");
        usage_sent_ = true;
      }
      saw_done_ = true;
      out.append(e.raw);
      return;
    }
    // (Searched as `usage"`: its first and last bytes are rarely six apart in other JSON.)
    if (contains_bytes(e.data, "usage\"")) {
      if (auto u = wire::openai::find_usage(e.data)) {
        usage_ = *u;
        have_usage_ = true;
      }
      if (wire::openai::is_usage_only_chunk(e.data)) {
        if (include_usage_) {
          out.append(e.raw);
          usage_sent_ = true;
        }
        return;
      }
    }
    out.append(e.raw);
  }

  void on_end(std::string& out) override {
    if (!saw_done_) out.append("data: [DONE]\n\n");
    report();
  }

  void on_fail(const ApiError& e, std::string& out) override {
    out.append(wire::openai::error_event(e));
    report();
  }

 private:
  void report() {
    if (!have_usage_) return;
    ctx_.prompt_tokens = usage_.prompt_tokens;
    ctx_.completion_tokens = usage_.completion_tokens;
  }

  RequestContext& ctx_;
  bool include_usage_;
  bool saw_done_ = false, usage_sent_ = false, have_usage_ = false;
  wire::openai::Usage usage_;
};

// A chat request for a model whose endpoint is not /chat/completions: parsed into the canonical
// form and translated both ways.
Task<void> serve_other_api(RequestContext& ctx, const wire::copilot::ModelInfo& model,
                           std::string client_model) {
  auto parsed = translate::from_chat_request(ctx.req.body());
  if (!parsed) {
    co_await send_error(ctx, std::move(parsed).error());
    co_return;
  }
  const translate::Request& req = *parsed;
  const copilot::UpstreamApi api =
      copilot::choose_upstream(model, copilot::ClientApi::kChat, false);
  co_await serve_translated(ctx, req, copilot::ClientApi::kChat, model, api, client_model);
}

}  // namespace

Task<void> handle_chat_completions(RequestContext& ctx) {
  Worker& w = ctx.worker;
  const Config& cfg = w.cfg();
  std::string& body = ctx.req.body();

  auto scanned = wire::openai::scan_chat_request(body);
  if (!scanned) {
    co_await send_error(ctx, std::move(scanned).error());
    co_return;
  }
  const wire::openai::ChatRequestInfo& info = *scanned;
  ctx.model = info.model;
  ctx.stream_mode = info.stream;
  std::optional<std::string_view> alias;
  if (auto it = cfg.api.model_aliases.find(info.model); it != cfg.api.model_aliases.end()) {
    alias = it->second;
    ctx.model = it->second;
  }
  ctx.initiator = copilot::to_string(copilot::chat_initiator(info));
  if (info.image_count) w.metrics().image_attachments(info.image_count);

  // Models Copilot serves only through /responses (or /v1/messages) are reached by translation.
  // The worker's catalog snapshot lists them (fetched once when absent; no suspension after).
  copilot::ModelsPtr models = w.models;
  if (!models) {
    auto fetched = co_await worker_catalog(w);
    if (fetched) models = *fetched;
  }
  const wire::copilot::ModelInfo* other_api = nullptr;
  if (models) {
    for (const wire::copilot::ModelInfo* m : models->not_on_chat)
      if (m->id == ctx.model) other_api = m;
  }
  if (other_api) {
    co_await serve_other_api(ctx, *other_api, info.model);
    co_return;
  }

  // Copilot streams usage on its own and does not take stream_options: it is honoured here.
  const std::optional<std::string> rewritten =
      wire::openai::rewrite_chat_request(body, info, alias, info.has_stream_options);

  CopilotCallSpec spec;
  spec.endpoint = "/chat/completions";
  spec.metric_label = "chat";
  spec.initiator = ctx.initiator;
  spec.vision = info.has_image;
  spec.body = rewritten ? std::string_view(*rewritten) : std::string_view(body);
  spec.model = ctx.model;
  // A conversation key matters only when there is another account to choose.
  if (w.gateway().account_count() > 1) spec.affinity_key = chat_affinity_key(ctx.req, body, info);
  std::unique_ptr<UpstreamCall> started = co_await call_copilot(ctx, spec);
  if (!started) co_return;
  UpstreamCall& call = *started;

  if (!info.stream) {
    std::string content_type(call.head()[http::field::content_type]);
    auto answer = co_await read_upstream_body(w, call, kMaxResponseBody);
    if (!answer) {
      co_await send_error(ctx, std::move(answer).error());
    } else {
      if (auto u = wire::openai::find_usage(*answer)) {
        ctx.prompt_tokens = u->prompt_tokens;
        ctx.completion_tokens = u->completion_tokens;
      }
      if (content_type.empty()) content_type = "application/json";
      co_await send_body(ctx, 200, content_type, *answer);
    }
  } else {
    ChatPassThrough relay(ctx, info.include_usage);
    co_await relay_stream(ctx, call, relay);
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
  w.metrics().chat_completion_done(ctx.model, info.stream, ctx.status, seconds);
}

}  // namespace cg::server
