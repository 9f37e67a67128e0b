// The text of a tool result as the upstreams that take only text there (Chat `tool` messages,
// Responses `function_call_output`) receive it. Pure; any thread.
#pragma once
#include <string>
#include <vector>

#include "translate/canonical.h"

namespace cg::translate {

// Appends the result's text, escaped as Block::text holds it ("Error: " first when is_error; parts
// joined by a blank line) and collects its images, which the caller shows the model in a user turn.
inline void append_tool_result_text(std::string& out, const Block& result,
                                    std::vector<const Block*>& images) {
  if (result.is_error) out.append("Error: ");
  out.append(result.text);
  bool first_text = result.text.empty();
  for (const Block& p : result.parts) {
    if (p.kind == Block::Kind::kImage) {
      images.push_back(&p);
    } else if (p.kind == Block::Kind::kText) {
      if (!first_text) out.append("\\n\\n");
      first_text = false;
      out.append(p.text);
    }
  }
}

}  // namespace cg::translate
