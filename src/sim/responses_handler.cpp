// POST /responses: the OpenAI Responses API for models that list it (see copilot_handlers.h).
// Worker-thread only.
#include <vector>

#include "sim/api_common.h"
#include "sim/copilot_handlers.h"
#include "sim/responses_plan.h"
#include "sim/responses_render.h"

namespace cg::sim {

Task<bool> handle_responses(Exchange& ex) {
  constexpr ErrorShape kShape = ErrorShape::kOpenAI;
  State::AuthResult auth;
  if (!admit(ex, Endpoint::kResponses, kShape, auth)) co_return true;
  Result<ResponsesPlan> plan = plan_responses(ex.req.body(), Catalog::instance());
  if (!plan) {
    reply_error(ex, plan.error(), kShape);
    co_return true;
  }
  const Behaviour b = behaviour_for(ex, auth.fault, plan->overrides);
  switch (co_await fault_gate(ex, b, plan->stream, kShape)) {
    case Gate::kDone:
      co_return true;
    case Gate::kClosed:
      co_return false;
    case Gate::kAnswer:
      break;
  }
  const ResponsesIds ids = new_responses_ids(*plan);
  const std::string extra = answer_headers(kShape);
  ex.scratch.clear();
  if (!plan->stream) {
    render_response(*plan, ids, ex.scratch);
    reply(ex, 200, ex.scratch, extra);
    co_return true;
  }
  std::vector<size_t> ends;
  ends.reserve(b.chunks + 24);
  render_response_stream(*plan, ids, b.chunks, ex.scratch, ends);
  co_return co_await stream_events(ex, b, auth.account, ex.scratch, ends, extra);
}

}  // namespace cg::sim
