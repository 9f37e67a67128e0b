// See affinity_key.h.
#include "server/affinity_key.h"

#include <string>

#include "pool/affinity.h"

namespace cg::server {

uint64_t header_affinity_key(const h1::Request& req) {
  for (std::string_view name :
       {"x-claude-code-session-id", "session_id", "x-session-id", "conversation_id"}) {
    const std::string_view v = req[name];
    if (!v.empty()) return pool::affinity_key_from_session(v);
  }
  return 0;
}

uint64_t chat_affinity_key(const h1::Request& req, std::string_view body,
                           const wire::openai::ChatRequestInfo& info) {
  if (uint64_t k = header_affinity_key(req)) return k;
  auto text = [&](wire::Span s) { return body.substr(s.begin, s.size()); };
  if (!info.prompt_cache_key.empty())
    return pool::affinity_key_from_cache_key(text(info.prompt_cache_key));
  if (!info.user.empty()) return pool::affinity_key_from_session(text(info.user));
  if (!info.conversation_start.empty())
    return pool::affinity_key_from_prompt({}, text(info.conversation_start));
  return 0;
}

uint64_t request_affinity_key(const h1::Request& req, const translate::Request& parsed) {
  if (uint64_t k = header_affinity_key(req)) return k;
  if (!parsed.prompt_cache_key.empty())
    return pool::affinity_key_from_cache_key(parsed.prompt_cache_key);
  if (!parsed.user.empty()) return pool::affinity_key_from_session(parsed.user);
  // The system prompt and the first user message, as text.
  std::string system, first;
  for (const translate::Message& m : parsed.messages) {
    std::string& into =
        (m.role == translate::Role::kSystem || m.role == translate::Role::kDeveloper) ? system
                                                                                      : first;
    for (const translate::Block& b : m.content) {
      into.append(b.text);
      into.push_back('\n');
    }
    if (m.role == translate::Role::kUser) break;
  }
  if (system.empty() && first.empty()) return 0;
  return pool::affinity_key_from_prompt(system, first);
}

}  // namespace cg::server
