// POST /v1/messages (also under /anthropic/v1): the Anthropic Messages API. The body is parsed
// into the canonical request (validation, X-Initiator, vision), the model name resolved against
// the catalog, and the upstream endpoint chosen per model: Copilot's native /v1/messages when the
// model offers it (bytes forwarded, only the model id rewritten), else /chat/completions or
// /responses with the request, answer and stream translated (server/translated_call.h).
// Errors are Anthropic-shaped. Worker thread.
#include "server/api_request.h"
#include "server/handlers/handlers.h"
#include "server/translating_relay.h"
#include "translate/from_anthropic_request.h"
#include "wire/anthropic/usage.h"

namespace cg::server {

namespace {

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

}  // namespace

Task<void> handle_messages(RequestContext& ctx) {
  AnthropicPassThrough relay(ctx);
  NativeFormat native;
  native.endpoint = "/v1/messages";
  native.metric_label = "messages";
  native.intent = "messages-proxy";
  native.extra_headers = anthropic_header_lines(ctx.req);
  native.read_usage = &wire::anthropic::read_stream_usage;
  native.relay = &relay;
  co_await serve_api_request(ctx, translate::from_anthropic_request(ctx.req.body()),
                             copilot::ClientApi::kMessages, std::move(native));
}

}  // namespace cg::server
