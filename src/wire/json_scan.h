// JsonScanner: a fast, forward-only, validating JSON scanner over a string_view that reports byte
// offsets instead of building a DOM. The hot path of request pass-through: skip whole values
// (strings with SSE2, containers iteratively with a bit stack, so deep nesting cannot overflow the
// call stack), iterate object members / array elements, read strings with or without unescaping.
// Validates JSON grammar, escapes and control characters; does NOT validate UTF-8.
// Pure; a scanner is a cheap value used by one thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cg::wire {

// JSON whitespace (space, tab, LF, CR).
inline bool is_json_ws(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}
// The first offset at or after `i` that is not JSON whitespace (text.size() if none).
inline size_t skip_json_ws(std::string_view text, size_t i) {
  while (i < text.size() && is_json_ws(text[i]))
    ++i;
  return i;
}

// A byte range [begin, end) inside the scanned text.
struct Span {
  size_t begin = 0, end = 0;
  bool empty() const { return begin == end; }
  size_t size() const { return end - begin; }
};

enum class JsonKind : uint8_t { kInvalid, kObject, kArray, kString, kNumber, kTrue, kFalse, kNull };

// A string token: offsets of its quotes in the scanned text.
struct JsonString {
  size_t begin = 0;  // offset of the opening quote
  size_t end = 0;    // one past the closing quote
  bool has_escapes = false;
  // The bytes between the quotes, escape sequences left as they are.
  std::string_view raw(std::string_view text) const {
    return text.substr(begin + 1, end - begin - 2);
  }
  Span span() const { return {begin, end}; }
};

// State of one object-member iteration (see JsonScanner::next_member).
struct JsonMember {
  size_t index = 0;  // number of members returned so far (this one's index after the call)
  size_t comma_before = kNone;  // offset of the ',' before this member's key, kNone for the first
  JsonString key;
  size_t value_begin = 0;  // offset of the first byte of the value
  static constexpr size_t kNone = static_cast<size_t>(-1);
};

// State of one array-element iteration (see JsonScanner::next_element).
struct JsonElement {
  size_t index = 0;  // number of elements returned so far
  size_t value_begin = 0;
};

class JsonScanner {
 public:
  // Deeper nesting is reported as an error (the scanner itself never recurses).
  static constexpr size_t kMaxDepth = 1024;

  explicit JsonScanner(std::string_view text) : text_(text) {}

  std::string_view text() const { return text_; }
  size_t pos() const { return pos_; }
  void seek(size_t pos) { pos_ = pos; }

  bool ok() const { return error_ == nullptr; }
  // Static description of the first error ("unterminated string", ...) or nullptr.
  const char* error() const { return error_; }
  size_t error_offset() const { return error_offset_; }

  // The kind of value starting at pos(), whitespace not skipped (kInvalid at the end of input or
  // on a byte that cannot start a value). Where next_member/next_element and the peek_* calls
  // leave the scanner, this is peek_kind() without the call.
  JsonKind kind_at() const {
    if (pos_ >= text_.size()) return JsonKind::kInvalid;
    switch (text_[pos_]) {
      case '{':
        return JsonKind::kObject;
      case '[':
        return JsonKind::kArray;
      case '"':
        return JsonKind::kString;
      case 't':
        return JsonKind::kTrue;
      case 'f':
        return JsonKind::kFalse;
      case 'n':
        return JsonKind::kNull;
      case '-':
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        return JsonKind::kNumber;
      default:
        return JsonKind::kInvalid;
    }
  }
  // Skips whitespace; returns the kind of value starting there without consuming it
  // (kInvalid at the end of input or on a byte that cannot start a value; no error is set).
  JsonKind peek_kind();
  // Skips whitespace and returns the next byte, or '\0' at the end of input.
  char peek_char();

