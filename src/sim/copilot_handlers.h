// Route handlers for the Copilot API side: GET /models, POST /chat/completions, /v1/messages,
// /responses and /embeddings (plain and SSE, with simulated faults). Worker-thread only.
#pragma once
#include "sim/exchange.h"

namespace cg::sim {

void handle_models(Exchange& ex);            // GET  /models
Task<bool> handle_chat(Exchange& ex);        // POST /chat/completions (copilot_handlers.cpp)
Task<bool> handle_messages(Exchange& ex);    // POST /v1/messages      (messages_handler.cpp)
Task<bool> handle_responses(Exchange& ex);   // POST /responses        (responses_handler.cpp)
Task<bool> handle_embeddings(Exchange& ex);  // POST /embeddings      (embeddings_handler.cpp)

}  // namespace cg::sim
