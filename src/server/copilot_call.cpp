// See copilot_call.h.
#include "server/copilot_call.h"

#include "core/ids.h"
#include "server/gateway.h"
#include "server/respond.h"
#include "server/worker.h"
#include "wire/openai/errors.h"

namespace cg::server {

namespace {

constexpr uint64_t kMaxErrorBody = 1 << 20;

// Reads a failed call's error body and turns it into an ApiError with the upstream status and
// retry-after (secrets scrubbed).
Task<ApiError> upstream_failure(RequestContext& ctx, UpstreamCall& call) {
  const int status = call.status();
  std::string retry_after(call.head()[http::field::retry_after]);
  auto err_body = co_await read_upstream_body(ctx.worker, call, kMaxErrorBody);
  ApiError e = err_body ? wire::openai::upstream_error(status, *err_body) : err_body.error();
  if (err_body) e.status = status;
  e.retry_after = retry_after;
  co_return e;
}

}  // namespace

Task<std::unique_ptr<UpstreamCall>> call_copilot(RequestContext& ctx, CopilotCallSpec spec) {
  Worker& w = ctx.worker;
  copilot::TokenPtr tok = w.published_usable_token();
  if (!tok) {
    copilot::TokenOutcome first = co_await w.usable_token();
    if (!first.ok()) {
      co_await send_error(ctx, std::move(first.error));
      co_return nullptr;
    }
    tok = first.token;
  }
  std::string headers;
  headers.reserve(768 + spec.extra_headers.size());
  for (int attempt = 0;; ++attempt) {
    const std::string upstream_request_id = new_uuid();
    headers.clear();
    headers.append(w.copilot_header_lines(spec.intent));
    copilot::append_call_copilot_headers(
        headers, copilot::CallInfo{tok->token.token, upstream_request_id, spec.initiator,
                                   spec.vision, spec.intent});
    headers.append(spec.extra_headers);
    // A named object, not a temporary: see the note on coroutine arguments in respond.cpp.
    const UpstreamRequest request{"POST", tok->api.base_path, spec.endpoint, headers, spec.body};
    auto started = co_await start_upstream_call(w, ctx.deadline, tok->api, request);
    if (!started) {
      w.metrics().upstream_request(spec.metric_label, started.error().status);
      co_await send_error(ctx, std::move(started).error());
      co_return nullptr;
    }
    std::unique_ptr<UpstreamCall> call = std::move(*started);
    w.metrics().upstream_request(spec.metric_label, call->status());
    if (call->status() == 401 && attempt == 0 && !tok->is_static) {
      // The token expired or was revoked early: refresh once (shared with every other request
      // that saw the same token fail) and retry.
      (void)co_await read_upstream_body(w, *call, kMaxErrorBody);
      copilot::TokenOutcome out = co_await w.usable_token(tok);
      if (!out.ok()) {
        co_await send_error(ctx, std::move(out.error));
        co_return nullptr;
      }
      tok = out.token;
      continue;
    }
    ctx.upstream_status = call->status();
    ctx.ttfb_s = call->ttfb_s;
    w.metrics().ttfb(call->ttfb_s);
    if (call->status() != 200) {
      ApiError failure = co_await upstream_failure(ctx, *call);
      co_await send_error(ctx, std::move(failure));
      co_return nullptr;
    }
    co_return call;
  }
}

}  // namespace cg::server
