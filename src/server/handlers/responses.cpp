// POST /v1/responses: the OpenAI Responses API. The body is parsed into the canonical request
// (validation, X-Initiator from the last input item, vision), the model resolved, and the
// upstream chosen per model: Copilot's /responses when the model offers it (bytes forwarded, only
// the model id rewritten; reasoning items and encrypted content pass untouched), else
// /chat/completions with the request, answer and stream translated. Worker thread.
#include "copilot/headers.h"
#include "server/api_request.h"
#include "server/handlers/handlers.h"
#include "server/translating_relay.h"
#include "translate/from_responses_request.h"
#include "wire/openai/responses_events.h"

namespace cg::server {

Task<void> handle_responses(RequestContext& ctx) {
  ResponsesPassThrough relay(ctx);
  NativeFormat native;
  native.endpoint = "/responses";
  native.metric_label = "responses";
  native.intent = copilot::kChatIntent;
  native.read_usage = &wire::openai::read_responses_usage;
  native.relay = &relay;
  co_await serve_api_request(ctx, translate::from_responses_request(ctx.req.body()),
                             copilot::ClientApi::kResponses, std::move(native));
}

}  // namespace cg::server
