// See from_responses_request.h. One forward pass of wire::JsonScanner over the body, no DOM.
// Each object's members are read in the order they come into slots (strings kept as token
// offsets; lists of parts, summaries, nested tools and schemas parsed where they stand) and
// interpreted when the object ends, so member order does not matter. As with the Boost.JSON DOM
// this replaced: a repeated key counts with its last value, a null member counts as absent,
// numbers are what Boost.JSON reads (int64/uint64/double, its rounding), errors come in a fixed
// order of fields (Field) with the same messages and params, and every body a Boost.JSON parse
// refuses (grammar anywhere, UTF-8, lone surrogate escapes, nesting beyond 256, exponent
// overflow, trailing bytes) gets the 400 invalid_json. A field error stops the reading of its
// top-level value, whose rest is then skipped unchecked: the whole body is validated once more
// before answering.
#include "translate/from_responses_request.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "translate/request_scan.h"
#include "translate/scan_util.h"
#include "wire/json_text.h"

namespace cg::translate {

namespace {

using Kind = Block::Kind;
using wire::JsonKind;
using wire::JsonScanner;
using wire::JsonString;

constexpr JsonErrorWording kWording = JsonErrorWording::kResponses;

// A number member, as json_util's as_int and as_number see the value Boost.JSON reads
// (both nullopt when present with another kind).
struct Num {
  bool present = false;
  std::optional<int64_t> integer;
  std::optional<double> number;
};

// A JSON schema member (tool parameters, text.format.schema), kept as its JSON text when it is
// an object.
struct Schema {
  enum class State : uint8_t { kAbsent, kObject, kOther };
  State state = State::kAbsent;
  std::string text;
};

// A content value (message content, function_call_output output): a string token or a list of
// parts parsed where it stands. The first failing part's error waits for the item's type to
// say whether the value counts.
struct Parts {
  enum class State : uint8_t { kAbsent, kString, kList, kOther };
  State state = State::kAbsent;
  JsonString token;
  std::vector<Block> blocks;
  std::optional<ApiError> error;
  bool present() const { return state != State::kAbsent; }
};

// A reasoning item's summary: the texts of its parts joined.
struct Summary {
  enum class State : uint8_t { kAbsent, kList, kOther };
  State state = State::kAbsent;
  std::string text;
  std::optional<ApiError> error;
};

// The members of one input item that some item type uses.
struct ItemFields {
  Recorded type, role, call_id, name, arguments, id, encrypted_content;
  Parts content, output;
  Summary summary;
};

// The members of one content part.
struct PartFields {
  Recorded type, text, refusal, image_url, detail;
  bool file_id = false;  // present and not null
};

// A namespace tool's nested tools: the function tools among them, parsed where they stand.
struct NestedTools {
  enum class State : uint8_t { kAbsent, kList, kOther };
  State state = State::kAbsent;
  std::vector<Tool> tools;
  std::optional<ApiError> error;
};

// The members of one tool.
struct ToolFields {
  Recorded type, name, description;
  Schema parameters;
  Recorded strict;
  NestedTools nested;  // `tools` of a top-level tool
};

// text.format.
struct Format {
  enum class State : uint8_t { kAbsent, kObject, kOther };
  State state = State::kAbsent;
  Recorded type, name;
  Schema schema;
};

// Top-level members, in the order their errors are reported (whatever their order in the body).
enum class Field : uint8_t {
  kPreviousResponseId,
  kConversation,
  kBackground,
  kModel,
  kInstructions,
  kInput,
  kTools,
  kToolChoice,
  kParallelToolCalls,
  kMaxOutputTokens,
  kTemperature,
  kTopP,
  kReasoning,
  kInclude,
  kText,
  kStream,
  kUser,
  kSafetyIdentifier,
  kPromptCacheKey,
  kOther,
};

Field root_field(std::string_view k) {
  if (is(k, "model")) return Field::kModel;
  if (is(k, "input")) return Field::kInput;
  if (is(k, "instructions")) return Field::kInstructions;
  if (is(k, "stream")) return Field::kStream;
  if (is(k, "max_output_tokens")) return Field::kMaxOutputTokens;
  if (is(k, "tools")) return Field::kTools;
  if (is(k, "tool_choice")) return Field::kToolChoice;
  if (is(k, "parallel_tool_calls")) return Field::kParallelToolCalls;
  if (is(k, "reasoning")) return Field::kReasoning;
  if (is(k, "include")) return Field::kInclude;
  if (is(k, "text")) return Field::kText;
  if (is(k, "temperature")) return Field::kTemperature;
  if (is(k, "top_p")) return Field::kTopP;
  if (is(k, "user")) return Field::kUser;
  if (is(k, "safety_identifier")) return Field::kSafetyIdentifier;
  if (is(k, "prompt_cache_key")) return Field::kPromptCacheKey;
  if (is(k, "previous_response_id")) return Field::kPreviousResponseId;
  if (is(k, "conversation")) return Field::kConversation;
  if (is(k, "background")) return Field::kBackground;
  return Field::kOther;
}

// What the top level holds once read. Fields that need no more than a type check wait here;
// the others are read into the Request where they stand, their error (if any) kept.
struct Root {
  Recorded previous_response_id;
  bool conversation = false;
  Recorded background, parallel_tool_calls, stream;
  Recorded model, instructions, user, safety_identifier, prompt_cache_key;
  bool has_input = false;
  Num max_output_tokens, temperature, top_p;
  // Errors of the fields read into the Request (input, tools, ...): of each one's last value.
  std::vector<std::pair<Field, ApiError>> errors;

