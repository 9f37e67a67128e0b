// See chat_request.h. Pure. Only the top level, messages[*].role and messages[*].content[*].type
// are looked at; every other value is skipped by the scanner without being decoded.
#include "wire/openai/chat_request.h"

#include <algorithm>
#include <climits>

#include "core/json_escape.h"

namespace cg::wire::openai {
namespace {

ApiError invalid_json(const JsonScanner& sc) {
  std::string msg = "Invalid JSON body: ";
  msg += sc.error() ? sc.error() : "malformed";
  msg += " at byte ";
  msg += std::to_string(sc.error_offset());
  return ApiError::bad_request(std::move(msg));
}

ApiError invalid_type(const std::string& param, std::string_view expected) {
  std::string msg = "Invalid type for '" + param + "': expected ";
  msg += expected;
  msg += '.';
  return ApiError::bad_request(std::move(msg), {}, param);
}

std::string message_param(size_t index, std::string_view field = {}) {
  std::string p = "messages[" + std::to_string(index) + "]";
  if (!field.empty()) {
    p += '.';
    p += field;
  }
  return p;
}

// Key of a member as a comparable view; keys with escapes are unescaped into `tmp`.
std::string_view key_of(std::string_view body, const JsonMember& m, std::string& tmp) {
  if (!m.key.has_escapes) return m.key.raw(body);
  tmp.clear();
  if (!append_unescaped(tmp, m.key.raw(body))) tmp.clear();
  return tmp;
}

// Counts content parts of type "image_url" in a content array (scanner positioned at '[').
void scan_content_parts(JsonScanner& sc, std::string_view body, ChatRequestInfo& info) {
  std::string tmp;
  if (!sc.enter_array()) return;
  JsonElement e;
  while (sc.next_element(e)) {
    if (sc.peek_kind() != JsonKind::kObject) {
      sc.skip_value();
      continue;
    }
    sc.enter_object();
    JsonMember m;
    while (sc.next_member(m)) {
      if (key_of(body, m, tmp) == "type" && sc.peek_kind() == JsonKind::kString) {
        JsonString type;
        if (sc.read_string(type) && string_equals(body, type, "image_url")) {
          info.has_image = true;
          ++info.image_count;
        }
      } else {
        sc.skip_value();
      }
    }
  }
}

// One element of "messages"; returns an ApiError for semantic problems (JSON errors stay in sc).
std::optional<ApiError> scan_message(JsonScanner& sc, std::string_view body, size_t index,
                                     ChatRequestInfo& info) {
  if (sc.peek_kind() != JsonKind::kObject) {
    if (!sc.skip_value()) return std::nullopt;
    return invalid_type(message_param(index), "an object");
  }
  sc.enter_object();
  std::string tmp;
  bool has_role = false;
  Role role = Role::kNone;
  JsonMember m;
  while (sc.next_member(m)) {
    std::string_view key = key_of(body, m, tmp);
    if (key == "role") {
      if (sc.peek_kind() != JsonKind::kString) {
        if (!sc.skip_value()) return std::nullopt;
        return invalid_type(message_param(index, "role"), "a string");
      }
      JsonString s;
      if (!sc.read_string(s)) return std::nullopt;
      std::string value;
      if (s.has_escapes) {
        append_unescaped(value, s.raw(body));
        role = parse_role(value);
      } else {
        role = parse_role(s.raw(body));
      }
      has_role = true;
    } else if (key == "content" && sc.peek_kind() == JsonKind::kArray) {
      scan_content_parts(sc, body, info);
    } else {
      sc.skip_value();
    }
  }
  if (!sc.ok()) return std::nullopt;
  if (!has_role) {
    std::string param = message_param(index, "role");
    return ApiError::bad_request("Missing required parameter: '" + param + "'.", {}, param);
  }
  info.last_role = role;
  return std::nullopt;
}

}  // namespace

Role parse_role(std::string_view role) {
  if (role == "user") return Role::kUser;
  if (role == "assistant") return Role::kAssistant;
  if (role == "tool") return Role::kTool;
  if (role == "system") return Role::kSystem;
  if (role == "developer") return Role::kDeveloper;
  if (role == "function") return Role::kFunction;
  return Role::kOther;
}

Result<ChatRequestInfo> scan_chat_request(std::string_view body) {
  ChatRequestInfo info;
  JsonScanner sc(body);
  const JsonKind top = sc.peek_kind();
  if (top != JsonKind::kObject) {
    if (top == JsonKind::kInvalid) {
      if (sc.pos() >= body.size())
        sc.fail("empty body", sc.pos());
      else
        sc.fail("unexpected character", sc.pos());
      return invalid_json(sc);
    }
    if (!sc.skip_value() || !sc.finish()) return invalid_json(sc);
    return ApiError::bad_request("Invalid request body: expected a JSON object.");
  }
  sc.enter_object();
  bool has_model = false, has_messages = false;
  std::string tmp;
  JsonMember m;
  while (sc.next_member(m)) {
    std::string_view key = key_of(body, m, tmp);
    const JsonKind kind = sc.peek_kind();
    if (key == "model") {
      if (kind != JsonKind::kString) {
        if (!sc.skip_value()) break;
        return invalid_type("model", "a string");
      }
      JsonString s;
      if (!sc.read_string(s)) break;
      info.model_value = s.span();
      info.model.clear();
      if (!s.has_escapes) {
        info.model.assign(s.raw(body));
      } else if (!append_unescaped(info.model, s.raw(body))) {
        sc.fail("invalid \\u escape", s.begin);
        break;
      }
      has_model = true;
    } else if (key == "messages") {
      if (kind != JsonKind::kArray) {
        if (!sc.skip_value()) break;
        return invalid_type("messages", "an array of objects");
      }
      sc.enter_array();
      info.message_count = 0;
      info.last_role = Role::kNone;
      JsonElement e;
      bool start_done = false;
      while (sc.next_element(e)) {
        if (auto err = scan_message(sc, body, e.index - 1, info)) return std::move(*err);
        ++info.message_count;
        if (!start_done) {
          if (info.message_count == 1) info.conversation_start.begin = e.value_begin;
          info.conversation_start.end = sc.pos();
          start_done = info.last_role == Role::kUser;
        }
      }
      has_messages = true;
    } else if (key == "stream") {
      if (kind == JsonKind::kNull) {
        sc.read_null();
        info.stream = false;
      } else if (kind == JsonKind::kTrue || kind == JsonKind::kFalse) {
        sc.read_bool(info.stream);
      } else {
        if (!sc.skip_value()) break;
        return invalid_type("stream", "a boolean");
      }
    } else if (key == "stream_options") {
      info.has_stream_options = true;
      info.include_usage = false;
      if (kind == JsonKind::kObject) {
        sc.enter_object();
        JsonMember so;
        std::string tmp2;
        while (sc.next_member(so)) {
          if (key_of(body, so, tmp2) == "include_usage" && sc.peek_kind() == JsonKind::kTrue) {
            sc.read_bool(info.include_usage);
          } else {
            sc.skip_value();
          }
        }
      } else {
        sc.skip_value();
      }
      if (!sc.ok()) break;
      info.stream_options_member = member_erase_span(body, m, sc.pos());
    } else if (key == "tools") {
      if (kind == JsonKind::kArray) {
        sc.enter_array();
        JsonElement e;
        while (sc.next_element(e)) {
          info.has_tools = true;
          sc.skip_value();
        }
      } else {
        sc.skip_value();
      }
    } else if ((key == "prompt_cache_key" || key == "user") && kind == JsonKind::kString) {
      JsonString s;
      if (!sc.read_string(s)) break;
      const Span raw{s.span().begin + 1, s.span().end - 1};
      (key == "user" ? info.user : info.prompt_cache_key) = raw;
    } else if (key == "n" && kind != JsonKind::kNull) {
      int64_t n = 0;
      std::string_view token;
      if (kind != JsonKind::kNumber) {
        if (!sc.skip_value()) break;
        return invalid_type("n", "an integer");
      }
      if (!sc.read_number(token)) break;
      if (!parse_int64(token, n) || n < INT_MIN || n > INT_MAX)
        return invalid_type("n", "an integer");
      info.n = static_cast<int>(n);
    } else {
      sc.skip_value();
    }
  }
  if (!sc.ok() || !sc.finish()) return invalid_json(sc);
  if (!has_model) {
    return ApiError::bad_request("you must provide a model parameter", {}, "model");
  }
  if (!has_messages) {
    return ApiError::bad_request("Missing required parameter: 'messages'.", {}, "messages");
  }
  if (info.message_count == 0) {
    return ApiError::bad_request(
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an "
        "empty array instead.",
        "empty_array", "messages");
  }
  return info;
}

std::optional<std::string> rewrite_chat_request(std::string_view body, const ChatRequestInfo& info,
                                                std::optional<std::string_view> new_model,
                                                bool drop_stream_options) {
  struct Edit {
    Span span;
    std::string_view replacement;
  };
  Edit edits[2];
  size_t count = 0;
  std::string model_token;
  if (new_model && *new_model != info.model && !info.model_value.empty()) {
    model_token.reserve(new_model->size() + 2);
    append_json_string(model_token, *new_model);
    edits[count++] = {info.model_value, model_token};
  }
  if (drop_stream_options && info.has_stream_options && !info.stream_options_member.empty()) {
    edits[count++] = {info.stream_options_member, {}};
  }
  if (count == 0) return std::nullopt;
  if (count == 2 && edits[1].span.begin < edits[0].span.begin) std::swap(edits[0], edits[1]);

  std::string out;
  size_t size = body.size();
  for (size_t i = 0; i < count; ++i)
    size += edits[i].replacement.size() - edits[i].span.size();
  out.reserve(size);
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    out.append(body.substr(at, edits[i].span.begin - at));
    out.append(edits[i].replacement);
    at = edits[i].span.end;
  }
  out.append(body.substr(at));
  return out;
}

}  // namespace cg::wire::openai
