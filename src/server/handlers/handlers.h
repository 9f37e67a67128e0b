// Endpoint handlers. Each writes its complete response (or stream) to ctx.stream and reports
// status/model/bytes in ctx. Worker thread only.
#pragma once
#include "server/request_context.h"

namespace cg::server {

Task<void> handle_chat_completions(RequestContext& ctx);
Task<void> handle_messages(RequestContext& ctx);      // POST /v1/messages (Anthropic)
Task<void> handle_count_tokens(RequestContext& ctx);  // POST /v1/messages/count_tokens
Task<void> handle_responses(RequestContext& ctx);     // POST /v1/responses
Task<void> handle_embeddings(RequestContext& ctx);    // POST /v1/embeddings
Task<void> handle_models(RequestContext& ctx);        // GET /v1/models and /v1/models/{id}
Task<void> handle_healthz(RequestContext& ctx);
Task<void> handle_readyz(RequestContext& ctx);
Task<void> handle_metrics(RequestContext& ctx);
Task<void> handle_admin_accounts(RequestContext& ctx);  // GET /admin/accounts
Task<void> handle_admin_refresh(RequestContext& ctx);   // POST /admin/accounts/{ref}/refresh
Task<void> handle_admin_enable(RequestContext& ctx);    // POST /admin/accounts/{ref}/(en|dis)able
Task<void> handle_admin_config(RequestContext& ctx);    // GET /admin/config

}  // namespace cg::server
