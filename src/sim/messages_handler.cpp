// POST /v1/messages: native Anthropic Messages for Claude models (see copilot_handlers.h).
// Worker-thread only.
#include <vector>

#include "sim/api_common.h"
#include "sim/copilot_handlers.h"
#include "sim/messages_plan.h"
#include "sim/messages_render.h"

namespace cg::sim {

Task<bool> handle_messages(Exchange& ex) {
  constexpr ErrorShape kShape = ErrorShape::kAnthropic;
  State::AuthResult auth;
  if (!admit(ex, Endpoint::kMessages, kShape, auth)) co_return true;
  Result<MessagesPlan> plan = plan_messages(ex.req.body(), Catalog::instance());
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
  const MessagesIds ids = new_messages_ids(*plan);
  const std::string extra = answer_headers(kShape);
  ex.scratch.clear();
  if (!plan->stream) {
    render_message(*plan, ids, ex.scratch);
    reply(ex, 200, ex.scratch, extra);
    co_return true;
  }
  std::vector<size_t> ends;
  ends.reserve(b.chunks + 16);
  render_message_stream(*plan, ids, b.chunks, ex.scratch, ends);
  co_return co_await stream_events(ex, b, auth.account, ex.scratch, ends, extra);
}

}  // namespace cg::sim
