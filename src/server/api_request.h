// What the Messages and Responses handlers share once the body is parsed: the model resolved, the
// X-Initiator and vision decided from the canonical request, the upstream chosen per model, then
// either the client's bytes forwarded to the endpoint of its own format (model id rewritten,
// answer and stream passed back unchanged) or the translated call (server/translated_call.h).
// Worker thread only.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "copilot/model_routing.h"
#include "core/result.h"
#include "server/request_context.h"
#include "server/stream_relay.h"
#include "translate/canonical.h"

namespace cg::server {

// How the client's own format is forwarded when the model's endpoint speaks it.
struct NativeFormat {
  std::string_view endpoint;      // "/v1/messages", "/responses"
  std::string_view metric_label;  // "messages", "responses"
  std::string_view intent;        // openai-intent
  std::string extra_headers;      // "name: value\r\n" lines
  // Token usage of a whole answer, for the access log.
  void (*read_usage)(std::string_view answer, int64_t& input, int64_t& output) = nullptr;
  RelayHandler* relay = nullptr;  // passes a stream through (owned by the caller's frame)
};

// `parsed`: the body as the client format's parser left it (an error is answered as is).
// By value: see the note on coroutine arguments in respond.cpp.
Task<void> serve_api_request(RequestContext& ctx, Result<translate::Request> parsed,
                             copilot::ClientApi client, NativeFormat native);

}  // namespace cg::server
