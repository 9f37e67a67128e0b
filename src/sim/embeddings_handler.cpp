// POST /embeddings for embeddings-type models (see copilot_handlers.h). Faults from the account
// and the x-sim-fault header apply; the input text carries no directives (it would change the
// vectors). Worker-thread only.
#include "sim/api_common.h"
#include "sim/copilot_handlers.h"
#include "sim/embeddings.h"

namespace cg::sim {

Task<bool> handle_embeddings(Exchange& ex) {
  constexpr ErrorShape kShape = ErrorShape::kOpenAI;
  const Overrides header = header_overrides(ex);
  State::AuthResult auth;
  if (!admit(ex, Admission{Endpoint::kEmbeddings, kShape, 0, &header, nullptr}, auth))
    co_return true;  // embeddings are not premium requests: never charged, never refused
  Result<EmbeddingsPlan> plan = plan_embeddings(ex.req.body(), Catalog::instance());
  if (!plan) {
    reply_error(ex, plan.error(), kShape);
    co_return true;
  }
  const Behaviour b = behaviour_for(ex, auth.fault, header, Overrides{});
  switch (co_await fault_gate(ex, b, false, kShape, auth)) {
    case Gate::kDone:
      co_return true;
    case Gate::kClosed:
      co_return false;
    case Gate::kAnswer:
      break;
  }
  const std::string extra = answer_headers(kShape);
  ex.scratch.clear();
  render_embeddings(*plan, ex.scratch);
  reply(ex, 200, ex.scratch, extra);
  co_return true;
}

}  // namespace cg::sim