  // Each reader skips leading whitespace, consumes one value and returns false on error (then
  // ok() is false and error()/error_offset() describe it). A value of the wrong kind is an error.
  //
  // skip_value: the fast path. Scalars are fully checked. Objects/arrays are skipped 64 bytes at a
  // time with SIMD bit masks (strings located by unescaped quotes, brackets counted outside
  // strings) and checked structurally only: strings terminated, valid escapes, no raw control
  // characters in strings, no backslash outside strings, brackets balanced, the closing bracket
  // matching the opening one, depth <= kMaxDepth. Token-level errors inside a skipped container
  // (`[1 2]`, `{"a" 1}`, `[tru]`) are not detected: use skip_value_strict where that matters.
  bool skip_value();
  bool skip_value(Span& out);  // also reports the value's byte range
  // Full JSON grammar validation (iterative, no recursion), about 2-4x slower on dense JSON.
  bool skip_value_strict();
  bool read_string(JsonString& out);
  bool read_string(std::string& out);  // unescaped value (replaces out's contents)
  bool read_bool(bool& out);
  bool read_null();
  bool read_number(std::string_view& out);  // the number token, grammar-checked
  bool read_int64(int64_t& out);            // an integer token that fits in int64

  // Objects: enter_object() consumes '{'; then `JsonMember m; while (next_member(m)) {...}` where
  // the body must consume the member's value. next_member returns false after consuming '}' (ok()
  // stays true) or on error.
  bool enter_object();
  bool next_member(JsonMember& m);
  // Arrays: same pattern with enter_array() / next_element().
  bool enter_array();
  bool next_element(JsonElement& e);

  // Succeeds when only whitespace remains ("trailing characters" otherwise).
  bool finish();

  // Records an error at `offset` (first error wins) and returns false.
  bool fail(const char* what, size_t offset);

 private:
  bool scan_string(const char*& p, bool& has_escapes);
  bool skip_container(const char*& p);
  bool scan_number(const char*& p);
  bool scan_literal(const char*& p, std::string_view word);
  bool skip_ws_expect(char c);

  std::string_view text_;
  size_t pos_ = 0;
  const char* error_ = nullptr;
  size_t error_offset_ = 0;
};

// Appends the unescaped form of `raw` (string contents between the quotes) to `out`.
// \uXXXX escapes become UTF-8; surrogate pairs are combined; a lone surrogate is an error.
bool append_unescaped(std::string& out, std::string_view raw);

// The byte range to erase to remove one object member (key, colon, value and ONE adjacent comma)
// while keeping the object valid JSON. `value_end` is the scanner position after the value.
Span member_erase_span(std::string_view text, const JsonMember& m, size_t value_end);

// Parses a whole number token (as returned by read_number) as int64; false for fractions,
// exponents or overflow.
bool parse_int64(std::string_view token, int64_t& out);

// Whether `body` is what may stand between a JSON string's quotes: no unescaped quote, no control
// byte, every escape complete and known (the scanner's own string checks, without the quotes).
bool is_string_body(std::string_view body);

// "Not sure" from valid_value_end.
inline constexpr size_t kNotSure = static_cast<size_t>(-1);

// The end (one past its last byte) of the JSON value at `pos`, whitespace before it skipped, when
// the value is certainly valid by skip_value_strict's rules with at most `max_depth` nested
// containers (its own included); kNotSure for anything invalid, and for what is valid but rare:
// nesting deeper than 64, a number with an exponent that has 10 or more digits or that is 2^30
// bytes long or more (Boost.JSON may refuse its range). A single pass without a scanner, for
// callers that want exact errors only on the rare "not sure" (then they scan again the slow way).
// Bytes that are not UTF-8 and lone surrogate escapes pass, as in the scanner.
size_t valid_value_end(std::string_view text, size_t pos, size_t max_depth);

// Compares a string token's value with `word` (unescaping only when the token has escapes).
bool string_equals(std::string_view text, const JsonString& s, std::string_view word);

}  // namespace cg::wire