  void clear_error(Field f) {
    std::erase_if(errors, [f](const auto& e) { return e.first == f; });
  }
  std::optional<ApiError> take_error(Field f) {
    for (auto& [field, error] : errors)
      if (field == f) return std::move(error);
    return std::nullopt;
  }
};

// Items whose content the model produced with a hosted tool: nothing to replay on Copilot.
bool is_hosted_call(std::string_view t) {
  return is(t, "web_search_call") || is(t, "file_search_call") || is(t, "code_interpreter_call") ||
         is(t, "image_generation_call");
}

class Parser {
 public:
  explicit Parser(std::string_view body) : s_(body) {}

  JsonScanner& scanner() { return s_; }

  // Reads the top-level object into `root` and `r`; false on a JSON error (in the scanner).
  bool read_root(Root& root, Request& r) {
    return members([&](std::string_view k) { return read_root_member(root_field(k), root, r); }) &&
           s_.finish();
  }

  // Whether some value was skipped without checks (after a field error).
  bool unchecked() const { return unchecked_; }

  // The first error, fields taken in Field order, else completes `r`.
  std::optional<ApiError> check(Root& root, Request& r) {
    if (root.previous_response_id.given()) return previous_response_error(root);
    if (root.conversation) {
      return field_error("conversation",
                         "Conversations are not supported by this gateway (responses are not "
                         "stored); send the whole input");
    }
    if (root.background.is_true()) {
      return field_error("background",
                         "Background responses are not supported by this gateway (responses are "
                         "not stored)");
    }
    if (!root.model.is_string() || root.model.empty_string())
      return field_error("model", "Field required");
    assign(r.model, root.model.token());
    if (root.instructions.given() && !root.instructions.is_string())
      return field_error("instructions", "Input should be a valid string");
    if (!root.has_input) return field_error("input", "Field required");
    if (auto e = root.take_error(Field::kInput)) return e;
    if (root.instructions.is_string() && !root.instructions.empty_string()) {
      Block b;
      b.text.assign(token_raw(s_.text(), root.instructions.token()));
      r.messages.insert(r.messages.begin(), Message{Role::kSystem, {std::move(b)}});
    }
    if (auto e = root.take_error(Field::kTools)) return e;
    if (auto e = root.take_error(Field::kToolChoice)) return e;
    if (auto e = check_options(root, r)) return e;
    return check_identity(root, r);
  }

 private:
  // ---- Scanner plumbing ----

  // Skips the value at the scanner, `depth` containers deep, with every check of a DOM parse.
  bool skip(size_t depth) { return skip_value_checked(s_, kMaxRequestDepth - depth, kWording); }

  // Records a field error; false.
  bool fail(std::string param, std::string message) {
    err_ = field_error(std::move(param), std::move(message));
    return false;
  }

  // After a field error in the value at `at`: skips it whole (unchecked; see unchecked()).
  bool recover(size_t at) {
    unchecked_ = true;
    s_.seek(at);
    return s_.skip_value();
  }

  // Runs `read` on the value at the scanner; a field error goes to `error` and the value is
  // skipped. False only on a JSON error.
  template <class F>
  bool read_keeping_error(std::optional<ApiError>& error, F&& read) {
    error.reset();
    const size_t at = s_.pos();
    if (read()) return true;
    if (!s_.ok()) return false;
    error = std::move(err_);
    return recover(at);
  }

  // read_members and read_elements over this body.
  template <class F>
  bool members(F&& f) {
    return read_members(s_, key_tmp_, std::forward<F>(f));
  }
  template <class F>
  bool elements(F&& f) {
    return read_elements(s_, std::forward<F>(f));
  }

  // ---- Slots ----

  // Records the member value at the scanner, `depth` containers deep (see record_value).
  bool record(Recorded& out, size_t depth) {
    return record_value(s_, out, kMaxRequestDepth - depth, kWording);
  }

