// What the two request parsers built on wire::JsonScanner (from_anthropic_request,
// from_responses_request) share beyond scan_util.h: member and element loops, members recorded
// for later checks, literal and short-integer reads, and the path a field error names.
// Pure; any thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "translate/scan_util.h"
#include "wire/json_scan.h"

namespace cg::translate {

// The nesting limit of the Boost.JSON parse the request parsers stand in for (parse_object):
// deeper is invalid JSON.
constexpr size_t kMaxRequestDepth = 256;

// Whether a key or string value is `word`, a literal: compared inline, length first.
template <size_t N>
bool is(std::string_view s, const char (&word)[N]) {
  return s.size() == N - 1 && std::memcmp(s.data(), word, N - 1) == 0;
}

// A number token (grammar-checked) that is an integer of at most 18 digits, as int64 (which
// Boost.JSON reads it as too); nullopt for any other.
inline std::optional<int64_t> short_integer(std::string_view token) {
  const size_t negative = token[0] == '-' ? 1 : 0;
  if (token.size() == negative || token.size() - negative > 18) return std::nullopt;
  int64_t v = 0;
  for (size_t i = negative; i < token.size(); ++i) {
    const char c = token[i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

// Calls f(key) for each member of the object at the scanner, the key unescaped (into `tmp` when
// it has escapes); f consumes the value, false stops. False on a JSON error or a stop.
template <class F>
bool read_members(wire::JsonScanner& s, std::string& tmp, F&& f) {
  if (!s.enter_object()) return false;
  wire::JsonMember m;
  while (s.next_member(m)) {
    if (!f(token_text(s.text(), m.key, tmp))) return false;
  }
  return s.ok();
}

// Calls f(i) for each element i of the array at the scanner; f consumes it, false stops.
template <class F>
bool read_elements(wire::JsonScanner& s, F&& f) {
  if (!s.enter_array()) return false;
  wire::JsonElement e;
  while (s.next_element(e)) {
    if (!f(e.index - 1)) return false;
  }
  return s.ok();
}

// A member value recorded while its object is read (its kind and bytes), interpreted once the
// object is complete: a repeated key counts with its last value, as in a DOM.
struct Recorded {
  size_t begin = 0, end = 0;                       // the value's bytes (a string's with quotes)
  wire::JsonKind kind = wire::JsonKind::kInvalid;  // kInvalid: the member is absent
  bool escapes = false;                            // a string with escape sequences

  size_t size() const { return end - begin; }
  // Present and not null: what json_util's member() finds.
  bool given() const { return kind != wire::JsonKind::kInvalid && kind != wire::JsonKind::kNull; }
  // Its kind; empty_string: the string "".
  bool is_string() const { return kind == wire::JsonKind::kString; }
  bool empty_string() const { return is_string() && size() == 2; }
  bool is_object() const { return kind == wire::JsonKind::kObject; }
  bool is_array() const { return kind == wire::JsonKind::kArray; }
  bool is_bool() const { return kind == wire::JsonKind::kTrue || kind == wire::JsonKind::kFalse; }
  bool is_true() const { return kind == wire::JsonKind::kTrue; }
  // The string token, for a string.
  wire::JsonString token() const { return {begin, end, escapes}; }
};

// Records the value at the scanner into `v`: a string as its token, anything else skipped with
// skip_value_checked (at most `max_depth` levels). The scanner must be at the value, as
// next_member, next_element and the peek_* calls leave it (kind_at, not peek_kind).
inline bool record_value(wire::JsonScanner& s, Recorded& v, size_t max_depth,
                         JsonErrorWording wording) {
  v.kind = s.kind_at();
  v.begin = s.pos();
  v.escapes = false;
  bool ok = true;
  if (v.kind == wire::JsonKind::kString) {
    wire::JsonString token;
    ok = s.read_string(token);
    v.escapes = token.has_escapes;
  } else if (v.kind == wire::JsonKind::kObject || v.kind == wire::JsonKind::kArray) {
    ok = skip_value_checked(s, max_depth, wording);
  } else {
    ok = skip_scalar_checked(s, v.kind, wording);
  }
  v.end = s.pos();
  return ok;
}

// Where a field is ("input.3.content.1"), as a chain of stack objects formatted only when an
// error names it: a valid request costs no string building.
struct FieldPath {
  static constexpr size_t kNoIndex = static_cast<size_t>(-1);
  std::string_view name;              // "input", "content", ...; or a whole prefix ("text.format")
  size_t index = kNoIndex;            // the element of `name`, kNoIndex for a plain member
  const FieldPath* parent = nullptr;  // the enclosing element, if any

  // The path as the error's param.
  std::string str() const;
  // The path with `suffix` appended (".role").
  std::string operator+(std::string_view suffix) const;
  // The path of its member `key`.
  std::string member(std::string_view key) const;
  operator std::string() const { return str(); }  // NOLINT: reads like the string it stands for
};

}  // namespace cg::translate
