// POST /v1/embeddings: forwarded to Copilot's /embeddings after one scan of the body for the
// model (resolved against the catalog, aliases applied); the answer (float or base64 vectors, as
// the client asked) comes back unchanged. Worker thread.
#include "server/catalog_access.h"
#include "server/copilot_call.h"
#include "server/handlers/handlers.h"
#include "server/respond.h"
#include "server/worker.h"
#include "wire/json_edit.h"
#include "wire/json_scan.h"

namespace cg::server {

namespace {

constexpr uint64_t kMaxResponseBody = 256ull << 20;

// The top-level "model" string; a 400 for a body that is not a JSON object or has no model.
Result<std::string> scan_model(std::string_view body) {
  wire::JsonScanner s(body);
  if (s.peek_kind() != wire::JsonKind::kObject || !s.enter_object()) {
    return ApiError::bad_request("The request body must be a JSON object.", "invalid_json");
  }
  std::string model;
  bool have_input = false;
  wire::JsonMember m;
  while (s.next_member(m)) {
    if (wire::string_equals(body, m.key, "model") && s.peek_kind() == wire::JsonKind::kString) {
      if (!s.read_string(model)) break;
    } else {
      if (wire::string_equals(body, m.key, "input")) have_input = true;
      if (!s.skip_value()) break;
    }
  }
  if (!s.ok() || !s.finish()) {
    return ApiError::bad_request(std::string("Invalid JSON body: ") + s.error() + ".",
                                 "invalid_json");
  }
  if (model.empty())
    return ApiError::bad_request("you must provide a model parameter", {}, "model");
  if (!have_input) return ApiError::bad_request("'input' is a required property", {}, "input");
  return model;
}

}  // namespace

Task<void> handle_embeddings(RequestContext& ctx) {
  Worker& w = ctx.worker;
  std::string& body = ctx.req.body();
  auto model_name = scan_model(body);
  if (!model_name) {
    co_await send_error(ctx, std::move(model_name).error());
    co_return;
  }
  ctx.model = *model_name;
  auto resolved = co_await resolve_request_model(w, *model_name);
  if (!resolved) {
    co_await send_error(ctx, std::move(resolved).error());
    co_return;
  }
  const wire::copilot::ModelInfo& model = *resolved->info;
  ctx.model = model.id;
  if (model.id != *model_name) {
    if (auto edited = wire::set_top_level_string(body, "model", model.id))
      body = std::move(*edited);
  }
  CopilotCallSpec spec;
  spec.endpoint = "/embeddings";
  spec.metric_label = "embeddings";
  spec.body = body;
  spec.model = model.id;
  std::unique_ptr<UpstreamCall> started = co_await call_copilot(ctx, spec);
  if (!started) co_return;
  UpstreamCall& call = *started;
  auto answer = co_await read_upstream_body(w, call, kMaxResponseBody);
  if (!answer) {
    co_await send_error(ctx, std::move(answer).error());
    co_return;
  }
  co_await send_body(ctx, 200, "application/json", *answer);
}

}  // namespace cg::server
