// See copilot_handlers.h: GET /models and POST /chat/completions.
#include "sim/copilot_handlers.h"

#include <vector>

#include "sim/api_common.h"
#include "sim/catalog.h"
#include "sim/chat_plan.h"
#include "sim/chat_render.h"

namespace cg::sim {

void handle_models(Exchange& ex) {
  const State::AuthResult auth = ex.state.on_models(auth_credential(ex.req));
  if (auth.auth != State::Auth::kOk) return reply_unauthorized(ex, auth.auth, ErrorShape::kOpenAI);
  reply(ex, 200, Catalog::instance().json());
}

Task<bool> handle_chat(Exchange& ex) {
  // Planned before admission (which still answers 401 first): admission charges the model's
  // premium cost in the step that records the stats (see serve_planned).
  Result<ChatPlan> plan = plan_chat(ex.req.body(), Catalog::instance());
  const Overrides header = header_overrides(ex);
  State::AuthResult auth;
  const Admission admission{Endpoint::kChatCompletions, ErrorShape::kOpenAI,
                            plan ? plan->multiplier : 0, &header,
                            plan ? &plan->overrides : nullptr};
  if (!admit(ex, admission, auth)) co_return true;
  if (!plan) {
    reply_error(ex, plan.error(), ErrorShape::kOpenAI);
    co_return true;
  }
  const Behaviour b = behaviour_for(ex, auth.fault, header, plan->overrides);
  switch (co_await fault_gate(ex, b, plan->stream, ErrorShape::kOpenAI, auth)) {
    case Gate::kDone:
      co_return true;
    case Gate::kClosed:
      co_return false;
    case Gate::kAnswer:
      break;
  }
  const RenderIds ids = new_render_ids(*plan);
  const std::string extra = answer_headers(ErrorShape::kOpenAI, &auth.quota);
  ex.scratch.clear();
  if (!plan->stream) {
    render_completion(*plan, ids, ex.scratch);
    reply(ex, 200, ex.scratch, extra);
    co_return true;
  }
  std::vector<size_t> ends;
  ends.reserve(b.chunks + 16);
  render_stream(*plan, ids, b.chunks, b.usage_on_finish, ex.scratch, ends);
  co_return co_await stream_events(ex, b, auth.account, ex.scratch, ends, extra);
}

}  // namespace cg::sim
