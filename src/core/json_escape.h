// Appending JSON string escapes into a std::string: the output side of every hand-written JSON
// emitter (logs, errors, SSE frames). Pure; any thread.
#pragma once
#include <string>
#include <string_view>

namespace cg {

// Appends `s` escaped for use inside a JSON string literal (without the surrounding quotes).
void append_json_escaped(std::string& out, std::string_view s);

// Appends `"s"` with escapes.
inline void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  append_json_escaped(out, s);
  out.push_back('"');
}

}  // namespace cg
