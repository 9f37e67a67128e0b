// The model catalog as a worker sees it: its own copy until it expires, else a coalesced fetch
// through the control thread's ModelService. Worker thread only.
#pragma once
#include <string>
#include "copilot/model_service.h"
#include "core/result.h"
#include "server/worker.h"

namespace cg::server {

Task<Result<copilot::ModelsPtr>> worker_catalog(Worker& w);

// A client's model name resolved against the catalog (copilot::resolve_model: aliases, dated
// and hyphenated Claude names). `info` points into `models`, which keeps it alive.
struct ResolvedModel {
  copilot::ModelsPtr models;
  const wire::copilot::ModelInfo* info = nullptr;
};
// Errors: the catalog's (502/503) or 404 model_not_found naming the available models.
Task<Result<ResolvedModel>> resolve_request_model(Worker& w, std::string requested);

}  // namespace cg::server
