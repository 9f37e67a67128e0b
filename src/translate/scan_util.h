// Small helpers shared by the translate readers built on wire::JsonScanner (no DOM): the stream
// decoders (one upstream event at a time) and the request parsers, which must refuse exactly the
// bodies a Boost.JSON parse refuses (request_scan.h has the rest of what those two share).
// Pure; any thread.
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

// A string token's contents between its quotes, escapes kept: JsonString::raw without its
// bounds check, for a token the scanner read from `text`.
inline std::string_view token_raw(std::string_view text, const wire::JsonString& t) {
  return {text.data() + t.begin + 1, t.end - t.begin - 2};
}

// Appends a string token's value to `out`, unescaped (its escapes were checked by the scanner).
inline void append_token(std::string& out, std::string_view text, const wire::JsonString& t) {
  if (t.has_escapes) {
    wire::append_unescaped(out, token_raw(text, t));
  } else {
    out.append(token_raw(text, t));
  }
}

// Replaces `out` with a string token's value (clear and append: cheaper than assign).
inline void assign_token(std::string& out, std::string_view text, const wire::JsonString& t) {
  out.clear();
  append_token(out, text, t);
}

// A string token's value: a view into the text, or into `tmp` when it has escapes.
inline std::string_view token_text(std::string_view text, const wire::JsonString& t,
                                   std::string& tmp) {
  if (!t.has_escapes) return token_raw(text, t);
  tmp.clear();
  wire::append_unescaped(tmp, token_raw(text, t));
  return tmp;
}

// ---- Readers that stand in for a Boost.JSON DOM parse ----
// Together with wire::check_json_text (UTF-8, lone surrogate escapes) over the whole text, these
// refuse what boost::json::parse refuses: the scanner's grammar, plus Boost.JSON's nesting limit
// and exponent range.

// How a request parser words the two invalid_json cases the parsers word apart (each keeps its
// own messages): Boost.JSON refusing a value for other than its depth or an exponent, and a NUL
// byte where a value should start.
enum class JsonErrorWording : uint8_t {
  kResponses,  // "unexpected end of input" or "syntax error"; NUL: "unexpected character"
  kAnthropic,  // "invalid value"; NUL: "unexpected end of input" (JsonScanner::skip_value's)
};

// The 400 for a body that is not valid JSON, in parse_object's shape, naming what is wrong and
// where ("Invalid JSON body: unexpected character at byte 12.").
inline ApiError invalid_json_body(const char* what, size_t offset) {
  std::string message = "Invalid JSON body: ";
  message.append(what ? what : "malformed").append(" at byte ").append(std::to_string(offset));
  message.push_back('.');
  return ApiError::bad_request(std::move(message), "invalid_json");
}
// The same 400 for the scanner's error.
inline ApiError invalid_json_body(const wire::JsonScanner& s) {
  return invalid_json_body(s.error(), s.error_offset());
}

// A static description of a Boost.JSON parse error, for JsonScanner::fail.
inline const char* boost_json_error_text(const boost::system::error_code& ec,
                                         JsonErrorWording wording) {
  if (ec == json::error::too_deep) return "nesting too deep";
  if (ec == json::error::exponent_overflow) return "exponent overflow";
  if (wording == JsonErrorWording::kAnthropic) return "invalid value";
  if (ec == json::error::incomplete) return "unexpected end of input";
  return "syntax error";
}

// Parses the value at the scanner's position with Boost.JSON into `out` (allocated from `sp`) and
// moves the scanner past it: at most `max_depth` nested containers, the value's own included.
// Boost.JSON reads from there to the end of the text, so numbers round exactly as in a parse of
// the whole text (its number parsing looks ahead). On failure the scanner fails (JSON error).
inline bool parse_value_at(wire::JsonScanner& s, size_t max_depth, JsonErrorWording wording,
                           json::value& out, json::storage_ptr sp = {}) {
  if (!s.ok()) return false;
  s.peek_char();
  const size_t begin = s.pos();
  json::parse_options opts;
  opts.max_depth = max_depth;
  unsigned char temp[1024];
  json::parser p(json::storage_ptr(), opts, temp, sizeof temp);
  p.reset(std::move(sp));
  boost::system::error_code ec;
  const std::string_view text = s.text();
  const size_t n = p.write_some(text.data() + begin, text.size() - begin, ec);
  if (ec) return s.fail(boost_json_error_text(ec, wording), begin + n);
  out = p.release();
  s.seek(begin + n);
  return true;
}

// Whether Boost.JSON accepts the number `token` (grammar-checked by the scanner) found at
// `begin`: it also refuses an exponent beyond INT_MAX (error::exponent_overflow), which takes a
// 10-digit exponent, or 2^30 mantissa digits with a shorter one; only such tokens are parsed.
inline bool boost_accepts_number(std::string_view text, size_t begin, std::string_view token) {
  size_t e = 0;  // the exponent's 'e' or 'E' (a loop: find_first_of calls memchr per byte)
  while (e < token.size() && (token[e] | 0x20) != 'e')
    ++e;
  if (e == token.size()) return true;
  const size_t sign = token[e + 1] == '+' || token[e + 1] == '-' ? 1 : 0;
  if (token.size() - e - 1 - sign < 10 && token.size() < (size_t{1} << 30)) return true;
  wire::JsonScanner s(text);
  s.seek(begin);
  json::value v;
  return parse_value_at(s, 1, JsonErrorWording::kResponses, v);  // only whether it parses counts
}

