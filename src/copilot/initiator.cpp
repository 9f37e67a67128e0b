// See initiator.h. Pure.
#include "copilot/initiator.h"

namespace cg::copilot {

std::string_view to_string(Initiator initiator) {
  return initiator == Initiator::kUser ? "user" : "agent";
}

Initiator chat_initiator(const wire::openai::ChatRequestInfo& info) {
  return info.last_role == wire::openai::Role::kUser ? Initiator::kUser : Initiator::kAgent;
}

Initiator canonical_initiator(const translate::Request& r) {
  using translate::Block;
  using translate::Role;
  // Block texts are JSON-escaped (canonical.h); the markers looked for hold no character JSON
  // escapes, so they appear in the text as the client sent it.
  for (const translate::Message& m : r.messages) {
    if (m.role == Role::kAssistant || m.role == Role::kTool) continue;
    for (const Block& b : m.content)
      if (b.kind == Block::Kind::kText && b.text.find("__SUBAGENT_MARKER__") != std::string::npos)
        return Initiator::kAgent;
  }
  // Instructions after the last turn (Claude Code's per-turn system messages) do not change who
  // spoke last.
  auto it = r.messages.rbegin();
  while (it != r.messages.rend() && (it->role == Role::kSystem || it->role == Role::kDeveloper))
    ++it;
  if (it == r.messages.rend()) return Initiator::kAgent;
  const translate::Message& last = *it;
  if (last.role != Role::kUser) return Initiator::kAgent;
  bool human = false;
  for (const Block& b : last.content) {
    if (b.kind == Block::Kind::kToolResult) continue;
    // Claude Code's conversation compaction asks for a summary in a user turn of its own.
    if (b.kind == Block::Kind::kText &&
        b.text.find("create a detailed summary of the conversation so far") != std::string::npos)
      return Initiator::kAgent;
    human = true;
  }
  return human ? Initiator::kUser : Initiator::kAgent;
}

size_t image_count(const translate::Request& r) {
  size_t n = 0;
  for (const translate::Message& m : r.messages) {
    for (const translate::Block& b : m.content) {
      n += b.kind == translate::Block::Kind::kImage;
      for (const translate::Block& p : b.parts)
        n += p.kind == translate::Block::Kind::kImage;
    }
  }
  return n;
}

bool has_image(const translate::Request& r) {
  return image_count(r) > 0;
}

}  // namespace cg::copilot
