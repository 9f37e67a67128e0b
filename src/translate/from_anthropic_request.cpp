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
// exponent overflows its parser. The JSON schemas a Request keeps (tool schemas, the output
// schema) are kept as the text the client sent, checked like the rest; a tool_use input is kept as
// the text Boost.JSON serializes it to: its own bytes when they are that text already, else parsed
// and serialized.
#include "translate/from_anthropic_request.h"

#include <memory>
#include <optional>

#include "translate/json_util.h"
#include "translate/request_scan.h"
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
constexpr JsonErrorWording kWording = JsonErrorWording::kAnthropic;

// ---- Scanning ----

// Skips one value with Boost.JSON's checks (`depth` containers enclose it).
bool skip_checked(JsonScanner& s, size_t depth) {
  return skip_value_checked(s, kMaxRequestDepth - depth, kWording);
}

// Records the value at the scanner (`depth` containers enclose it): see record_value.
bool record(JsonScanner& s, Recorded& v, size_t depth) {
  return record_value(s, v, kMaxRequestDepth - depth, kWording);
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

// The members each object's checks read. slot() names the ones recorded as they are.
struct SourceFields {
  Recorded type, media_type, data;
  Recorded* slot(std::string_view key) {
    if (is(key, "type")) return &type;
    if (is(key, "media_type")) return &media_type;
    if (is(key, "data")) return &data;
    return nullptr;
  }
};

struct BlockFields {
  Recorded type, text, cache_control, id, name, input, tool_use_id, is_error, content, thinking,
      signature, data, title;
  Recorded source;
  SourceFields src;          // when `source` is an object
  std::string input_json;    // when `input` is an object: its JSON text
  std::vector<Block> parts;  // when `content` is an array: its blocks...
  Aside parts_error;         // ...or the error of its first bad block
  Recorded* slot(std::string_view key) {
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
  Recorded role, content;
  Aside content_error;  // when `content` is an array: its first bad block's
};

struct SystemBlockFields {
  Recorded text, cache_control;
  Recorded* slot(std::string_view key) {
    if (is(key, "text")) return &text;
    if (is(key, "cache_control")) return &cache_control;
    return nullptr;
  }
};

struct ToolFields {
  Recorded type, name, description, input_schema, strict;
  std::string schema;  // its JSON text when `input_schema` is an object
  Recorded* slot(std::string_view key) {
    if (is(key, "name")) return &name;
    if (is(key, "description")) return &description;
    if (is(key, "type")) return &type;
    if (is(key, "strict")) return &strict;
    return nullptr;
  }
};

struct ToolChoiceFields {
  Recorded type, name, disable_parallel_tool_use;
  Recorded* slot(std::string_view key) {
    if (is(key, "type")) return &type;
    if (is(key, "name")) return &name;
    if (is(key, "disable_parallel_tool_use")) return &disable_parallel_tool_use;
    return nullptr;
  }
};

struct ThinkingFields {
  Recorded type, budget_tokens;
  Recorded* slot(std::string_view key) {
    if (is(key, "type")) return &type;
    if (is(key, "budget_tokens")) return &budget_tokens;
    return nullptr;
  }
};

struct OutputConfigFields {
  Recorded effort, format;
  Recorded* slot(std::string_view key) {
    if (is(key, "effort")) return &effort;
    if (is(key, "format")) return &format;
    return nullptr;
  }
};

struct FormatFields {
  Recorded schema;
  Recorded* slot(std::string_view key) { return is(key, "schema") ? &schema : nullptr; }
};

struct MetadataFields {
  Recorded user_id;
  Recorded* slot(std::string_view key) { return is(key, "user_id") ? &user_id : nullptr; }
};

// The top level: small members recorded, the bulk interpreted as it is read.
struct Root {
  Recorded model, max_tokens, messages, system, tools, tool_choice, thinking, output_config,
      stop_sequences, temperature, top_p, stream, metadata;
  std::vector<Message> message_list;
  Aside messages_error;
  Message system_message;  // kSystem; empty when there is no system text
  Aside system_error;
  std::vector<Tool> tool_list;
  Aside tools_error;
  Recorded* slot(std::string_view key) {
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
  // Strings of recorded values (escapes checked by check_json_text and the scanner).
  void append(std::string& out, const Recorded& v) const { append_token(out, text_, v.token()); }
  void assign(std::string& out, const Recorded& v) const { assign_token(out, text_, v.token()); }
  // Escaped text (Block::text, Tool::description): the string's bytes as they are.
  void append_raw(std::string& out, const Recorded& v) const {
    out.append(token_raw(text_, v.token()));
  }
  void assign_raw(std::string& out, const Recorded& v) const {
    out.assign(token_raw(text_, v.token()));
  }
  std::string_view view(const Recorded& v, std::string& tmp) const {
    return token_text(text_, v.token(), tmp);
  }
  json::value number(const Recorded& v) const;
  std::optional<int64_t> integer(const Recorded& v) const;
  std::optional<double> real(const Recorded& v) const;

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
  bool fields_of(const Recorded& v, size_t depth, Fields& f);

  bool messages(JsonScanner& s, std::vector<Message>& out);
  bool message(JsonScanner& s, size_t i, std::vector<Message>& out);
  bool read_message_fields(JsonScanner& s, const FieldPath& where, MessageFields& f,
                           std::vector<Block>& blocks);
  bool read_blocks(JsonScanner& s, const FieldPath& where, size_t depth, bool nested,
                   std::vector<Block>& out);
  bool block(JsonScanner& s, const FieldPath& where, size_t depth, bool nested, Block& b,
             bool& keep);
  bool read_block_fields(JsonScanner& s, const FieldPath& where, size_t depth, bool nested,
                         BlockFields& f);
  bool read_source(JsonScanner& s, size_t depth, BlockFields& f);
  bool read_parts(JsonScanner& s, const FieldPath& where, size_t depth, BlockFields& f);
  bool read_input(JsonScanner& s, size_t depth, BlockFields& f);
  bool interpret_block(BlockFields& f, const FieldPath& where, bool nested, Block& b, bool& keep);
  bool image(const BlockFields& f, const FieldPath& where, Block& b);
  bool document(const BlockFields& f, const FieldPath& where, Block& b);
  bool tool_use(BlockFields& f, const FieldPath& where, Block& b);
  bool tool_result(BlockFields& f, const FieldPath& where, Block& b);
  void thinking_block(const BlockFields& f, Block& b);

  bool system(JsonScanner& s, Message& m);
  bool system_blocks(JsonScanner& s, Message& m);
  bool tools(JsonScanner& s, std::vector<Tool>& out);
  bool tool(JsonScanner& s, size_t i, std::vector<Tool>& out);
  bool read_tool_fields(JsonScanner& s, ToolFields& f);

  bool tool_choice(const Recorded& v, Request& r);
  bool thinking(const Recorded& v, Request& r);
  bool output_config(const Recorded& v, bool thinking, Request& r);
  bool stop_sequences(const Recorded& v, Request& r);
  bool sampling(const Root& root, Request& r);
  bool metadata(const Recorded& v, Request& r);

  std::string_view text_;
  std::optional<ApiError> err_;
  std::string key_;  // a key with escapes, unescaped
};

// A recorded number as Boost.JSON holds it (int64, uint64 or double); null for other kinds.
json::value Parser::number(const Recorded& v) const {
  if (v.kind != JsonKind::kNumber) return nullptr;
  JsonScanner s(text_);
  s.seek(v.begin);
  json::value n;
  if (!parse_value_at(s, kMaxRequestDepth, kWording, n)) return nullptr;
  return n;
}

// as_int / as_number of a recorded value, without Boost.JSON for short integers.
std::optional<int64_t> Parser::integer(const Recorded& v) const {
  if (v.kind == JsonKind::kNumber) {
    if (const std::optional<int64_t> i = short_integer({text_.data() + v.begin, v.size()}))
      return i;
  }
  return as_int(number(v));
}
std::optional<double> Parser::real(const Recorded& v) const {
  if (v.kind == JsonKind::kNumber) {
    if (const std::optional<int64_t> i = short_integer({text_.data() + v.begin, v.size()}))
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
  return read_members(s, key_, [&](std::string_view key) {
    Recorded* v = f.slot(key);
    return v ? record(s, *v, depth + 1) : skip_checked(s, depth + 1);
  });
}

// read_fields over a recorded object (checked when it was recorded).
template <class Fields>
bool Parser::fields_of(const Recorded& v, size_t depth, Fields& f) {
  JsonScanner s(text_);
  s.seek(v.begin);
  if (read_fields(s, depth, f)) return true;
  return fail(invalid_json_body(s));
}

// ---- messages ----

bool Parser::messages(JsonScanner& s, std::vector<Message>& out) {
  out.clear();
  if (s.kind_at() != JsonKind::kArray) return skip_checked(s, 1);
  return read_elements(s, [&](size_t i) { return message(s, i, out); });
}

bool Parser::message(JsonScanner& s, size_t i, std::vector<Message>& out) {
  const FieldPath where{"messages", i, nullptr};
  if (s.kind_at() != JsonKind::kObject) return fail(where, "Input should be an object");
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
    assign_raw(msg.content.emplace_back().text, f.content);
  } else if (!f.content.is_array()) {
    return fail(where + ".content", "Input should be a string or list");
  } else if (f.content_error) {
    return fail(std::move(*f.content_error));
  }
  return true;
}

// A message's members; the blocks of an array `content` go to `blocks`.
bool Parser::read_message_fields(JsonScanner& s, const FieldPath& where, MessageFields& f,
                                 std::vector<Block>& blocks) {
  return read_members(s, key_, [&](std::string_view key) {
    if (is(key, "role")) return record(s, f.role, 3);
    if (!is(key, "content")) return skip_checked(s, 3);
    blocks.clear();
    f.content_error.reset();
    if (s.kind_at() != JsonKind::kArray) return record(s, f.content, 3);
    f.content.kind = JsonKind::kArray;
    return read_aside(s, 3, f.content_error,
                      [&] { return read_blocks(s, where, 3, false, blocks); });
  });
}

// The blocks of a content array (`depth` containers enclose it): a message's, or a tool_result's
// when `nested`.
bool Parser::read_blocks(JsonScanner& s, const FieldPath& where, size_t depth, bool nested,
                         std::vector<Block>& out) {
  out.clear();
  return read_elements(s, [&](size_t i) {
    bool keep = true;
    if (!block(s, FieldPath{"content", i, &where}, depth + 1, nested, out.emplace_back(), keep))
      return false;
    if (!keep) out.pop_back();
    return true;
  });
}

// One block of a message's content (or of a tool_result's content when `nested`); `depth`
// containers enclose it. Sets `keep` false for blocks that are dropped.
bool Parser::block(JsonScanner& s, const FieldPath& where, size_t depth, bool nested, Block& b,
                   bool& keep) {
  keep = true;
  if (s.kind_at() != JsonKind::kObject) return fail(where, "Input should be an object");
  BlockFields f;
  if (!read_block_fields(s, where, depth + 1, nested, f)) return false;
  return interpret_block(f, where, nested, b, keep);
}

// `depth` containers enclose the member values. A message block's `content` is read as a
// tool_result's parts and its `input` as tool_use input, whatever its type turns out to be.
bool Parser::read_block_fields(JsonScanner& s, const FieldPath& where, size_t depth, bool nested,
                               BlockFields& f) {
  return read_members(s, key_, [&](std::string_view key) {
    if (is(key, "source")) return read_source(s, depth, f);
    if (!nested && is(key, "content")) return read_parts(s, where, depth, f);
    if (!nested && is(key, "input")) return read_input(s, depth, f);
    if (Recorded* v = f.slot(key)) return record(s, *v, depth);
    return skip_checked(s, depth);
  });
}

bool Parser::read_source(JsonScanner& s, size_t depth, BlockFields& f) {
  f.src = SourceFields{};
  if (s.kind_at() != JsonKind::kObject) return record(s, f.source, depth);
  f.source.kind = JsonKind::kObject;
  return read_fields(s, depth, f.src);
}

bool Parser::read_parts(JsonScanner& s, const FieldPath& where, size_t depth, BlockFields& f) {
  f.parts.clear();
  f.parts_error.reset();
  if (s.kind_at() != JsonKind::kArray) return record(s, f.content, depth);
  f.content.kind = JsonKind::kArray;
  return read_aside(s, depth, f.parts_error,
                    [&] { return read_blocks(s, where, depth, true, f.parts); });
}

// A tool_use input object as Boost.JSON serializes it: the bytes themselves when they are that
// form already (JSON.stringify's output mostly is), else parsed and serialized.
bool Parser::read_input(JsonScanner& s, size_t depth, BlockFields& f) {
  if (s.kind_at() != JsonKind::kObject) return record(s, f.input, depth);
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
  if (!parse_value_at(s, kMaxRequestDepth - depth, kWording, input, arena.storage())) return false;
  f.input_json = to_json(input);
  return true;
}

bool Parser::interpret_block(BlockFields& f, const FieldPath& where, bool nested, Block& b,
                             bool& keep) {
  if (!f.type.is_string()) return fail(where + ".type", "Field required");
  std::string tmp;
  const std::string_view t = view(f.type, tmp);
  if (f.cache_control.is_object()) b.cache_control = true;
  if (is(t, "text")) {
    b.kind = Kind::kText;
    if (!f.text.is_string()) return fail(where + ".text", "Field required (a string)");
    assign_raw(b.text, f.text);
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

bool Parser::image(const BlockFields& f, const FieldPath& where, Block& b) {
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

bool Parser::document(const BlockFields& f, const FieldPath& where, Block& b) {
  std::string tmp;
  if (f.source.is_object() && f.src.type.is_string() && is(view(f.src.type, tmp), "text") &&
      f.src.data.is_string()) {
    b.kind = Kind::kText;
    if (f.title.is_string()) {
      append_raw(b.text, f.title);
      b.text.append("\\n\\n");
    }
    append_raw(b.text, f.src.data);
    return true;
  }
  return fail(where + ".source",
              "Only plain-text documents are supported by this gateway (Copilot cannot read "
              "PDF or file documents)");
}

bool Parser::tool_use(BlockFields& f, const FieldPath& where, Block& b) {
  b.kind = Kind::kToolCall;
  if (!f.id.is_string()) return fail(where + ".id", "Field required");
  if (!f.name.is_string()) return fail(where + ".name", "Field required");
  assign(b.id, f.id);
  assign(b.name, f.name);
  b.arguments = f.input.is_object() ? std::move(f.input_json) : "{}";
  return true;
}

bool Parser::tool_result(BlockFields& f, const FieldPath& where, Block& b) {
  b.kind = Kind::kToolResult;
  if (!f.tool_use_id.is_string()) return fail(where + ".tool_use_id", "Field required");
  assign(b.id, f.tool_use_id);
  if (f.is_error.is_bool()) b.is_error = f.is_error.is_true();
  if (!f.content.given()) return true;
  if (f.content.is_string()) {
    assign_raw(b.text, f.content);
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
  if (f.thinking.is_string()) assign_raw(b.text, f.thinking);
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
  switch (s.kind_at()) {
    case JsonKind::kNull:
      return s.read_null();
    case JsonKind::kString: {
      Recorded text;
      if (!record(s, text, 1)) return false;
      if (text.size() > 2) assign_raw(m.content.emplace_back().text, text);  // not ""
      return true;
    }
    case JsonKind::kArray:
      return system_blocks(s, m);
    default:
      return fail("system", "Input should be a string or list of text blocks");
  }
}

bool Parser::system_blocks(JsonScanner& s, Message& m) {
  return read_elements(s, [&](size_t i) {
    const FieldPath where{"system", i, nullptr};
    if (s.kind_at() != JsonKind::kObject) return fail(where, "Input should be an object");
    SystemBlockFields f;
    if (!read_fields(s, 2, f)) return false;
    if (!f.text.is_string()) return fail(where + ".text", "Field required (a string)");
    Block& b = m.content.emplace_back();
    assign_raw(b.text, f.text);
    if (f.cache_control.given()) b.cache_control = true;
    return true;
  });
}

bool Parser::tools(JsonScanner& s, std::vector<Tool>& out) {
  out.clear();
  const JsonKind kind = s.kind_at();
  if (kind == JsonKind::kNull) return s.read_null();
  if (kind != JsonKind::kArray) return fail("tools", "Input should be a list");
  return read_elements(s, [&](size_t i) { return tool(s, i, out); });
}

bool Parser::tool(JsonScanner& s, size_t i, std::vector<Tool>& out) {
  const FieldPath where{"tools", i, nullptr};
  if (s.kind_at() != JsonKind::kObject) return fail(where, "Input should be an object");
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
  if (f.description.is_string()) assign_raw(tool.description, f.description);
  tool.parameters = std::move(f.schema);
  if (f.strict.is_bool()) tool.strict = f.strict.is_true();
  return true;
}

// A tool's members (at depth 3); an object `input_schema` is kept as its text as it is read.
bool Parser::read_tool_fields(JsonScanner& s, ToolFields& f) {
  return read_members(s, key_, [&](std::string_view key) {
    if (is(key, "input_schema")) {
      if (s.kind_at() != JsonKind::kObject) return record(s, f.input_schema, 3);
      f.input_schema.kind = JsonKind::kObject;
      return read_json_text(s, kMaxRequestDepth - 3, kWording, f.schema);
    }
    if (Recorded* v = f.slot(key)) return record(s, *v, 3);
    return skip_checked(s, 3);
  });
}

// ---- The top level ----

bool Parser::read_root(JsonScanner& s, Root& root) {
  return read_members(s, key_, [&](std::string_view key) {
    if (is(key, "messages")) {
      root.messages.kind = s.kind_at();
      return read_aside(s, 1, root.messages_error, [&] { return messages(s, root.message_list); });
    }
    if (is(key, "system")) {
      root.system.kind = s.kind_at();
      return read_aside(s, 1, root.system_error, [&] { return system(s, root.system_message); });
    }
    if (is(key, "tools")) {
      root.tools.kind = s.kind_at();
      return read_aside(s, 1, root.tools_error, [&] { return tools(s, root.tool_list); });
    }
    if (Recorded* v = root.slot(key)) return record(s, *v, 1);
    return skip_checked(s, 1);
  });
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

bool Parser::tool_choice(const Recorded& v, Request& r) {
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

bool Parser::thinking(const Recorded& v, Request& r) {
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
bool Parser::output_config(const Recorded& v, bool thinking, Request& r) {
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
  if (!read_json_text(s, kMaxRequestDepth - 3, kWording, r.response_schema))
    return fail(invalid_json_body(s));
  r.response_schema_name = "structured_output";
  return true;
}

bool Parser::stop_sequences(const Recorded& v, Request& r) {
  if (!v.given()) return true;
  if (!v.is_array()) return fail("stop_sequences", "Input should be a list");
  JsonScanner s(text_);
  s.seek(v.begin);
  if (read_elements(s, [&](size_t) {
        if (s.kind_at() != JsonKind::kString)
          return fail("stop_sequences", "Input should be a list of strings");
        return s.read_string(r.stop.emplace_back());
      }))
    return true;
  return s.ok() ? false : fail(invalid_json_body(s));  // a field error, else invalid JSON
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

bool Parser::metadata(const Recorded& v, Request& r) {
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
  if (!wire::check_json_text(body, bad_at, bad)) return invalid_json_body(bad, bad_at);
  JsonScanner s(body);
  if (s.peek_kind() != JsonKind::kObject) {
    if (!skip_checked(s, 0) || !s.finish()) return invalid_json_body(s);
    return ApiError::bad_request("The request body must be a JSON object.", "invalid_json");
  }
  Parser p(body);
  Root root;
  if (!p.read_root(s, root) || !s.finish()) return invalid_json_body(s);
  return p.build(root, opts);
}

}  // namespace cg::translate
