// Route handlers for the Copilot API side: GET /models, POST /chat/completions (plain and SSE,
// with simulated faults) and placeholders for endpoints not simulated yet. Worker-thread only.
#pragma once
#include "sim/exchange.h"

namespace cg::sim {

void handle_models(Exchange& ex);           // GET  /models
Task<bool> handle_chat(Exchange& ex);       // POST /chat/completions
void handle_not_implemented(Exchange& ex);  // /embeddings, /responses, /v1/messages (404)

}  // namespace cg::sim
