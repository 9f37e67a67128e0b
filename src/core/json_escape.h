// Appending JSON string escapes into a std::string: the output side of every hand-written JSON
// emitter (logs, errors, SSE frames). Pure; any thread.
#pragma once
#include <charconv>
#include <cstdint>
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

// Appends the decimal digits of `v` (no allocation).
inline void append_decimal(std::string& out, int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(r.ptr - buf));
}

}  // namespace cg
