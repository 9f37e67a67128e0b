// See from_anthropic_request.h. One forward pass of wire::JsonScanner over the body, no DOM.
//
// Member order is free and a repeated key counts with its last value, as in a DOM: the members of
// each object are recorded first (the kind and byte span of each value its checks read) and
// interpreted once the object is read, so the checks run in a fixed order. The bulk of a body
// (messages and their blocks, system, tools, a tool_result's parts) is interpreted while it is
// read; a check that fails there is set aside and the value skipped whole, so that a JSON error
// later in the body still wins and errors come in the order of the checks. Strings are unescaped
// only when kept.
//
// What the Boost.JSON parse this replaced refuses is refused here too, as a 400 invalid_json: the
// grammar (values not interpreted are skipped token by token), invalid UTF-8 and lone surrogate
// escapes (wire::check_json_text over the whole body), nesting deeper than 256 and numbers whose
// exponent overflows its parser. The JSON values a Request keeps (tool schemas, the output schema)
// are parsed by Boost.JSON from their place in the body; a tool_use input is kept as the text
// Boost.JSON serializes it to: its own bytes when they are that text already, else parsed and
// serialized.
#include "translate/from_anthropic_request.h"

#include <cstring>
#include <memory>
#include <optional>

#include "translate/json_util.h"
#include "wire/json_scan.h"
#include "wire/json_text.h"

namespace cg::translate {

namespace {

using Kind = Block::Kind;
using wire::JsonElement;
using wire::JsonKind;
using wire::JsonMember;
using wire::JsonScanner;

constexpr size_t kNpos = std::string_view::npos;

// The nesting limit of the Boost.JSON parse this replaced (parse_object): deeper is invalid JSON.
constexpr size_t kMaxDepth = 256;

// Where a field is ("messages.3.content.1"), as a chain of stack objects formatted only when an
// error names it: a valid request costs no string building.
struct Path {
  std::string_view name;  // "messages", "content", "system", "tools"
  size_t index = 0;
  const Path* parent = nullptr;  // the enclosing element, if any