  // A number as Boost.JSON reads it: short integers here, anything else by Boost.JSON itself
  // (its choice of int64/uint64/double and its rounding).
  bool read_num(Num& out, size_t depth) {
    const JsonKind kind = s_.peek_kind();
    out.present = kind != JsonKind::kNull;
    out.integer.reset();
    out.number.reset();
    if (kind == JsonKind::kNull) return s_.read_null();
    if (kind != JsonKind::kNumber) return skip(depth);
    const size_t begin = s_.pos();
    std::string_view token;
    if (!s_.read_number(token)) return false;
    if (const std::optional<int64_t> n = short_integer(token)) {
      out.integer = n;
      out.number = static_cast<double>(*n);
      return true;
    }
    s_.seek(begin);
    json::value v;
    if (!parse_value_at(s_, 1, kWording, v)) return false;
    out.integer = as_int(v);
    out.number = as_number(v);
    return true;
  }

  bool read_schema(Schema& out, size_t depth) {
    out.text.clear();
    switch (s_.peek_kind()) {
      case JsonKind::kNull:
        out.state = Schema::State::kAbsent;
        return s_.read_null();
      case JsonKind::kObject:
        out.state = Schema::State::kObject;
        return read_json_text(s_, kMaxRequestDepth - depth, kWording, out.text);
      default:
        out.state = Schema::State::kOther;
        return skip(depth);
    }
  }

  // ---- Strings ----

  // A string token's value into `out` (escapes checked by the scanner and check_json_text).
  void assign(std::string& out, const JsonString& t) const { assign_token(out, s_.text(), t); }
  // Escaped text (Block::text, Tool::description): the string's bytes as they are.
  void assign_raw(std::string& out, const JsonString& t) const {
    out.assign(token_raw(s_.text(), t));
  }

  // A string member's value ("" unless it is a string); `tmp` holds it when it has escapes.
  std::string_view view(const Recorded& f, std::string& tmp) const {
    return f.is_string() ? token_text(s_.text(), f.token(), tmp) : std::string_view();
  }

  bool equals(const Recorded& f, std::string_view word) const {
    return f.is_string() && wire::string_equals(s_.text(), f.token(), word);
  }

  // The string member `key` of the object at `where` into `out`, unescaped, or as it is
  // (`escaped`, for Block::text and Tool::description).
  bool string_field(const Recorded& f, std::string_view key, const FieldPath& where,
                    std::string& out, bool required, bool escaped = false) {
    if (!f.given()) return required ? fail(where.member(key), "Field required") : true;
    if (!f.is_string()) return fail(where.member(key), "Input should be a valid string");
    if (escaped) {
      assign_raw(out, f.token());
    } else {
      assign(out, f.token());
    }
    return true;
  }

  // ---- Content parts ----

  bool read_part_fields(PartFields& f, size_t depth) {
    return members([&](std::string_view k) {
      if (is(k, "type")) return record(f.type, depth);
      if (is(k, "text")) return record(f.text, depth);
      if (is(k, "refusal")) return record(f.refusal, depth);
      if (is(k, "image_url")) return record(f.image_url, depth);
      if (is(k, "detail")) return record(f.detail, depth);
      if (is(k, "file_id")) f.file_id = s_.peek_kind() != JsonKind::kNull;
      return skip(depth);
    });
  }

  bool image(const PartFields& f, const FieldPath& where, Block& b) {
    b.kind = Kind::kImage;
    if (f.detail.is_string()) assign(b.detail, f.detail.token());
    if (!f.image_url.given()) {
      if (f.file_id) {
        return fail(where + ".file_id",
                    "Image file ids are not supported by this gateway; send the image as a base64 "
                    "data URL");
      }
      return fail(where + ".image_url", "Field required");
    }
    if (!f.image_url.is_string())
      return fail(where + ".image_url", "Input should be a valid string");
    assign(b.image_url, f.image_url.token());
    if (!b.image_url.starts_with("data:")) {
      return fail(where + ".image_url",
                  "Remote image URLs are not supported by this gateway; send the image as a "
                  "base64 data URL");
    }
    return true;
  }

  // One content part of a message (or of a function_call_output's output list).
  bool part(const PartFields& f, const FieldPath& where, Block& b) {
    std::string tmp;
    const std::string_view t = view(f.type, tmp);
    if (is(t, "input_text") || is(t, "output_text") || is(t, "text")) {
      b.kind = Kind::kText;
      return string_field(f.text, "text", where, b.text, true, true);
    }
    if (is(t, "refusal")) {
      b.kind = Kind::kText;
      return string_field(f.refusal, "refusal", where, b.text, true, true);
    }
    if (is(t, "input_image")) return image(f, where, b);
    if (is(t, "input_file")) {
      return fail(where + ".type", "File inputs are not supported by this gateway");
    }
    if (t.empty()) return fail(where + ".type", "Field required");
    return fail(where + ".type", "Unsupported content part type '" + std::string(t) + "'");
  }

  // The list of parts at the scanner, `depth` containers deep, named `name` in `item`.
  bool part_list(const FieldPath& item, std::string_view name, size_t depth,
                 std::vector<Block>& out) {
    return elements([&](size_t i) {
      const FieldPath where{name, i, &item};
      if (s_.peek_kind() != JsonKind::kObject) return fail(where, "Input should be an object");
      PartFields f;
      if (!read_part_fields(f, depth + 2)) return false;
      return part(f, where, out.emplace_back());
    });
  }

