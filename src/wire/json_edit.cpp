// See json_edit.h.
#include "wire/json_edit.h"

#include "core/json_escape.h"
#include "wire/json_scan.h"

namespace cg::wire {

std::optional<std::string> set_top_level_string(std::string_view body, std::string_view key,
                                                std::string_view value) {
  JsonScanner s(body);
  if (s.peek_kind() != JsonKind::kObject) return std::nullopt;
  const size_t open = s.pos();
  if (!s.enter_object()) return std::nullopt;
  JsonMember m;
  Span found;
  bool have = false;
  while (s.next_member(m)) {
    if (string_equals(body, m.key, key)) {
      Span v;
      if (!s.skip_value(v)) return std::nullopt;
      found = v;  // the last one wins, as for a DOM parser
      have = true;
    } else if (!s.skip_value()) {
      return std::nullopt;
    }
  }
  if (!s.ok() || !s.finish()) return std::nullopt;
  std::string out;
  out.reserve(body.size() + value.size() + key.size() + 8);
  if (have) {
    out.append(body.substr(0, found.begin));
    append_json_string(out, value);
    out.append(body.substr(found.end));
    return out;
  }
  out.append(body.substr(0, open + 1));
  append_json_string(out, key);
  out.push_back(':');
  append_json_string(out, value);
  const size_t rest = skip_json_ws(body, open + 1);
  if (rest < body.size() && body[rest] != '}') out.push_back(',');
  out.append(body.substr(open + 1));
  return out;
}

}  // namespace cg::wire