  std::string str() const {
    std::string s = parent ? parent->str() + "." : std::string();
    s.append(name).append(".").append(std::to_string(index));
    return s;
  }
  std::string operator+(std::string_view suffix) const { return str().append(suffix); }
  operator std::string() const { return str(); }  // NOLINT: reads like the string it stands for
};

ApiError invalid_json(const char* what, size_t offset) {
  std::string message = "Invalid JSON body: ";
  message.append(what ? what : "malformed").append(" at byte ").append(std::to_string(offset));
  message.push_back('.');
  return ApiError::bad_request(std::move(message), "invalid_json");
}

ApiError invalid_json(const JsonScanner& s) {
  return invalid_json(s.error(), s.error_offset());
}

// ---- Scanning ----

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// s == word, compared inline (word is a literal: its size is known at compile time).
template <size_t N>
bool is(std::string_view s, const char (&word)[N]) {
  return s.size() == N - 1 && std::memcmp(s.data(), word, N - 1) == 0;
}

// A number token of at most 18 digits without fraction or exponent, as int64 (others: nullopt).
std::optional<int64_t> small_int(std::string_view token) {
  const char* p = token.data();
  const char* const end = p + token.size();
  const bool negative = *p == '-';
  p += negative ? 1 : 0;
  if (p == end || end - p > 18) return std::nullopt;
  int64_t n = 0;
  for (; p < end; ++p) {
    if (!is_digit(*p)) return std::nullopt;
    n = n * 10 + (*p - '0');
  }
  return negative ? -n : n;
}

// The kind of the value at the scanner, read from its first byte: the scanner's readers leave it
// there, past the whitespace (peek_kind for any other position).
JsonKind kind_at(JsonScanner& s) {
  const std::string_view text = s.text();
  if (s.pos() < text.size()) {
    switch (text[s.pos()]) {
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
      default:
        if (text[s.pos()] == '-' || is_digit(text[s.pos()])) return JsonKind::kNumber;
        break;
    }
  }
  return s.peek_kind();
}

// ---- What Boost.JSON refuses beyond the scanner's grammar ----

// Parses the value at the scanner with Boost.JSON into `out` (allocated from `sp`) and moves past
// it; `depth` containers enclose it. Boost.JSON is given the text up to the end of the body, as in
// a parse of the whole body: how it rounds a number depends on how much text follows it.
bool parse_value(JsonScanner& s, size_t depth, json::storage_ptr sp, json::value& out) {
  s.peek_char();
  const size_t begin = s.pos();
  json::parse_options opts;
  opts.max_depth = kMaxDepth - depth;
  unsigned char stack[1024];
  json::parser p(json::storage_ptr(), opts, stack, sizeof stack);
  p.reset(std::move(sp));
  boost::system::error_code ec;
  const std::string_view rest = s.text().substr(begin);
  const size_t n = p.write_some(rest.data(), rest.size(), ec);
  if (ec) {
    const char* what = ec == json::error::too_deep            ? "nesting too deep"
                       : ec == json::error::exponent_overflow ? "exponent overflow"
                                                              : "invalid value";
    return s.fail(what, begin + n);
  }
  out = p.release();
  s.seek(begin + n);
  return true;
}

// Whether Boost.JSON takes the (grammar-checked) number `token` at `begin` in `text`. It refuses
// an exponent that leaves the int range once the mantissa's digits are counted in, which takes a
// 10-digit exponent or a 2^30-digit mantissa: only such tokens are handed to it.
bool exponent_fits(std::string_view text, size_t begin, std::string_view token) {
  size_t e = 0;
  while (e < token.size() && (token[e] | 0x20) != 'e')
    ++e;
  if (e == token.size()) return true;
  const size_t sign = token[e + 1] == '+' || token[e + 1] == '-' ? 1 : 0;
  if (token.size() - e - 1 - sign < 10 && token.size() < (size_t{1} << 30)) return true;
  JsonScanner s(text);
  s.seek(begin);
  json::value ignored;
  return parse_value(s, 0, {}, ignored);
}

// Skips the number starting at `begin`, refused when Boost.JSON refuses it.
bool skip_number_checked(JsonScanner& s, size_t begin) {
  std::string_view token;
  if (!s.read_number(token)) return false;
  return exponent_fits(s.text(), begin, token) || s.fail("exponent overflow", begin);
}

// Skips a scalar of kind `kind` at the scanner with Boost.JSON's checks.
bool skip_scalar_checked(JsonScanner& s, JsonKind kind) {
  if (kind == JsonKind::kNumber) return skip_number_checked(s, s.pos());
  return s.skip_value();  // strings and literals get the exact checks
}

// Skips the object or array at the scanner with Boost.JSON's checks: token by token (the full
// grammar), numbers, and the nesting limit (`depth` containers enclose it). Iterative: one bit
// per open level says object or array.
bool skip_container_checked(JsonScanner& s, size_t depth) {
  const size_t limit = kMaxDepth - depth;  // levels the value may open
  uint64_t is_object[kMaxDepth / 64] = {};
  size_t level = 0;
  JsonKind kind = kind_at(s);
  for (;;) {
    bool first = false;  // the next member or element is the first of a level just opened
    if (kind == JsonKind::kObject || kind == JsonKind::kArray) {
      if (level == limit) return s.fail("nesting too deep", s.pos());
      const uint64_t bit = uint64_t{1} << (level % 64);
      if (kind == JsonKind::kObject) {
        is_object[level / 64] |= bit;
      } else {
        is_object[level / 64] &= ~bit;
      }
      ++level;
      if (!(kind == JsonKind::kObject ? s.enter_object() : s.enter_array())) return false;
      first = true;
    } else if (!skip_scalar_checked(s, kind)) {
      return false;
    }
    // On to the next value of the innermost open level, closing the levels that end.
    for (;;) {
      const size_t top = level - 1;
      bool more = false;
      if ((is_object[top / 64] >> (top % 64)) & 1) {
        JsonMember m;
        m.index = first ? 0 : 1;
        more = s.next_member(m);
      } else {
        JsonElement e;
        e.index = first ? 0 : 1;
        more = s.next_element(e);
      }
      if (more) break;
      if (!s.ok()) return false;
      if (--level == 0) return true;
      first = false;
    }
    kind = kind_at(s);
  }
}

// Skips one value with Boost.JSON's checks (`depth` containers enclose it).
bool skip_checked(JsonScanner& s, size_t depth) {
  const JsonKind kind = kind_at(s);
  if (kind == JsonKind::kObject || kind == JsonKind::kArray)
    return skip_container_checked(s, depth);
  return skip_scalar_checked(s, kind);
}

// ---- tool_use input already in Boost.JSON's serialized form ----

// Whether a string token's raw contents use only escapes Boost.JSON writes the same way (quote,
// backslash and the short forms of control characters), so that it serializes them unchanged.
bool serialized_escapes(std::string_view raw) {
  for (size_t i = raw.find('\\'); i != kNpos; i = raw.find('\\', i + 2)) {
    const char c = raw[i + 1];
    if (c != '"' && c != '\\' && c != 'b' && c != 'f' && c != 'n' && c != 'r' && c != 't')
      return false;
  }
  return true;
}

bool serialized_form(JsonScanner& s, size_t depth);

// The object at the scanner in serialized form: no whitespace, no key twice.
bool serialized_object(JsonScanner& s, size_t depth) {
  constexpr size_t kMaxKeys = 16;
  const std::string_view text = s.text();
  size_t next = s.pos() + 1;  // where the first key or the closing brace must be
  if (!s.enter_object()) return false;
  std::string_view keys[kMaxKeys];
  size_t count = 0;
  JsonMember m;
  while (s.next_member(m)) {
    const std::string_view key = m.key.raw(text);
    if (m.key.begin != next + (m.index > 1 ? 1 : 0) || m.value_begin != m.key.end + 1 ||
        count == kMaxKeys || !serialized_escapes(key))
      return false;
    for (size_t i = 0; i < count; ++i)
      if (keys[i] == key) return false;
    keys[count++] = key;
    if (!serialized_form(s, depth)) return false;
    next = s.pos();
  }
  return s.ok() && s.pos() == next + 1;
}

bool serialized_array(JsonScanner& s, size_t depth) {
  size_t next = s.pos() + 1;
  if (!s.enter_array()) return false;
  JsonElement e;
  while (s.next_element(e)) {
    if (e.value_begin != next + (e.index > 1 ? 1 : 0) || !serialized_form(s, depth)) return false;
    next = s.pos();
  }
  return s.ok() && s.pos() == next + 1;
}

// Whether the value at the scanner (at its first byte) is already the text Boost.JSON serializes
// it to: compact, strings with only its escapes, integers only, no key twice, at most 16 levels;
// moves past it. False when it is not, or is invalid JSON.
bool serialized_form(JsonScanner& s, size_t depth) {
  constexpr size_t kMaxLevels = 16;
  const std::string_view text = s.text();
  if (s.pos() >= text.size()) return false;
  switch (text[s.pos()]) {
    case '"': {
      wire::JsonString str;
      return s.read_string(str) && serialized_escapes(str.raw(text));
    }
    case '{':
      return depth < kMaxLevels && serialized_object(s, depth + 1);
    case '[':
      return depth < kMaxLevels && serialized_array(s, depth + 1);
    case 't':
    case 'f':
    case 'n':
      return s.skip_value();
    default: {
      std::string_view token;
      int64_t n = 0;
      return s.read_number(token) && wire::parse_int64(token, n) && !is(token, "-0");
    }
  }
}

// ---- Recorded members ----

// A failed check set aside until the checks reach it (null: none). A pointer, so that the many
// objects holding one stay small.
using Aside = std::unique_ptr<ApiError>;

// A member value recorded while its object is read, interpreted once the object is complete.
struct Value {
  size_t begin = 0, end = 0;           // the value's bytes (a string's with its quotes)
  JsonKind kind = JsonKind::kInvalid;  // kInvalid: the member is absent
  bool escapes = false;                // a string with escape sequences