  bool read_parts(Parts& out, const FieldPath& item, std::string_view name, size_t depth) {
    out.blocks.clear();
    out.error.reset();
    switch (s_.peek_kind()) {
      case JsonKind::kNull:
        out.state = Parts::State::kAbsent;
        return s_.read_null();
      case JsonKind::kString:
        out.state = Parts::State::kString;
        return s_.read_string(out.token);
      case JsonKind::kArray:
        out.state = Parts::State::kList;
        return read_keeping_error(out.error,
                                  [&] { return part_list(item, name, depth, out.blocks); });
      default:
        out.state = Parts::State::kOther;
        return skip(depth);
    }
  }

  // A message's content value, appended to `out`.
  bool content(Parts& p, const FieldPath& where, std::vector<Block>& out) {
    if (p.state == Parts::State::kString) {
      assign_raw(out.emplace_back().text, p.token);
      return true;
    }
    if (p.state != Parts::State::kList)
      return fail(where + ".content", "Input should be a string or list");
    if (p.error) {
      err_ = std::move(*p.error);
      return false;
    }
    if (out.empty()) {
      out = std::move(p.blocks);
    } else {
      for (Block& b : p.blocks)
        out.push_back(std::move(b));
    }
    return true;
  }

  // ---- Input items ----

  bool read_summary(Summary& out, const FieldPath& item, size_t depth) {
    out.text.clear();
    out.error.reset();
    switch (s_.peek_kind()) {
      case JsonKind::kNull:
        out.state = Summary::State::kAbsent;
        return s_.read_null();
      case JsonKind::kArray:
        out.state = Summary::State::kList;
        return read_keeping_error(out.error, [&] { return summary_list(item, depth, out.text); });
      default:
        out.state = Summary::State::kOther;
        return skip(depth);
    }
  }

  bool summary_list(const FieldPath& item, size_t depth, std::string& text) {
    return elements([&](size_t i) {
      const FieldPath where{"summary", i, &item};
      if (s_.peek_kind() != JsonKind::kObject) return fail(where, "Input should be an object");
      Recorded part_text;
      if (!members([&](std::string_view k) {
            return is(k, "text") ? record(part_text, depth + 2) : skip(depth + 2);
          }))
        return false;
      std::string one;
      if (!string_field(part_text, "text", where, one, true, true)) return false;
      if (!text.empty()) text.append("\\n\\n");
      text.append(one);
      return true;
    });
  }

  bool read_item_fields(ItemFields& f, const FieldPath& where) {
    constexpr size_t depth = 3;  // the body, input, the item
    return members([&](std::string_view k) {
      if (is(k, "type")) return record(f.type, depth);
      if (is(k, "role")) return record(f.role, depth);
      if (is(k, "content")) return read_parts(f.content, where, "content", depth);
      if (is(k, "call_id")) return record(f.call_id, depth);
      if (is(k, "name")) return record(f.name, depth);
      if (is(k, "arguments")) return record(f.arguments, depth);
      if (is(k, "output")) return read_parts(f.output, where, "output", depth);
      if (is(k, "id")) return record(f.id, depth);
      if (is(k, "encrypted_content")) return record(f.encrypted_content, depth);
      if (is(k, "summary")) return read_summary(f.summary, where, depth);
      return skip(depth);
    });
  }

  // The assistant message that assistant-side items append to (a new one unless the previous
  // canonical message is already one built from input items).
  static Message& assistant(Request& r, bool& open) {
    if (!open || r.messages.empty() || r.messages.back().role != Role::kAssistant) {
      r.messages.push_back(Message{Role::kAssistant, {}});
      open = true;
    }
    return r.messages.back();
  }

  bool message(ItemFields& f, const FieldPath& where, Request& r, bool& assistant_open) {
    if (!f.role.is_string()) return fail(where + ".role", "Field required");
    if (!f.content.present()) return fail(where + ".content", "Field required");
    std::string tmp;
    const std::string_view rs = view(f.role, tmp);
    if (is(rs, "assistant")) return content(f.content, where, assistant(r, assistant_open).content);
    Message m;
    if (is(rs, "user")) {
      m.role = Role::kUser;
    } else if (is(rs, "system")) {
      m.role = Role::kSystem;
    } else if (is(rs, "developer")) {
      m.role = Role::kDeveloper;
    } else {
      return fail(where + ".role", "Input should be 'user', 'assistant', 'system' or 'developer'");
    }
    if (!content(f.content, where, m.content)) return false;
    r.messages.push_back(std::move(m));
    return true;
  }

