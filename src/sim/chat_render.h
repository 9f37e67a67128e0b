// Renders a ChatPlan as an OpenAI chat.completion JSON body or as the SSE events of a
// chat.completion.chunk stream, in the shapes Copilot sends. Pure; any thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/chat_plan.h"

namespace cg::sim {

// Per-answer random values, injected so tests can be exact.
struct RenderIds {
  std::string completion_id;  // "chatcmpl-..."
  std::string call_id;        // "call_..."
  std::string opaque;         // "sig_..." reasoning signature
  int64_t created = 0;        // unix seconds
};
// Fresh random ids; the call id and signature only when the plan needs them.
RenderIds new_render_ids(const ChatPlan& plan);

// Appends the non-streaming response body.
void render_completion(const ChatPlan& plan, const RenderIds& ids, std::string& out);

// Appends every SSE event (`data: ...\n\n`, the last one `data: [DONE]\n\n`) to `out` and the
// offset just past each event to `ends`. `chunks` = number of content deltas (fewer when the
// text is shorter); `usage_on_finish` puts usage on the finish chunk instead of a
// `choices:[]` chunk.
void render_stream(const ChatPlan& plan, const RenderIds& ids, int chunks, bool usage_on_finish,
                   std::string& out, std::vector<size_t>& ends);

// Calls fn(part) for `n` (at most the number of UTF-8 characters) roughly equal parts of `s`,
// never splitting a multi-byte character. Nothing for an empty string.
template <class F>
void for_each_part(std::string_view s, int n, F&& fn) {
  auto is_lead = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };
  size_t chars = 0;
  for (char c : s)
    chars += is_lead(c) ? 1 : 0;
  if (chars == 0) return;
  const size_t parts =
      n < 1 ? 1 : (static_cast<size_t>(n) < chars ? static_cast<size_t>(n) : chars);
  size_t start = 0, ci = 0, part = 0, next_end = chars / parts;
  for (size_t pos = 0; pos < s.size(); ++pos) {
    if (!is_lead(s[pos])) continue;
    if (ci == next_end && pos != start) {
      fn(s.substr(start, pos - start));
      start = pos;
      ++part;
      next_end = (part + 1) * chars / parts;
    }
    ++ci;
  }
  fn(s.substr(start));
}

}  // namespace cg::sim
