// See initiator.h. Pure.
#include "copilot/initiator.h"

namespace cg::copilot {

std::string_view to_string(Initiator initiator) {
  return initiator == Initiator::kUser ? "user" : "agent";
}

Initiator chat_initiator(const wire::openai::ChatRequestInfo& info) {
  return info.last_role == wire::openai::Role::kUser ? Initiator::kUser : Initiator::kAgent;
}

}  // namespace cg::copilot