  bool function_call(const ItemFields& f, const FieldPath& where, Request& r,
                     bool& assistant_open) {
    Block b;
    b.kind = Kind::kToolCall;
    if (!string_field(f.call_id, "call_id", where, b.id, true)) return false;
    if (b.id.empty()) return fail(where + ".call_id", "Field required");
    if (!string_field(f.name, "name", where, b.name, true)) return false;
    if (!string_field(f.arguments, "arguments", where, b.arguments, false)) return false;
    if (b.arguments.empty()) b.arguments = "{}";
    assistant(r, assistant_open).content.push_back(std::move(b));
    return true;
  }

  bool reasoning_item(ItemFields& f, const FieldPath& where, Request& r, bool& assistant_open) {
    Block b;
    b.kind = Kind::kReasoning;
    if (!string_field(f.id, "id", where, b.id, false)) return false;
    if (!string_field(f.encrypted_content, "encrypted_content", where, b.signature, false))
      return false;
    if (f.summary.state == Summary::State::kOther)
      return fail(where + ".summary", "Input should be a list");
    if (f.summary.error) {
      err_ = std::move(*f.summary.error);
      return false;
    }
    b.text = std::move(f.summary.text);
    assistant(r, assistant_open).content.push_back(std::move(b));
    return true;
  }

  bool function_call_output(ItemFields& f, const FieldPath& where, Request& r, bool& tool_open) {
    Block b;
    b.kind = Kind::kToolResult;
    if (!string_field(f.call_id, "call_id", where, b.id, true)) return false;
    if (b.id.empty()) return fail(where + ".call_id", "Field required");
    Parts& out = f.output;
    switch (out.state) {
      case Parts::State::kAbsent:
        return fail(where + ".output", "Field required");
      case Parts::State::kString:
        assign_raw(b.text, out.token);
        break;
      case Parts::State::kList:
        if (out.error) {
          err_ = std::move(*out.error);
          return false;
        }
        b.parts = std::move(out.blocks);
        if (b.parts.size() == 1 && b.parts[0].kind == Kind::kText) {
          b.text = std::move(b.parts[0].text);
          b.parts.clear();
        }
        break;
      case Parts::State::kOther:
        return fail(where + ".output", "Input should be a string or list");
    }
    if (!tool_open || r.messages.empty() || r.messages.back().role != Role::kTool) {
      r.messages.push_back(Message{Role::kTool, {}});
      tool_open = true;
    }
    r.messages.back().content.push_back(std::move(b));
    return true;
  }

  bool item(ItemFields& f, const FieldPath& where, Request& r, bool& assistant_open,
            bool& tool_open) {
    std::string tmp;
    const std::string_view t = view(f.type, tmp);
    const bool assistant_side = is(t, "function_call") || is(t, "reasoning") ||
                                ((is(t, "message") || t.empty()) && equals(f.role, "assistant"));
    if (!assistant_side) assistant_open = false;
    if (!is(t, "function_call_output")) tool_open = false;
    if (is(t, "message") || (t.empty() && f.role.given()))
      return message(f, where, r, assistant_open);
    if (is(t, "function_call")) return function_call(f, where, r, assistant_open);
    if (is(t, "function_call_output")) return function_call_output(f, where, r, tool_open);
    if (is(t, "reasoning")) return reasoning_item(f, where, r, assistant_open);
    if (is(t, "item_reference")) {
      return fail(where + ".type",
                  "Item references are not supported by this gateway (responses are not stored); "
                  "send the items themselves");
    }
    if (is_hosted_call(t)) return true;
    if (t.empty()) return fail(where + ".type", "Field required");
    return fail(where + ".type", "Unsupported input item type '" + std::string(t) + "'");
  }

  bool input(Request& r) {
    if (s_.peek_kind() == JsonKind::kString) {
      Message m;
      m.role = Role::kUser;
      JsonString text;
      if (!s_.read_string(text)) return false;
      assign_raw(m.content.emplace_back().text, text);
      r.messages.push_back(std::move(m));
      return true;
    }
    if (s_.peek_kind() != JsonKind::kArray)
      return fail("input", "Input should be a string or list");
    bool assistant_open = false;  // the last message is an assistant message from items
    bool tool_open = false;       // the last message is a kTool message from items
    size_t count = 0;
    const bool ok = elements([&](size_t i) {
      ++count;
      const FieldPath where{"input", i};
      if (s_.peek_kind() != JsonKind::kObject) return fail(where, "Input should be an object");
      ItemFields f;
      if (!read_item_fields(f, where)) return false;
      return item(f, where, r, assistant_open, tool_open);
    });
    if (!ok) return false;
    if (count == 0) return fail("input", "At least one input item is required");
    return true;
  }

  // ---- Tools ----

  bool read_tool_fields(ToolFields& f, const FieldPath& where, size_t depth, bool top_level) {
    return members([&](std::string_view k) {
      if (is(k, "type")) return record(f.type, depth);
      if (is(k, "name")) return record(f.name, depth);
      if (is(k, "description")) return record(f.description, depth);
      if (is(k, "parameters")) return read_schema(f.parameters, depth);
      if (is(k, "strict")) return record(f.strict, depth);
      if (is(k, "tools") && top_level) return read_nested_tools(f.nested, where, depth);
      return skip(depth);
    });
  }

