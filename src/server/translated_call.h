// Serving a request in another wire format than the upstream endpoint that must answer it: the
// canonical request is emitted in the upstream's format, sent, and the answer (whole or streamed)
// translated back into the client's format. Used by every API handler whenever client and
// upstream formats differ (the same format is forwarded byte for byte by the handler itself).
// Worker thread only.
#pragma once
#include <string>

#include "copilot/model_routing.h"
#include "server/request_context.h"
#include "translate/canonical.h"
#include "wire/copilot/catalog.h"

namespace cg::server {

// `req` (already validated; X-Initiator and vision taken from it) stays alive until the call
// completes; `client_model` is the name the client asked for (echoed in answers).
// `req`, `model` by reference to objects owned by the caller's frame; the strings by value (see
// the note on coroutine arguments in respond.cpp).
Task<void> serve_translated(RequestContext& ctx, const translate::Request& req,
                            copilot::ClientApi client, const wire::copilot::ModelInfo& model,
                            copilot::UpstreamApi upstream, std::string client_model);

}  // namespace cg::server
