// POST /v1/messages: native Anthropic Messages for Claude models (see copilot_handlers.h).
// Worker-thread only.
#include "sim/api_common.h"
#include "sim/copilot_handlers.h"
#include "sim/messages_plan.h"
#include "sim/messages_render.h"

namespace cg::sim {

namespace {

struct MessagesApi {
  static constexpr Endpoint kEndpoint = Endpoint::kMessages;
  static constexpr ErrorShape kShape = ErrorShape::kAnthropic;
  static constexpr size_t kFixedEvents = 16;
  static Result<MessagesPlan> plan(std::string_view body, const Catalog& catalog) {
    return plan_messages(body, catalog);
  }
  static MessagesIds ids(const MessagesPlan& p) { return new_messages_ids(p); }
  static void render(const MessagesPlan& p, const MessagesIds& ids, std::string& out) {
    render_message(p, ids, out);
  }
  static void render_stream(const MessagesPlan& p, const MessagesIds& ids, int chunks,
                            std::string& out, std::vector<size_t>& ends) {
    render_message_stream(p, ids, chunks, out, ends);
  }
};

}  // namespace

Task<bool> handle_messages(Exchange& ex) {
  return serve_planned<MessagesApi>(ex);
}

}  // namespace cg::sim