  bool function_tool(ToolFields& f, const FieldPath& where, Tool& tool) {
    if (!string_field(f.name, "name", where, tool.name, true)) return false;
    if (tool.name.empty()) return fail(where + ".name", "Field required");
    if (!string_field(f.description, "description", where, tool.description, false, true))
      return false;
    if (f.parameters.state == Schema::State::kOther)
      return fail(where + ".parameters", "Input should be an object");
    if (f.parameters.state == Schema::State::kObject)
      tool.parameters = std::move(f.parameters.text);
    if (f.strict.is_bool()) tool.strict = f.strict.is_true();
    return true;
  }

  // The function tools of a namespace tool's `tools` (hosted tools inside are dropped).
  bool nested_list(const FieldPath& outer, size_t depth, std::vector<Tool>& out) {
    return elements([&](size_t i) {
      const FieldPath where{"tools", i, &outer};
      if (s_.peek_kind() != JsonKind::kObject) return fail(where, "Input should be an object");
      ToolFields f;
      if (!read_tool_fields(f, where, depth + 2, false)) return false;
      std::string tmp;
      const std::string_view t = view(f.type, tmp);
      if (!is(t, "function") && !t.empty()) return true;  // a hosted tool inside: dropped
      Tool tool;
      if (!function_tool(f, where, tool)) return false;
      out.push_back(std::move(tool));
      return true;
    });
  }

  bool read_nested_tools(NestedTools& out, const FieldPath& outer, size_t depth) {
    out.tools.clear();
    out.error.reset();
    switch (s_.peek_kind()) {
      case JsonKind::kNull:
        out.state = NestedTools::State::kAbsent;
        return s_.read_null();
      case JsonKind::kArray:
        out.state = NestedTools::State::kList;
        return read_keeping_error(out.error, [&] { return nested_list(outer, depth, out.tools); });
      default:
        out.state = NestedTools::State::kOther;
        return skip(depth);
    }
  }

  bool tool(ToolFields& f, const FieldPath& where, std::vector<Tool>& out) {
    std::string tmp;
    const std::string_view t = view(f.type, tmp);
    if (is(t, "function")) {
      Tool tool;
      if (!function_tool(f, where, tool)) return false;
      out.push_back(std::move(tool));
    } else if (is(t, "namespace")) {
      NestedTools& n = f.nested;
      if (n.state == NestedTools::State::kOther)
        return fail(where + ".tools", "Input should be a list");
      if (n.error) {
        err_ = std::move(*n.error);
        return false;
      }
      for (Tool& nested : n.tools)
        out.push_back(std::move(nested));
    } else if (t.empty()) {
      return fail(where + ".type", "Field required");
    }
    // Hosted tools (web_search, file_search, code_interpreter, ...) and custom (grammar) tools
    // cannot run on Copilot: dropped.
    return true;
  }

  bool tools(Request& r) {
    if (s_.peek_kind() != JsonKind::kArray) return fail("tools", "Input should be a list");
    return elements([&](size_t i) {
      const FieldPath where{"tools", i};
      if (s_.peek_kind() != JsonKind::kObject) return fail(where, "Input should be an object");
      ToolFields f;
      if (!read_tool_fields(f, where, 3, true)) return false;
      return tool(f, where, r.tools);
    });
  }

  // ---- Other object members ----

  bool tool_choice(Request& r) {
    ToolChoice& c = r.tool_choice;
    const JsonKind kind = s_.peek_kind();
    if (kind == JsonKind::kString) {
      JsonString str;
      if (!s_.read_string(str)) return false;
      const std::string_view text = s_.text();
      if (wire::string_equals(text, str, "auto")) {
        c.mode = ToolChoice::Mode::kAuto;
      } else if (wire::string_equals(text, str, "none")) {
        c.mode = ToolChoice::Mode::kNone;
      } else if (wire::string_equals(text, str, "required")) {
        c.mode = ToolChoice::Mode::kRequired;
      } else {
        return fail("tool_choice", "Input should be 'none', 'auto' or 'required'");
      }
      return true;
    }
    if (kind != JsonKind::kObject) return fail("tool_choice", "Input should be a string or object");
    Recorded type, name, mode;
    if (!members([&](std::string_view k) {
          if (is(k, "type")) return record(type, 2);
          if (is(k, "name")) return record(name, 2);
          if (is(k, "mode")) return record(mode, 2);
          return skip(2);
        }))
      return false;
    std::string tmp;
    const std::string_view t = view(type, tmp);
    if (is(t, "function")) {
      if (!name.is_string() || name.empty_string())
        return fail("tool_choice.name", "Field required");
      c.mode = ToolChoice::Mode::kNamed;
      assign(c.name, name.token());
    } else if (is(t, "allowed_tools")) {
      c.mode = equals(mode, "required") ? ToolChoice::Mode::kRequired : ToolChoice::Mode::kAuto;
    } else if (t.empty()) {
      return fail("tool_choice.type", "Field required");
    } else {
      c.mode = ToolChoice::Mode::kAuto;  // a hosted tool, dropped with the tools
    }
    return true;
  }