  size_t size() const { return end - begin; }
  // Present and not null: what json_util's member() finds.
  bool given() const { return kind != JsonKind::kInvalid && kind != JsonKind::kNull; }
  bool is_string() const { return kind == JsonKind::kString; }
  bool is_object() const { return kind == JsonKind::kObject; }
  bool is_array() const { return kind == JsonKind::kArray; }
  bool is_bool() const { return kind == JsonKind::kTrue || kind == JsonKind::kFalse; }
  bool is_true() const { return kind == JsonKind::kTrue; }
};

// Records the value at the scanner into `v`: a string as its token, anything else skipped with
// Boost.JSON's checks (`depth` containers enclose it).
bool record(JsonScanner& s, Value& v, size_t depth) {
  v.kind = kind_at(s);
  v.begin = s.pos();
  v.escapes = false;
  bool ok = true;
  switch (v.kind) {
    case JsonKind::kString: {
      wire::JsonString token;
      ok = s.read_string(token);
      v.escapes = token.has_escapes;
      break;
    }
    case JsonKind::kObject:
    case JsonKind::kArray:
      ok = skip_container_checked(s, depth);
      break;
    case JsonKind::kNumber:
      ok = skip_number_checked(s, v.begin);
      break;
    default:
      ok = s.skip_value();
      break;
  }
  v.end = s.pos();
  return ok;
}

// The members each object's checks read. slot() names the ones recorded as they are.
struct SourceFields {
  Value type, media_type, data;
  Value* slot(std::string_view key) {
    if (is(key, "type")) return &type;
    if (is(key, "media_type")) return &media_type;
    if (is(key, "data")) return &data;
    return nullptr;
  }
};

struct BlockFields {
  Value type, text, cache_control, id, name, input, tool_use_id, is_error, content, thinking,
      signature, data, title;
  Value source;
  SourceFields src;          // when `source` is an object
  std::string input_json;    // when `input` is an object: its JSON text
  std::vector<Block> parts;  // when `content` is an array: its blocks...
  Aside parts_error;         // ...or the error of its first bad block
  Value* slot(std::string_view key) {
    if (is(key, "type")) return &type;
    if (is(key, "text")) return &text;
    if (is(key, "cache_control")) return &cache_control;
    if (is(key, "id")) return &id;
    if (is(key, "name")) return &name;
    if (is(key, "input")) return &input;
    if (is(key, "tool_use_id")) return &tool_use_id;
    if (is(key, "is_error")) return &is_error;
    if (is(key, "content")) return &content;
    if (is(key, "thinking")) return &thinking;
    if (is(key, "signature")) return &signature;
    if (is(key, "data")) return &data;
    if (is(key, "title")) return &title;
    return nullptr;
  }
};

struct MessageFields {
  Value role, content;
  Aside content_error;  // when `content` is an array: its first bad block's
};

struct SystemBlockFields {
  Value text, cache_control;
  Value* slot(std::string_view key) {
    if (is(key, "text")) return &text;
    if (is(key, "cache_control")) return &cache_control;
    return nullptr;
  }
};

struct ToolFields {
  Value type, name, description, input_schema, strict;
  json::value schema;  // when `input_schema` is an object
  Value* slot(std::string_view key) {
    if (is(key, "name")) return &name;
    if (is(key, "description")) return &description;
    if (is(key, "type")) return &type;
    if (is(key, "strict")) return &strict;
    return nullptr;
  }
};

struct ToolChoiceFields {
  Value type, name, disable_parallel_tool_use;
  Value* slot(std::string_view key) {
    if (is(key, "type")) return &type;
    if (is(key, "name")) return &name;
    if (is(key, "disable_parallel_tool_use")) return &disable_parallel_tool_use;
    return nullptr;
  }
};

struct ThinkingFields {
  Value type, budget_tokens;
  Value* slot(std::string_view key) {
    if (is(key, "type")) return &type;
    if (is(key, "budget_tokens")) return &budget_tokens;
    return nullptr;
  }
};

struct OutputConfigFields {
  Value effort, format;
  Value* slot(std::string_view key) {
    if (is(key, "effort")) return &effort;
    if (is(key, "format")) return &format;
    return nullptr;
  }
};

struct FormatFields {
  Value schema;
  Value* slot(std::string_view key) { return is(key, "schema") ? &schema : nullptr; }
};

struct MetadataFields {
  Value user_id;
  Value* slot(std::string_view key) { return is(key, "user_id") ? &user_id : nullptr; }
};

// The top level: small members recorded, the bulk interpreted as it is read.
struct Root {
  Value model, max_tokens, messages, system, tools, tool_choice, thinking, output_config,
      stop_sequences, temperature, top_p, stream, metadata;
  std::vector<Message> message_list;
  Aside messages_error;
  Message system_message;  // kSystem; empty when there is no system text
  Aside system_error;
  std::vector<Tool> tool_list;
  Aside tools_error;
  Value* slot(std::string_view key) {
    if (is(key, "model")) return &model;
    if (is(key, "max_tokens")) return &max_tokens;
    if (is(key, "stream")) return &stream;
    if (is(key, "metadata")) return &metadata;
    if (is(key, "thinking")) return &thinking;
    if (is(key, "tool_choice")) return &tool_choice;
    if (is(key, "output_config")) return &output_config;
    if (is(key, "temperature")) return &temperature;
    if (is(key, "top_p")) return &top_p;
    if (is(key, "stop_sequences")) return &stop_sequences;
    return nullptr;
  }
};

// ---- The parser ----

// Functions returning bool: false stops. The scanner's error (invalid JSON) is then set, or else
// err_ says which check failed.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool read_root(JsonScanner& s, Root& root);
  Result<Request> build(Root& root, AnthropicParseOptions opts);

