// Small helpers shared by the stream decoders that read upstream events with wire::JsonScanner
// (no DOM per event). Pure; any thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "translate/json_util.h"
#include "wire/json_scan.h"

namespace cg::translate {

// A member's key when it has no escapes (every key the decoders look for is plain ASCII), else
// empty.
inline std::string_view plain_key(std::string_view text, const wire::JsonMember& m) {
  return m.key.has_escapes ? std::string_view() : m.key.raw(text);
}

// Calls f(key) for each member of the object at the scanner (f must consume the value and
// return false to stop); a value of another kind is skipped.
template <class F>
bool each_member(wire::JsonScanner& s, F&& f) {
  if (s.peek_kind() != wire::JsonKind::kObject) return s.skip_value();
  if (!s.enter_object()) return false;
  wire::JsonMember m;
  while (s.next_member(m)) {
    if (!f(plain_key(s.text(), m))) return false;
  }
  return s.ok();
}

// Calls f() for each element of the array at the scanner (f must consume it).
template <class F>
bool for_elements(wire::JsonScanner& s, F&& f) {
  if (s.peek_kind() != wire::JsonKind::kArray) return s.skip_value();
  if (!s.enter_array()) return false;
  wire::JsonElement e;
  while (s.next_element(e)) {
    if (!f()) return false;
  }
  return s.ok();
}

// A string value's raw contents (escapes kept); other kinds are skipped.
inline bool read_raw(wire::JsonScanner& s, std::string_view& out) {
  if (s.peek_kind() != wire::JsonKind::kString) return s.skip_value();
  wire::JsonString js;
  if (!s.read_string(js)) return false;
  out = js.raw(s.text());
  return true;
}

// A string value unescaped; other kinds are skipped.
inline bool read_text(wire::JsonScanner& s, std::string& out) {
  if (s.peek_kind() != wire::JsonKind::kString) return s.skip_value();
  return s.read_string(out);
}

// An integer (a non-integer number reads as 0); other kinds are skipped. False on a scan error.
inline bool read_int(wire::JsonScanner& s, int64_t& out) {
  if (s.peek_kind() != wire::JsonKind::kNumber) return s.skip_value();
  std::string_view tok;
  if (!s.read_number(tok)) return false;
  if (!wire::parse_int64(tok, out)) out = 0;
  return true;
}

// An integer clamped like every count (see clamp_count).
inline bool read_count(wire::JsonScanner& s, int64_t& out) {
  if (!read_int(s, out)) return false;
  out = clamp_count(out);
  return true;
}

}  // namespace cg::translate
