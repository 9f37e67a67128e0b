// See affinity_key.h.
#include "server/affinity_key.h"

#include <string>

#include "pool/affinity.h"

namespace cg::server {

namespace {

// Of a long text only this many bytes at each end, and its length, make the key: a system prompt
// of tens of KB would otherwise cost microseconds of hashing on every request. Conversations that
// share both ends and the lengths of their system prompt and first message share an account,
// which is harmless.
constexpr size_t kEdge = 1024;

uint64_t prompt_key(std::string_view system, std::string_view first) {
  auto head = [](std::string_view s) { return s.substr(0, kEdge); };
  auto tail = [](std::string_view s) { return s.size() > kEdge ? s.substr(s.size() - kEdge) : s; };
  const uint64_t front = pool::affinity_key_from_prompt(head(system), head(first));
  const bool short_texts = system.size() <= kEdge && first.size() <= kEdge;
  const uint64_t back =
      short_texts ? front : pool::affinity_key_from_prompt(tail(system), tail(first));
  const uint64_t k = front ^ (back * 0x9e3779b97f4a7c15ull) ^ (system.size() << 32) ^ first.size();
  return k == 0 ? 1 : k;
}

}  // namespace

uint64_t header_affinity_key(const h1::Request& req) {
  for (std::string_view name :
       {"x-claude-code-session-id", "session_id", "x-session-id", "conversation_id"}) {
    const std::string_view v = req.fields().extension(name);
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
  if (!info.conversation_start.empty()) return prompt_key({}, text(info.conversation_start));
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
  return prompt_key(system, first);
}

}  // namespace cg::server