// The value at the scanner as the JSON text the client sent, checked like skip_value_checked
// (what a Boost.JSON parse accepts).
inline bool read_json_text(wire::JsonScanner& s, size_t max_depth, JsonErrorWording wording,
                           std::string& out);

// Skips one scalar (the kind peek_kind() returned), with the grammar checks of the scanner's
// readers and boost_accepts_number. Out of line: inlined into record_value, it costs the parsers
// more in saved registers than the call does.
[[gnu::noinline]] inline bool skip_scalar_checked(wire::JsonScanner& s, wire::JsonKind kind,
                                                  JsonErrorWording wording) {
  switch (kind) {
    case wire::JsonKind::kString:
      return s.skip_value();  // read_string's checks, with a faster path for plain strings
    case wire::JsonKind::kNumber: {
      const size_t begin = s.pos();
      std::string_view token;
      if (!s.read_number(token)) return false;
      return boost_accepts_number(s.text(), begin, token) || s.fail("exponent overflow", begin);
    }
    case wire::JsonKind::kTrue:
    case wire::JsonKind::kFalse: {
      bool b;
      return s.read_bool(b);
    }
    case wire::JsonKind::kNull:
      return s.read_null();
    default: {
      const size_t at = s.pos();
      const bool end = at >= s.text().size() ||
                       (wording == JsonErrorWording::kAnthropic && s.text()[at] == '\0');
      return s.fail(end ? "unexpected end of input" : "unexpected character", at);
    }
  }
}

// skip_value_checked the slow way, token by token with the scanner's readers, which word the
// error: what skip_value_checked falls back to when wire::valid_value_end is not sure. Iterative:
// one bit per open container says object or array.
inline bool skip_value_checked_slow(wire::JsonScanner& s, size_t max_depth,
                                    JsonErrorWording wording) {
  using wire::JsonKind;
  JsonKind kind = s.kind_at();  // mostly the scanner is at the value already
  if (kind == JsonKind::kInvalid) kind = s.peek_kind();
  if (kind != JsonKind::kObject && kind != JsonKind::kArray)
    return skip_scalar_checked(s, kind, wording);
  constexpr size_t kLimit = wire::JsonScanner::kMaxDepth;
  if (max_depth > kLimit) max_depth = kLimit;
  uint64_t is_object[kLimit / 64] = {};
  size_t depth = 0;
  for (;;) {
    bool first = false;  // the next member/element is the first of a container just entered
    if (kind == JsonKind::kObject || kind == JsonKind::kArray) {
      if (depth == max_depth) return s.fail("nesting too deep", s.pos());
      const uint64_t bit = uint64_t{1} << (depth % 64);
      is_object[depth / 64] =
          kind == JsonKind::kObject ? is_object[depth / 64] | bit : is_object[depth / 64] & ~bit;
      ++depth;
      if (!(kind == JsonKind::kObject ? s.enter_object() : s.enter_array())) return false;
      first = true;
    } else if (!skip_scalar_checked(s, kind, wording)) {
      return false;
    }
    // On to the next value of the innermost open container, closing the ones that end.
    for (;;) {
      const size_t top = depth - 1;
      bool more;
      if ((is_object[top / 64] >> (top % 64)) & 1) {
        wire::JsonMember m;
        m.index = first ? 0 : 1;
        more = s.next_member(m);
      } else {
        wire::JsonElement e;
        e.index = first ? 0 : 1;
        more = s.next_element(e);
      }
      if (more) break;
      if (!s.ok()) return false;
      if (--depth == 0) return true;
      first = false;
    }
    kind = s.kind_at();  // next_member/next_element stop at the value
  }
}

// Skips one value with full grammar checks, refusing more than `max_depth` nested containers (the
// value's own included; at most JsonScanner::kMaxDepth) and numbers Boost.JSON refuses. One pass
// of wire::valid_value_end (under half the instructions of reading every token) for a valid value;
// the slow path again for the rest, which says what is wrong and where.
inline bool skip_value_checked(wire::JsonScanner& s, size_t max_depth, JsonErrorWording wording) {
  if (s.ok()) {
    const size_t end = wire::valid_value_end(s.text(), s.pos(), max_depth);
    if (end != wire::kNotSure) {
      s.seek(end);
      return true;
    }
  }
  return skip_value_checked_slow(s, max_depth, wording);
}

inline bool read_json_text(wire::JsonScanner& s, size_t max_depth, JsonErrorWording wording,
                           std::string& out) {
  if (!s.ok()) return false;
  s.peek_char();
  const size_t begin = s.pos();
  if (!skip_value_checked(s, max_depth, wording)) return false;
  out.assign(s.text().substr(begin, s.pos() - begin));
  return true;
}

}  // namespace cg::translate