  bool reasoning_options(Request& r) {
    if (s_.peek_kind() != JsonKind::kObject) return fail("reasoning", "Input should be an object");
    Recorded effort, summary, generate_summary;
    if (!members([&](std::string_view k) {
          if (is(k, "effort")) return record(effort, 2);
          if (is(k, "summary")) return record(summary, 2);
          if (is(k, "generate_summary")) return record(generate_summary, 2);
          return skip(2);
        }))
      return false;
    const FieldPath where{"reasoning"};
    if (!string_field(effort, "effort", where, r.reasoning_effort, false)) return false;
    if (!string_field(summary, "summary", where, r.reasoning_summary, false)) return false;
    // Older clients send generate_summary.
    return !r.reasoning_summary.empty() ||
           string_field(generate_summary, "generate_summary", where, r.reasoning_summary, false);
  }

  bool include(Request& r) {
    if (s_.peek_kind() != JsonKind::kArray) return fail("include", "Input should be a list");
    return elements([&](size_t) {
      if (s_.peek_kind() != JsonKind::kString)
        return fail("include", "Input should be a list of strings");
      JsonString str;
      if (!s_.read_string(str)) return false;
      if (wire::string_equals(s_.text(), str, "reasoning.encrypted_content"))
        r.include_encrypted_reasoning = true;
      return true;
    });
  }

  bool read_format(Format& f) {
    f = Format{};
    switch (s_.peek_kind()) {
      case JsonKind::kNull:
        return s_.read_null();
      case JsonKind::kObject:
        f.state = Format::State::kObject;
        return members([&](std::string_view k) {
          if (is(k, "type")) return record(f.type, 3);
          if (is(k, "name")) return record(f.name, 3);
          if (is(k, "schema")) return read_schema(f.schema, 3);
          return skip(3);
        });
      default:
        f.state = Format::State::kOther;
        return skip(2);
    }
  }

  bool text_format(Request& r) {
    if (s_.peek_kind() != JsonKind::kObject) return fail("text", "Input should be an object");
    Format f;
    if (!members([&](std::string_view k) { return is(k, "format") ? read_format(f) : skip(2); }))
      return false;
    if (f.state == Format::State::kAbsent) return true;
    if (f.state == Format::State::kOther) return fail("text.format", "Input should be an object");
    std::string tmp;
    const std::string_view t = view(f.type, tmp);
    if (is(t, "json_schema")) {
      if (f.schema.state != Schema::State::kObject)
        return fail("text.format.schema", "Field required");
      r.response_schema = std::move(f.schema.text);
      return string_field(f.name, "name", FieldPath{"text.format"}, r.response_schema_name, false);
    }
    if (is(t, "json_object")) {
      r.json_object = true;
    } else if (!is(t, "text")) {
      return fail("text.format.type", "Input should be 'text', 'json_schema' or 'json_object'");
    }
    return true;
  }

  // ---- Top level ----

  // A member that needs a reader into the Request; null counts as absent.
  template <class F>
  bool read_into(Field field, Root& root, F&& read) {
    root.clear_error(field);
    if (s_.peek_kind() == JsonKind::kNull) return s_.read_null();
    std::optional<ApiError> error;
    if (!read_keeping_error(error, std::forward<F>(read))) return false;
    if (error) root.errors.emplace_back(field, std::move(*error));
    return true;
  }

  bool read_root_member(Field field, Root& root, Request& r) {
    switch (field) {
      case Field::kPreviousResponseId:
        return record(root.previous_response_id, 1);
      case Field::kConversation:
        root.conversation = s_.peek_kind() != JsonKind::kNull;
        return skip(1);
      case Field::kBackground:
        return record(root.background, 1);
      case Field::kModel:
        return record(root.model, 1);
      case Field::kInstructions:
        return record(root.instructions, 1);
      case Field::kInput:
        r.messages.clear();
        root.has_input = s_.peek_kind() != JsonKind::kNull;
        return read_into(Field::kInput, root, [&] { return input(r); });
      case Field::kTools:
        r.tools.clear();
        return read_into(Field::kTools, root, [&] { return tools(r); });
      case Field::kToolChoice:
        r.tool_choice = ToolChoice{};
        return read_into(Field::kToolChoice, root, [&] { return tool_choice(r); });
      case Field::kParallelToolCalls:
        return record(root.parallel_tool_calls, 1);
      case Field::kMaxOutputTokens:
        return read_num(root.max_output_tokens, 1);
      case Field::kTemperature:
        return read_num(root.temperature, 1);
      case Field::kTopP:
        return read_num(root.top_p, 1);
      case Field::kReasoning:
        r.reasoning_effort.clear();
        r.reasoning_summary.clear();
        return read_into(Field::kReasoning, root, [&] { return reasoning_options(r); });
      case Field::kInclude:
        r.include_encrypted_reasoning = false;
        return read_into(Field::kInclude, root, [&] { return include(r); });
      case Field::kText:
        r.response_schema.clear();
        r.response_schema_name.clear();
        r.json_object = false;
        return read_into(Field::kText, root, [&] { return text_format(r); });
      case Field::kStream:
        return record(root.stream, 1);
      case Field::kUser:
        return record(root.user, 1);
      case Field::kSafetyIdentifier:
        return record(root.safety_identifier, 1);
      case Field::kPromptCacheKey:
        return record(root.prompt_cache_key, 1);
      case Field::kOther:
        break;
    }
    return skip(1);
  }