 private:
  // Strings of recorded values.
  std::string_view raw(const Value& v) const { return text_.substr(v.begin + 1, v.size() - 2); }
  void append(std::string& out, const Value& v) const {
    if (v.escapes) {
      wire::append_unescaped(out, raw(v));  // escapes checked by check_json_text and the scanner
    } else {
      out.append(raw(v));
    }
  }
  void assign(std::string& out, const Value& v) const {
    out.clear();
    append(out, v);
  }
  std::string_view view(const Value& v, std::string& tmp) const {
    if (!v.escapes) return raw(v);
    assign(tmp, v);
    return tmp;
  }
  std::string_view key_of(const JsonMember& m);
  json::value number(const Value& v) const;
  std::optional<int64_t> integer(const Value& v) const;
  std::optional<double> real(const Value& v) const;

  bool fail(std::string param, std::string message) {
    err_.emplace(field_error(std::move(param), std::move(message)));
    return false;
  }
  bool fail(ApiError e) {
    err_.emplace(std::move(e));
    return false;
  }

  template <class F>
  bool read_aside(JsonScanner& s, size_t depth, Aside& aside, F&& interpret);
  template <class Fields>
  bool read_fields(JsonScanner& s, size_t depth, Fields& f);
  template <class Fields>
  bool fields_of(const Value& v, size_t depth, Fields& f);

  bool messages(JsonScanner& s, std::vector<Message>& out);
  bool message(JsonScanner& s, size_t i, std::vector<Message>& out);
  bool read_message_fields(JsonScanner& s, const Path& where, MessageFields& f,
                           std::vector<Block>& blocks);
  bool read_blocks(JsonScanner& s, const Path& where, size_t depth, bool nested,
                   std::vector<Block>& out);
  bool block(JsonScanner& s, const Path& where, size_t depth, bool nested, Block& b, bool& keep);
  bool read_block_fields(JsonScanner& s, const Path& where, size_t depth, bool nested,
                         BlockFields& f);
  bool read_source(JsonScanner& s, size_t depth, BlockFields& f);
  bool read_parts(JsonScanner& s, const Path& where, size_t depth, BlockFields& f);
  bool read_input(JsonScanner& s, size_t depth, BlockFields& f);
  bool interpret_block(BlockFields& f, const Path& where, bool nested, Block& b, bool& keep);
  bool image(const BlockFields& f, const Path& where, Block& b);
  bool document(const BlockFields& f, const Path& where, Block& b);
  bool tool_use(BlockFields& f, const Path& where, Block& b);
  bool tool_result(BlockFields& f, const Path& where, Block& b);
  void thinking_block(const BlockFields& f, Block& b);

  bool system(JsonScanner& s, Message& m);
  bool system_blocks(JsonScanner& s, Message& m);
  bool tools(JsonScanner& s, std::vector<Tool>& out);
  bool tool(JsonScanner& s, size_t i, std::vector<Tool>& out);
  bool read_tool_fields(JsonScanner& s, ToolFields& f);

  bool tool_choice(const Value& v, Request& r);
  bool thinking(const Value& v, Request& r);
  bool output_config(const Value& v, bool thinking, Request& r);
  bool stop_sequences(const Value& v, Request& r);
  bool sampling(const Root& root, Request& r);
  bool metadata(const Value& v, Request& r);

