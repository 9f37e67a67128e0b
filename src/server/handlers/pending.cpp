// Endpoints whose translation is being built: they answer a clear 501 in the caller's format
// until their handlers land. Worker thread.
#include "server/handlers/handlers.h"
#include "server/respond.h"

namespace cg::server {

namespace {
ApiError not_yet(std::string_view what) {
  return ApiError{501,
                  "invalid_request_error",
                  "not_implemented",
                  std::string(what) + " is not implemented by this gateway yet.",
                  {},
                  {}};
}
}  // namespace

Task<void> handle_count_tokens(RequestContext& ctx) {
  co_await send_error(ctx, not_yet("POST /v1/messages/count_tokens"));
}
Task<void> handle_responses(RequestContext& ctx) {
  co_await send_error(ctx, not_yet("POST /v1/responses"));
}
Task<void> handle_embeddings(RequestContext& ctx) {
  co_await send_error(ctx, not_yet("POST /v1/embeddings"));
}

}  // namespace cg::server
