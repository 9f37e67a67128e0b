// See catalog_access.h.
#include "server/catalog_access.h"

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

}  // namespace cg::server
