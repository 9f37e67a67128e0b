// See catalog_access.h.
#include "server/catalog_access.h"

#include "copilot/model_routing.h"
#include "server/gateway.h"

namespace cg::server {

Task<Result<copilot::ModelsPtr>> worker_catalog(Worker& w) {
  copilot::ModelsPtr models = w.models;
  if (models && models->expires_at_ms > copilot::unix_now_ms()) co_return models;
  copilot::ModelsOutcome out = co_await w.gateway().models().get();
  if (!out.models) co_return out.error;
  w.models = out.models;
  co_return out.models;
}

Task<Result<ResolvedModel>> resolve_request_model(Worker& w, std::string requested) {
  auto catalog = co_await worker_catalog(w);
  if (!catalog) co_return std::move(catalog).error();
  ResolvedModel r{*catalog, nullptr};
  r.info = copilot::resolve_model(r.models->catalog, requested, w.cfg().api.model_aliases);
  if (!r.info) {
    co_return ApiError::not_found(copilot::unknown_model_message(r.models->catalog, requested),
                                  "model_not_found");
  }
  co_return r;
}

}  // namespace cg::server