  ApiError previous_response_error(const Root& root) {
    std::string id;
    if (root.previous_response_id.is_string()) {
      assign(id, root.previous_response_id.token());
    } else {
      JsonScanner v(s_.text());
      v.seek(root.previous_response_id.begin);
      json::value value;
      if (!parse_value_at(v, kMaxRequestDepth - 1, kWording, value)) return invalid_json_body(v);
      id = to_json(value);
    }
    return ApiError::bad_request("Previous response with id '" + id + "' not found.",
                                 "previous_response_not_found", "previous_response_id");
  }

  // parallel_tool_calls through text, in Field order.
  std::optional<ApiError> check_options(Root& root, Request& r) {
    if (root.parallel_tool_calls.given()) {
      if (!root.parallel_tool_calls.is_bool())
        return field_error("parallel_tool_calls", "Input should be a valid boolean");
      r.parallel_tool_calls = root.parallel_tool_calls.is_true();
    }
    if (root.max_output_tokens.present) {
      const std::optional<int64_t> n = root.max_output_tokens.integer;
      if (!n || *n < 1) return field_error("max_output_tokens", "Input should be an integer >= 1");
      r.max_tokens = *n;
    }
    if (root.temperature.present) {
      r.temperature = root.temperature.number;
      if (!r.temperature) return field_error("temperature", "Input should be a number");
    }
    if (root.top_p.present) {
      r.top_p = root.top_p.number;
      if (!r.top_p) return field_error("top_p", "Input should be a number");
    }
    if (auto e = root.take_error(Field::kReasoning)) return e;
    if (auto e = root.take_error(Field::kInclude)) return e;
    if (auto e = root.take_error(Field::kText)) return e;
    return std::nullopt;
  }

  // stream, user (else safety_identifier), prompt_cache_key.
  std::optional<ApiError> check_identity(const Root& root, Request& r) {
    if (root.stream.given()) {
      if (!root.stream.is_bool()) return field_error("stream", "Input should be a valid boolean");
      r.stream = root.stream.is_true();
    }
    if (root.user.is_string() && !root.user.empty_string()) {
      assign(r.user, root.user.token());
    } else {
      // safety_identifier stands in for a missing or empty user; its type error comes first.
      if (root.safety_identifier.given() && !root.safety_identifier.is_string())
        return field_error("safety_identifier", "Input should be a valid string");
      if (root.user.given() && !root.user.is_string())
        return field_error("user", "Input should be a valid string");
      if (root.safety_identifier.is_string()) assign(r.user, root.safety_identifier.token());
    }
    if (root.prompt_cache_key.given() && !root.prompt_cache_key.is_string())
      return field_error("prompt_cache_key", "Input should be a valid string");
    if (root.prompt_cache_key.is_string())
      assign(r.prompt_cache_key, root.prompt_cache_key.token());
    return std::nullopt;
  }

  JsonScanner s_;
  ApiError err_;            // the last field error
  bool unchecked_ = false;  // a value was skipped without checks
  std::string key_tmp_;     // a key with escapes, unescaped
};

// Whether the whole body is JSON a Boost.JSON parse accepts (the reason in `s` otherwise).
bool valid_body(JsonScanner& s) {
  return skip_value_checked(s, kMaxRequestDepth, kWording) && s.finish();
}

}  // namespace

Result<Request> from_responses_request(std::string_view body) {
  size_t bad_at = 0;
  const char* bad = nullptr;
  if (!wire::check_json_text(body, bad_at, bad)) return invalid_json_body(bad, bad_at);
  Parser p(body);
  JsonScanner& s = p.scanner();
  if (s.peek_kind() != JsonKind::kObject) {
    if (!valid_body(s)) return invalid_json_body(s);
    return ApiError::bad_request("The request body must be a JSON object.", "invalid_json");
  }
  Root root;
  Request r;
  if (!p.read_root(root, r)) return invalid_json_body(s);
  std::optional<ApiError> err = p.check(root, r);
  if (p.unchecked()) {
    JsonScanner whole(body);
    if (!valid_body(whole)) return invalid_json_body(whole);
  }
  if (err) return std::move(*err);
  return r;
}

}  // namespace cg::translate