  std::string_view text_;
  std::optional<ApiError> err_;
  std::string key_;  // a key with escapes, unescaped
};

std::string_view Parser::key_of(const JsonMember& m) {
  if (!m.key.has_escapes) return {text_.data() + m.key.begin + 1, m.key.end - m.key.begin - 2};
  key_.clear();
  wire::append_unescaped(key_, m.key.raw(text_));
  return key_;
}

// A recorded number as Boost.JSON holds it (int64, uint64 or double); null for other kinds.
json::value Parser::number(const Value& v) const {
  if (v.kind != JsonKind::kNumber) return nullptr;
  JsonScanner s(text_);
  s.seek(v.begin);
  json::value n;
  if (!parse_value(s, 0, {}, n)) return nullptr;
  return n;
}

// as_int / as_number of a recorded value, without Boost.JSON for short integers.
std::optional<int64_t> Parser::integer(const Value& v) const {
  if (v.kind == JsonKind::kNumber) {
    if (const std::optional<int64_t> i = small_int({text_.data() + v.begin, v.size()})) return i;
  }
  return as_int(number(v));
}
std::optional<double> Parser::real(const Value& v) const {
  if (v.kind == JsonKind::kNumber) {
    if (const std::optional<int64_t> i = small_int({text_.data() + v.begin, v.size()}))
      return static_cast<double>(*i);
  }
  return as_number(number(v));
}

// Interprets the value at the scanner; when a check fails, its error goes to `aside` (reported
// when the caller's checks reach it) and the value is skipped whole, so that invalid JSON after
// it still wins.
template <class F>
bool Parser::read_aside(JsonScanner& s, size_t depth, Aside& aside, F&& interpret) {
  s.peek_char();
  const size_t begin = s.pos();
  aside.reset();
  if (interpret()) return true;
  if (!s.ok()) return false;
  aside = std::make_unique<ApiError>(std::move(*err_));
  err_.reset();
  s.seek(begin);
  return skip_checked(s, depth);
}

// Records the members of the object at the scanner that `f` names (`depth` containers enclose
// the object); skips the others.
template <class Fields>
bool Parser::read_fields(JsonScanner& s, size_t depth, Fields& f) {
  if (!s.enter_object()) return false;
  JsonMember m;
  while (s.next_member(m)) {
    Value* v = f.slot(key_of(m));
    if (!(v ? record(s, *v, depth + 1) : skip_checked(s, depth + 1))) return false;
  }
  return s.ok();
}

// read_fields over a recorded object (checked when it was recorded).
template <class Fields>
bool Parser::fields_of(const Value& v, size_t depth, Fields& f) {
  JsonScanner s(text_);
  s.seek(v.begin);
  if (read_fields(s, depth, f)) return true;
  return fail(invalid_json(s));
}

// ---- messages ----

bool Parser::messages(JsonScanner& s, std::vector<Message>& out) {
  out.clear();
  if (kind_at(s) != JsonKind::kArray) return skip_checked(s, 1);
  if (!s.enter_array()) return false;
  JsonElement e;
  while (s.next_element(e)) {
    if (!message(s, e.index - 1, out)) return false;
  }
  return s.ok();
}

bool Parser::message(JsonScanner& s, size_t i, std::vector<Message>& out) {
  const Path where{"messages", i, nullptr};
  if (kind_at(s) != JsonKind::kObject) return fail(where, "Input should be an object");
  Message& msg = out.emplace_back();
  MessageFields f;
  if (!read_message_fields(s, where, f, msg.content)) return false;
  if (!f.role.is_string()) return fail(where + ".role", "Field required");
  std::string tmp;
  const std::string_view role = view(f.role, tmp);
  if (is(role, "user")) {
    msg.role = Role::kUser;
  } else if (is(role, "assistant")) {
    msg.role = Role::kAssistant;
  } else if (is(role, "system")) {
    msg.role = Role::kSystem;
  } else {
    return fail(where + ".role", "Input should be 'user' or 'assistant'");
  }
  if (!f.content.given()) return fail(where + ".content", "Field required");
  if (f.content.is_string()) {
    assign(msg.content.emplace_back().text, f.content);
  } else if (!f.content.is_array()) {
    return fail(where + ".content", "Input should be a string or list");
  } else if (f.content_error) {
    return fail(std::move(*f.content_error));
  }
  return true;
}

// A message's members; the blocks of an array `content` go to `blocks`.
bool Parser::read_message_fields(JsonScanner& s, const Path& where, MessageFields& f,
                                 std::vector<Block>& blocks) {
  if (!s.enter_object()) return false;
  JsonMember m;
  while (s.next_member(m)) {
    const std::string_view key = key_of(m);
    bool ok = true;
    if (is(key, "role")) {
      ok = record(s, f.role, 3);
    } else if (is(key, "content")) {
      blocks.clear();
      f.content_error.reset();
      if (kind_at(s) == JsonKind::kArray) {
        f.content.kind = JsonKind::kArray;
        ok = read_aside(s, 3, f.content_error,
                        [&] { return read_blocks(s, where, 3, false, blocks); });
      } else {
        ok = record(s, f.content, 3);
      }
    } else {
      ok = skip_checked(s, 3);
    }
    if (!ok) return false;
  }
  return s.ok();
}

// The blocks of a content array (`depth` containers enclose it): a message's, or a tool_result's
// when `nested`.
bool Parser::read_blocks(JsonScanner& s, const Path& where, size_t depth, bool nested,
                         std::vector<Block>& out) {
  out.clear();
  if (!s.enter_array()) return false;
  JsonElement e;
  while (s.next_element(e)) {
    bool keep = true;
    if (!block(s, Path{"content", e.index - 1, &where}, depth + 1, nested, out.emplace_back(),
               keep))
      return false;
    if (!keep) out.pop_back();
  }
  return s.ok();
}

// One block of a message's content (or of a tool_result's content when `nested`); `depth`
// containers enclose it. Sets `keep` false for blocks that are dropped.
bool Parser::block(JsonScanner& s, const Path& where, size_t depth, bool nested, Block& b,
                   bool& keep) {
  keep = true;
  if (kind_at(s) != JsonKind::kObject) return fail(where, "Input should be an object");
  BlockFields f;
  if (!read_block_fields(s, where, depth + 1, nested, f)) return false;
  return interpret_block(f, where, nested, b, keep);
}

// `depth` containers enclose the member values. A message block's `content` is read as a
// tool_result's parts and its `input` as tool_use input, whatever its type turns out to be.
bool Parser::read_block_fields(JsonScanner& s, const Path& where, size_t depth, bool nested,
                               BlockFields& f) {
  if (!s.enter_object()) return false;
  JsonMember m;
  while (s.next_member(m)) {
    const std::string_view key = key_of(m);
    bool ok = true;
    if (is(key, "source")) {
      ok = read_source(s, depth, f);
    } else if (!nested && is(key, "content")) {
      ok = read_parts(s, where, depth, f);
    } else if (!nested && is(key, "input")) {
      ok = read_input(s, depth, f);
    } else if (Value* v = f.slot(key)) {
      ok = record(s, *v, depth);
    } else {
      ok = skip_checked(s, depth);
    }
    if (!ok) return false;
  }
  return s.ok();
}

bool Parser::read_source(JsonScanner& s, size_t depth, BlockFields& f) {
  f.src = SourceFields{};
  if (kind_at(s) != JsonKind::kObject) return record(s, f.source, depth);
  f.source.kind = JsonKind::kObject;
  return read_fields(s, depth, f.src);
}

bool Parser::read_parts(JsonScanner& s, const Path& where, size_t depth, BlockFields& f) {
  f.parts.clear();
  f.parts_error.reset();
  if (kind_at(s) != JsonKind::kArray) return record(s, f.content, depth);
  f.content.kind = JsonKind::kArray;
  return read_aside(s, depth, f.parts_error,
                    [&] { return read_blocks(s, where, depth, true, f.parts); });
}

// A tool_use input object as Boost.JSON serializes it: the bytes themselves when they are that
// form already (JSON.stringify's output mostly is), else parsed and serialized.
bool Parser::read_input(JsonScanner& s, size_t depth, BlockFields& f) {
  if (kind_at(s) != JsonKind::kObject) return record(s, f.input, depth);
  f.input.kind = JsonKind::kObject;
  const size_t begin = s.pos();
  JsonScanner compact(text_);
  compact.seek(begin);
  if (serialized_form(compact, 0)) {
    f.input_json.assign(text_.substr(begin, compact.pos() - begin));
    s.seek(compact.pos());
    return true;
  }
  ParseArena arena;
  json::value input(arena.storage());
  if (!parse_value(s, depth, arena.storage(), input)) return false;
  f.input_json = to_json(input);
  return true;
}

bool Parser::interpret_block(BlockFields& f, const Path& where, bool nested, Block& b, bool& keep) {
  if (!f.type.is_string()) return fail(where + ".type", "Field required");
  std::string tmp;
  const std::string_view t = view(f.type, tmp);
  if (f.cache_control.is_object()) b.cache_control = true;
  if (is(t, "text")) {
    b.kind = Kind::kText;
    if (!f.text.is_string()) return fail(where + ".text", "Field required (a string)");
    assign(b.text, f.text);
    return true;
  }
  if (is(t, "image")) return image(f, where, b);
  if (is(t, "document")) return document(f, where, b);
  if (nested) {
    if (is(t, "search_result")) {
      keep = false;
      return true;
    }
    return fail(where + ".type", "Unsupported tool_result content type '" + std::string(t) + "'");
  }
  if (is(t, "tool_use")) return tool_use(f, where, b);
  if (is(t, "tool_result")) return tool_result(f, where, b);
  if (is(t, "thinking")) {
    thinking_block(f, b);
    return true;
  }
  if (is(t, "redacted_thinking")) {
    b.kind = Kind::kRedactedThinking;
    if (f.data.is_string()) assign(b.signature, f.data);
    return true;
  }
  if (is(t, "server_tool_use") || t.ends_with("_tool_result") || is(t, "container_upload") ||
      is(t, "search_result")) {
    keep = false;  // server tools run at Anthropic only
    return true;
  }
  return fail(where + ".type", "Unsupported content block type '" + std::string(t) + "'");
}

bool Parser::image(const BlockFields& f, const Path& where, Block& b) {
  if (!f.source.is_object()) return fail(where + ".source", "Field required");
  std::string tmp;
  const std::string_view t = f.src.type.is_string() ? view(f.src.type, tmp) : "";
  if (is(t, "base64")) {
    if (!f.src.media_type.is_string()) return fail(where + ".source.media_type", "Field required");
    if (!f.src.data.is_string()) return fail(where + ".source.data", "Field required");
    b.kind = Kind::kImage;
    b.image_url.reserve(f.src.data.size() + 32);
    b.image_url.append("data:");
    append(b.image_url, f.src.media_type);
    b.image_url.append(";base64,");
    append(b.image_url, f.src.data);
    return true;
  }
  if (is(t, "url")) {
    return fail(where + ".source",
                "Image URLs are not supported by this gateway; send the image as a base64 "
                "source");
  }
  return fail(where + ".source.type", "Unsupported image source type '" + std::string(t) + "'");
}

bool Parser::document(const BlockFields& f, const Path& where, Block& b) {
  std::string tmp;
  if (f.source.is_object() && f.src.type.is_string() && is(view(f.src.type, tmp), "text") &&
      f.src.data.is_string()) {
    b.kind = Kind::kText;
    if (f.title.is_string()) {
      append(b.text, f.title);
      b.text.append("\n\n");
    }
    append(b.text, f.src.data);
    return true;
  }
  return fail(where + ".source",
              "Only plain-text documents are supported by this gateway (Copilot cannot read "
              "PDF or file documents)");
}

bool Parser::tool_use(BlockFields& f, const Path& where, Block& b) {
  b.kind = Kind::kToolCall;
  if (!f.id.is_string()) return fail(where + ".id", "Field required");
  if (!f.name.is_string()) return fail(where + ".name", "Field required");
  assign(b.id, f.id);
  assign(b.name, f.name);
  b.arguments = f.input.is_object() ? std::move(f.input_json) : "{}";
  return true;
}

bool Parser::tool_result(BlockFields& f, const Path& where, Block& b) {
  b.kind = Kind::kToolResult;
  if (!f.tool_use_id.is_string()) return fail(where + ".tool_use_id", "Field required");
  assign(b.id, f.tool_use_id);
  if (f.is_error.is_bool()) b.is_error = f.is_error.is_true();
  if (!f.content.given()) return true;
  if (f.content.is_string()) {
    assign(b.text, f.content);
    return true;
  }
  if (!f.content.is_array()) return fail(where + ".content", "Input should be a string or list");
  if (f.parts_error) return fail(std::move(*f.parts_error));
  b.parts = std::move(f.parts);
  // One text part is the common case: keep it as plain text.
  if (b.parts.size() == 1 && b.parts[0].kind == Kind::kText) {
    b.text = std::move(b.parts[0].text);
    b.parts.clear();
  }
  return true;
}

void Parser::thinking_block(const BlockFields& f, Block& b) {
  b.kind = Kind::kThinking;
  if (f.thinking.is_string()) assign(b.text, f.thinking);
  if (f.signature.is_string()) assign(b.signature, f.signature);
  // "<encrypted_content>@<id>": a Responses reasoning item this gateway handed out as a
  // thinking block (base64 signatures never contain '@'); it goes back as that item.
  if (const size_t at = b.signature.rfind('@'); at != std::string::npos) {
    b.kind = Kind::kReasoning;
    b.id = b.signature.substr(at + 1);
    b.signature.resize(at);
  }
}

// ---- system and tools ----

bool Parser::system(JsonScanner& s, Message& m) {
  m = Message{};
  m.role = Role::kSystem;
  switch (kind_at(s)) {
    case JsonKind::kNull:
      return s.read_null();
    case JsonKind::kString: {
      Value text;
      if (!record(s, text, 1)) return false;
      if (text.size() > 2) assign(m.content.emplace_back().text, text);  // not ""
      return true;
    }
    case JsonKind::kArray:
      return system_blocks(s, m);
    default:
      return fail("system", "Input should be a string or list of text blocks");
  }
}

bool Parser::system_blocks(JsonScanner& s, Message& m) {
  if (!s.enter_array()) return false;
  JsonElement e;
  while (s.next_element(e)) {
    const Path where{"system", e.index - 1, nullptr};
    if (kind_at(s) != JsonKind::kObject) return fail(where, "Input should be an object");
    SystemBlockFields f;
    if (!read_fields(s, 2, f)) return false;
    if (!f.text.is_string()) return fail(where + ".text", "Field required (a string)");
    Block& b = m.content.emplace_back();
    assign(b.text, f.text);
    if (f.cache_control.given()) b.cache_control = true;
  }
  return s.ok();
}

bool Parser::tools(JsonScanner& s, std::vector<Tool>& out) {
  out.clear();
  const JsonKind kind = kind_at(s);
  if (kind == JsonKind::kNull) return s.read_null();
  if (kind != JsonKind::kArray) return fail("tools", "Input should be a list");
  if (!s.enter_array()) return false;
  JsonElement e;
  while (s.next_element(e)) {
    if (!tool(s, e.index - 1, out)) return false;
  }
  return s.ok();
}

bool Parser::tool(JsonScanner& s, size_t i, std::vector<Tool>& out) {
  const Path where{"tools", i, nullptr};
  if (kind_at(s) != JsonKind::kObject) return fail(where, "Input should be an object");
  ToolFields f;
  if (!read_tool_fields(s, f)) return false;
  if (f.type.is_string()) {
    std::string tmp;
    if (!is(view(f.type, tmp), "custom")) return true;  // a server tool: Copilot cannot run it
  }
  if (!f.name.is_string() || f.name.size() == 2) return fail(where + ".name", "Field required");
  if (!f.input_schema.is_object()) return fail(where + ".input_schema", "Field required");
  Tool& tool = out.emplace_back();
  assign(tool.name, f.name);
  if (f.description.is_string()) assign(tool.description, f.description);
  tool.parameters = std::move(f.schema);
  if (f.strict.is_bool()) tool.strict = f.strict.is_true();
  return true;
}

// A tool's members (at depth 3); an object `input_schema` is parsed as it is read.
bool Parser::read_tool_fields(JsonScanner& s, ToolFields& f) {
  if (!s.enter_object()) return false;
  JsonMember m;
  while (s.next_member(m)) {
    const std::string_view key = key_of(m);
    bool ok = true;
    if (is(key, "input_schema")) {
      if (kind_at(s) == JsonKind::kObject) {
        f.input_schema.kind = JsonKind::kObject;
        ok = parse_value(s, 3, {}, f.schema);
      } else {
        ok = record(s, f.input_schema, 3);
      }
    } else if (Value* v = f.slot(key)) {
      ok = record(s, *v, 3);
    } else {
      ok = skip_checked(s, 3);
    }
    if (!ok) return false;
  }
  return s.ok();
}

// ---- The top level ----

bool Parser::read_root(JsonScanner& s, Root& root) {
  if (!s.enter_object()) return false;
  JsonMember m;
  while (s.next_member(m)) {
    const std::string_view key = key_of(m);
    bool ok = true;
    if (is(key, "messages")) {
      root.messages.kind = kind_at(s);
      ok = read_aside(s, 1, root.messages_error, [&] { return messages(s, root.message_list); });
    } else if (is(key, "system")) {
      root.system.kind = kind_at(s);
      ok = read_aside(s, 1, root.system_error, [&] { return system(s, root.system_message); });
    } else if (is(key, "tools")) {
      root.tools.kind = kind_at(s);
      ok = read_aside(s, 1, root.tools_error, [&] { return tools(s, root.tool_list); });
    } else if (Value* v = root.slot(key)) {
      ok = record(s, *v, 1);
    } else {
      ok = skip_checked(s, 1);
    }
    if (!ok) return false;
  }
  return s.ok();
}

// The checks in their order; the first that fails is the answer.
Result<Request> Parser::build(Root& root, AnthropicParseOptions opts) {
  Request r;
  if (!root.model.is_string() || root.model.size() == 2)
    return field_error("model", "Field required");
  assign(r.model, root.model);

  if (root.max_tokens.given()) {
    const auto n = integer(root.max_tokens);
    if (!n || *n < 1) return field_error("max_tokens", "Input should be an integer >= 1");
    r.max_tokens = *n;
  } else if (opts.require_max_tokens) {
    return field_error("max_tokens", "Field required");
  }

  if (!root.messages.is_array()) return field_error("messages", "Field required");
  if (root.system_error) return std::move(*root.system_error);
  if (root.messages_error) return std::move(*root.messages_error);
  if (root.message_list.empty()) return field_error("messages", "At least one message is required");
  if (root.system_message.content.empty()) {
    r.messages = std::move(root.message_list);
  } else {
    r.messages.reserve(root.message_list.size() + 1);
    r.messages.push_back(std::move(root.system_message));
    for (Message& m : root.message_list)
      r.messages.push_back(std::move(m));
  }

  if (root.tools_error) return std::move(*root.tools_error);
  r.tools = std::move(root.tool_list);
  if (!tool_choice(root.tool_choice, r) || !thinking(root.thinking, r) ||
      !output_config(root.output_config, root.thinking.given(), r) ||
      !stop_sequences(root.stop_sequences, r) || !sampling(root, r) || !metadata(root.metadata, r))
    return std::move(*err_);
  return r;
}

bool Parser::tool_choice(const Value& v, Request& r) {
  if (!v.given()) return true;
  if (!v.is_object()) return fail("tool_choice", "Input should be an object");
  ToolChoiceFields f;
  if (!fields_of(v, 1, f)) return false;
  if (!f.type.is_string()) return fail("tool_choice.type", "Field required");
  std::string tmp;
  const std::string_view t = view(f.type, tmp);
  ToolChoice& c = r.tool_choice;
  if (is(t, "auto")) {
    c.mode = ToolChoice::Mode::kAuto;
  } else if (is(t, "any")) {
    c.mode = ToolChoice::Mode::kRequired;
  } else if (is(t, "none")) {
    c.mode = ToolChoice::Mode::kNone;
  } else if (is(t, "tool")) {
    if (!f.name.is_string()) return fail("tool_choice.name", "Field required");
    c.mode = ToolChoice::Mode::kNamed;
    assign(c.name, f.name);
  } else {
    return fail("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none'");
  }
  if (f.disable_parallel_tool_use.is_true()) r.parallel_tool_calls = false;
  return true;
}

bool Parser::thinking(const Value& v, Request& r) {
  if (!v.given()) return true;
  if (!v.is_object()) return fail("thinking", "Input should be an object");
  ThinkingFields f;
  if (!fields_of(v, 1, f)) return false;
  std::string tmp;
  const std::string_view t = f.type.is_string() ? view(f.type, tmp) : "";
  if (is(t, "enabled")) {
    const auto budget = f.budget_tokens.given() ? integer(f.budget_tokens) : std::nullopt;
    if (!budget || *budget < 1) return fail("thinking.budget_tokens", "Field required");
    r.thinking_budget = *budget;
  } else if (is(t, "adaptive")) {
    r.reasoning_effort = "medium";
  } else if (!is(t, "disabled")) {
    return fail("thinking.type", "Input should be 'enabled', 'adaptive' or 'disabled'");
  }
  return true;
}

// The effort counts only along with `thinking`; format.schema is the structured output schema.
bool Parser::output_config(const Value& v, bool thinking, Request& r) {
  if (!v.is_object()) return true;
  OutputConfigFields f;
  if (!fields_of(v, 1, f)) return false;
  if (f.effort.is_string() && thinking) assign(r.reasoning_effort, f.effort);
  if (!f.format.is_object()) return true;
  FormatFields format;
  if (!fields_of(f.format, 2, format)) return false;
  if (!format.schema.is_object()) return true;
  JsonScanner s(text_);
  s.seek(format.schema.begin);
  if (!parse_value(s, 3, {}, r.response_schema)) return fail(invalid_json(s));
  r.response_schema_name = "structured_output";
  return true;
}

bool Parser::stop_sequences(const Value& v, Request& r) {
  if (!v.given()) return true;
  if (!v.is_array()) return fail("stop_sequences", "Input should be a list");
  JsonScanner s(text_);
  s.seek(v.begin);
  if (!s.enter_array()) return fail(invalid_json(s));
  JsonElement e;
  while (s.next_element(e)) {
    if (kind_at(s) != JsonKind::kString)
      return fail("stop_sequences", "Input should be a list of strings");
    if (!s.read_string(r.stop.emplace_back())) return fail(invalid_json(s));
  }
  return s.ok() || fail(invalid_json(s));
}

bool Parser::sampling(const Root& root, Request& r) {
  if (root.temperature.given()) {
    r.temperature = real(root.temperature);
    if (!r.temperature) return fail("temperature", "Input should be a number");
  }
  if (root.top_p.given()) {
    r.top_p = real(root.top_p);
    if (!r.top_p) return fail("top_p", "Input should be a number");
  }
  if (root.stream.given()) {
    if (!root.stream.is_bool()) return fail("stream", "Input should be a valid boolean");
    r.stream = root.stream.is_true();
  }
  return true;
}

bool Parser::metadata(const Value& v, Request& r) {
  if (!v.is_object()) return true;
  MetadataFields f;
  if (!fields_of(v, 1, f)) return false;
  if (f.user_id.is_string()) assign(r.user, f.user_id);
  return true;
}

}  // namespace

Result<Request> from_anthropic_request(std::string_view body, AnthropicParseOptions opts) {
  size_t bad_at = 0;
  const char* bad = nullptr;
  if (!wire::check_json_text(body, bad_at, bad)) return invalid_json(bad, bad_at);
  JsonScanner s(body);
  if (s.peek_kind() != JsonKind::kObject) {
    if (!skip_checked(s, 0) || !s.finish()) return invalid_json(s);
    return ApiError::bad_request("The request body must be a JSON object.", "invalid_json");
  }
  Parser p(body);
  Root root;
  if (!p.read_root(s, root) || !s.finish()) return invalid_json(s);
  return p.build(root, opts);
}

}  // namespace cg::translate
