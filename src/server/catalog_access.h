// The model catalog as a worker sees it: its own copy until it expires, else a coalesced fetch
// through the control thread's ModelService. Worker thread only.
#pragma once
#include "copilot/model_service.h"
#include "core/result.h"
#include "server/worker.h"

namespace cg::server {

Task<Result<copilot::ModelsPtr>> worker_catalog(Worker& w);

}  // namespace cg::server
