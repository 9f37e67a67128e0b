// See chat_plan.h. One forward pass of cg::wire::JsonScanner over the body, no DOM: the members
// the answer needs are walked, everything else is skipped with full grammar checks, and only the
// few strings the answer uses are unescaped. Like the Boost.JSON DOM this replaced, a repeated
// key counts with its last value, and invalid UTF-8 / lone surrogate escapes are rejected
// (json_text.h). Not kept from the DOM: its nesting limit of 32 (the scanner allows 1024).
#include "sim/chat_plan.h"

#include <boost/json.hpp>

#include "wire/json_scan.h"
#include "wire/json_text.h"

namespace cg::sim {
namespace {

namespace json = boost::json;
using wire::JsonElement;
using wire::JsonKind;
using wire::JsonMember;
using wire::JsonScanner;
using wire::JsonString;
using wire::Span;

ApiError invalid_body(std::string message) {
  return ApiError::bad_request(std::move(message), "invalid_request_body");
}

// Skips one value (the scanner stops at the first error).
bool skip(JsonScanner& s) {
  return s.skip_value();
}

// The unescaped value of a string token; `tmp` holds it when the token has escapes.
std::string_view unescaped(std::string_view text, const JsonString& str, std::string& tmp) {
  if (!str.has_escapes) return str.raw(text);
  tmp.clear();
  wire::append_unescaped(tmp, str.raw(text));  // escapes were checked by check_json_text
  return tmp;
}

std::string unescaped_copy(std::string_view text, const JsonString& str) {
  std::string tmp;
  if (!str.has_escapes) return std::string(str.raw(text));
  wire::append_unescaped(tmp, str.raw(text));
  return tmp;
}

// A member key as text to compare with ASCII names.
std::string_view key_of(const JsonScanner& s, const JsonMember& m, std::string& tmp) {
  return unescaped(s.text(), m.key, tmp);
}

size_t string_size(std::string_view text, const JsonString& str) {
  const std::string_view raw = str.raw(text);
  return str.has_escapes ? wire::unescaped_size(raw) : raw.size();
}

// Walks a message `content` value: a string, or an array of parts whose `text` strings are
// concatenated (anything else counts as empty). Adds the text's size to `bytes` and, when `out`
// is set, appends the text to it.
bool walk_content(JsonScanner& s, size_t& bytes, std::string* out) {
  const std::string_view text = s.text();
  const JsonKind kind = s.peek_kind();
  if (kind == JsonKind::kString) {
    JsonString str;
    if (!s.read_string(str)) return false;
    bytes += string_size(text, str);
    if (out != nullptr) wire::append_unescaped(*out, str.raw(text));
    return true;
  }
  if (kind != JsonKind::kArray) return skip(s);
  s.enter_array();
  std::string tmp;
  JsonElement e;
  while (s.next_element(e)) {
    if (s.peek_kind() != JsonKind::kObject) {
      if (!skip(s)) return false;
      continue;
    }
    s.enter_object();
    bool has_text = false;
    JsonString part_text;
    JsonMember m;
    while (s.next_member(m)) {
      if (key_of(s, m, tmp) != "text") {
        if (!skip(s)) return false;
        continue;
      }
      has_text = s.peek_kind() == JsonKind::kString;
      if (!(has_text ? s.read_string(part_text) : skip(s))) return false;
    }
    if (!s.ok()) return false;
    if (has_text) {
      bytes += string_size(text, part_text);
      if (out != nullptr) wire::append_unescaped(*out, part_text.raw(text));
    }
  }
  return s.ok();
}

struct Messages {
  size_t count = 0;
  bool bad_role = false;  // an element is not an object or has no string role
  size_t prompt_bytes = 0;
  JsonString last_role;     // of the last message (valid unless bad_role)
  size_t last_content = 0;  // offset of the last message's content value
  bool last_has_content = false;
};

bool walk_messages(JsonScanner& s, Messages& msgs) {
  s.enter_array();
  std::string tmp;
  JsonElement e;
  while (s.next_element(e)) {
    ++msgs.count;
    if (s.peek_kind() != JsonKind::kObject) {
      msgs.bad_role = true;
      if (!skip(s)) return false;
      continue;
    }
    s.enter_object();
    bool has_role = false, has_content = false;
    size_t content = 0, content_bytes = 0;
    JsonMember m;
    while (s.next_member(m)) {
      const std::string_view key = key_of(s, m, tmp);
      if (key == "role") {
        has_role = s.peek_kind() == JsonKind::kString;
        if (!(has_role ? s.read_string(msgs.last_role) : skip(s))) return false;
      } else if (key == "content") {
        has_content = true;
        content = s.pos();
        content_bytes = 0;
        if (!walk_content(s, content_bytes, nullptr)) return false;
      } else if (!skip(s)) {
        return false;
      }
    }
    if (!s.ok()) return false;
    if (!has_role) msgs.bad_role = true;
    msgs.prompt_bytes += content_bytes;
    msgs.last_content = content;
    msgs.last_has_content = has_content;
  }
  return s.ok();
}

// A tool whose `function` object has a string `name` (what the answer can call).
struct ToolRef {
  JsonString name;
  bool has_property = false;  // `parameters.properties` is a non-empty object
  JsonString property;        // its first key
};

// Walks `parameters` of a function: records the first key of its `properties` object.
bool walk_parameters(JsonScanner& s, ToolRef& tool) {
  tool.has_property = false;
  if (s.peek_kind() != JsonKind::kObject) return skip(s);
  s.enter_object();
  std::string tmp;
  JsonMember m;
  while (s.next_member(m)) {
    if (key_of(s, m, tmp) != "properties") {
      if (!skip(s)) return false;
      continue;
    }
    tool.has_property = false;
    if (s.peek_kind() != JsonKind::kObject) {
      if (!skip(s)) return false;
      continue;
    }
    // Skip the (large) object in one go, then read just its first key.
    const size_t begin = s.pos();
    if (!skip(s)) return false;
    JsonScanner first(s.text());
    first.seek(begin);
    first.enter_object();
    JsonMember p;
    if (first.next_member(p)) {
      tool.has_property = true;
      tool.property = p.key;
    }
  }
  return s.ok();
}

// Walks one element of `tools`; `valid` tells whether it is a callable function tool.
bool walk_tool(JsonScanner& s, ToolRef& tool, bool& valid) {
  valid = false;
  if (s.peek_kind() != JsonKind::kObject) return skip(s);
  s.enter_object();
  std::string tmp;
  JsonMember m;
  while (s.next_member(m)) {
    if (key_of(s, m, tmp) != "function") {
      if (!skip(s)) return false;
      continue;
    }
    valid = false;  // the last `function` member counts
    tool = ToolRef{};
    if (s.peek_kind() != JsonKind::kObject) {
      if (!skip(s)) return false;
      continue;
    }
    s.enter_object();
    bool has_name = false;
    JsonMember f;
    while (s.next_member(f)) {
      const std::string_view key = key_of(s, f, tmp);
      if (key == "name") {
        has_name = s.peek_kind() == JsonKind::kString;
        if (!(has_name ? s.read_string(tool.name) : skip(s))) return false;
      } else if (key == "parameters") {
        if (!walk_parameters(s, tool)) return false;
      } else if (!skip(s)) {
        return false;
      }
    }
    if (!s.ok()) return false;
    valid = has_name;
  }
  return s.ok();
}

struct Tools {
  size_t begin = 0;  // offset of the `tools` array
  bool has_first = false;
  ToolRef first;  // the first callable tool
};

bool walk_tools(JsonScanner& s, Tools& tools) {
  tools.begin = s.pos();
  s.enter_array();
  JsonElement e;
  while (s.next_element(e)) {
    if (tools.has_first) {  // later tools only matter for a named tool_choice (find_tool)
      if (!skip(s)) return false;
      continue;
    }
    ToolRef tool;
    bool valid = false;
    if (!walk_tool(s, tool, valid)) return false;
    if (valid) {
      tools.has_first = true;
      tools.first = tool;
    }
  }
  return s.ok();
}

// The callable tool named `wanted` in the (already validated) tools array, if any.
bool find_tool(std::string_view text, size_t begin, std::string_view wanted, ToolRef& out) {
  JsonScanner s(text);
  s.seek(begin);
  s.enter_array();
  std::string tmp;
  JsonElement e;
  while (s.next_element(e)) {
    ToolRef tool;
    bool valid = false;
    if (!walk_tool(s, tool, valid)) return false;
    if (valid && unescaped(text, tool.name, tmp) == wanted) {
      out = tool;
      return true;
    }
  }
  return false;
}

struct ToolChoice {
  bool none = false;      // "none"
  bool has_name = false;  // {"function":{"name":...}}
  JsonString name;
};

bool walk_tool_choice(JsonScanner& s, ToolChoice& choice) {
  choice = ToolChoice{};
  std::string tmp;
  const JsonKind kind = s.peek_kind();
  if (kind == JsonKind::kString) {
    JsonString str;
    if (!s.read_string(str)) return false;
    choice.none = unescaped(s.text(), str, tmp) == "none";
    return true;
  }
  if (kind != JsonKind::kObject) return skip(s);
  s.enter_object();
  JsonMember m;
  while (s.next_member(m)) {
    if (key_of(s, m, tmp) != "function") {
      if (!skip(s)) return false;
      continue;
    }
    choice.has_name = false;  // the last `function` member counts
    if (s.peek_kind() != JsonKind::kObject) {
      if (!skip(s)) return false;
      continue;
    }
    s.enter_object();
    JsonMember f;
    while (s.next_member(f)) {
      if (key_of(s, f, tmp) != "name") {
        if (!skip(s)) return false;
        continue;
      }
      choice.has_name = s.peek_kind() == JsonKind::kString;
      if (!(choice.has_name ? s.read_string(choice.name) : skip(s))) return false;
    }
    if (!s.ok()) return false;
  }
  return s.ok();
}

// Everything plan_chat needs from the body, as offsets into it.
struct BodyInfo {
  bool has_model = false;  // a string "model"
  JsonString model;
  bool has_messages = false;  // an array "messages"
  Messages messages;
  bool stream = false;
  bool has_tools = false;  // an array "tools"
  Tools tools;
  ToolChoice tool_choice;
  bool thinking_budget = false;
};

// Scans the whole body; false on malformed JSON (s.error() says why).
bool scan_body(JsonScanner& s, BodyInfo& info) {
  s.enter_object();
  std::string tmp;
  JsonMember m;
  while (s.next_member(m)) {
    const std::string_view key = key_of(s, m, tmp);
    const JsonKind kind = s.peek_kind();
    bool ok = true;
    if (key == "model") {
      info.has_model = kind == JsonKind::kString;
      ok = info.has_model ? s.read_string(info.model) : skip(s);
    } else if (key == "messages") {
      info.has_messages = kind == JsonKind::kArray;
      info.messages = Messages{};
      ok = info.has_messages ? walk_messages(s, info.messages) : skip(s);
    } else if (key == "stream") {
      info.stream = false;
      ok = kind == JsonKind::kTrue || kind == JsonKind::kFalse ? s.read_bool(info.stream) : skip(s);
    } else if (key == "tools") {
      info.has_tools = kind == JsonKind::kArray;
      info.tools = Tools{};
      ok = info.has_tools ? walk_tools(s, info.tools) : skip(s);
    } else if (key == "tool_choice") {
      ok = walk_tool_choice(s, info.tool_choice);
    } else {
      if (key == "thinking_budget") info.thinking_budget = true;
      ok = skip(s);
    }
    if (!ok) return false;
  }
  return s.ok() && s.finish();
}

Result<ChatPlan> parse_error(const char* what, size_t offset) {
  return invalid_body("failed to parse request body: " + std::string(what) + " at offset " +
                      std::to_string(offset));
}

}  // namespace

Result<ChatPlan> plan_chat(std::string_view body, const Catalog& catalog) {
  size_t bad_offset = 0;
  const char* bad_what = nullptr;
  if (!wire::check_json_text(body, bad_offset, bad_what)) return parse_error(bad_what, bad_offset);
  JsonScanner s(body);
  BodyInfo in;
  if (s.peek_kind() != JsonKind::kObject) {
    if (!skip(s) || !s.finish()) return parse_error(s.error(), s.error_offset());
    return invalid_body("request body must be a JSON object");
  }
  if (!scan_body(s, in)) return parse_error(s.error(), s.error_offset());

  if (!in.has_model)
    return ApiError::bad_request("model is required", "invalid_request_body", "model");
  if (!in.has_messages || in.messages.count == 0)
    return ApiError::bad_request("messages must be a non-empty array", "invalid_request_body",
                                 "messages");

  ChatPlan plan;
  plan.model = unescaped_copy(body, in.model);
  const ModelInfo* info = catalog.find(plan.model);
  if (info == nullptr)
    return ApiError::bad_request("The requested model is not supported.", "model_not_supported",
                                 "model");
  if (!info->chat_completions)
    return ApiError::bad_request(
        "model \"" + plan.model + "\" is not accessible via the /chat/completions endpoint",
        "unsupported_api_for_model", "model");
  plan.claude = info->claude;
  plan.multiplier = info->multiplier;
  plan.stream = in.stream;

  const Messages& msgs = in.messages;
  if (msgs.bad_role)
    return ApiError::bad_request("every message needs a string role", "invalid_request_body",
                                 "messages");
  plan.prompt_tokens = static_cast<int>(msgs.prompt_bytes / 4) + 1;
  std::string last_text;
  if (msgs.last_has_content) {
    JsonScanner content(body);
    content.seek(msgs.last_content);
    size_t ignored = 0;
    walk_content(content, ignored, &last_text);
  }
  const std::string text = strip_directives(last_text, plan.overrides);
  std::string tmp;
  const std::string_view last_role = unescaped(body, msgs.last_role, tmp);

  ToolRef tool;
  bool call = false;
  if (last_role == "user" && in.has_tools && in.tools.has_first && !in.tool_choice.none) {
    call = true;
    tool = in.tools.first;
    std::string wanted =
        in.tool_choice.has_name ? unescaped_copy(body, in.tool_choice.name) : std::string();
    if (wanted.empty() && plan.overrides.tool) wanted = *plan.overrides.tool;
    if (!wanted.empty() && unescaped_copy(body, tool.name) != wanted)
      find_tool(body, in.tools.begin, wanted, tool);
  }
  if (last_role == "tool") {
    plan.text = "Tool result received: " + text;
  } else if (call) {
    plan.tool_call = true;
    plan.tool_name = unescaped_copy(body, tool.name);
    json::object args;
    args[tool.has_property ? unescaped_copy(body, tool.property) : std::string("input")] = text;
    plan.tool_args = plan.overrides.args ? *plan.overrides.args : json::serialize(args);
    if (plan.claude) plan.text = "I'll use the " + plan.tool_name + " tool.";
  } else {
    plan.text = text.empty() ? "Hello from the simulator." : "You said: " + text;
  }
  if (info->thinking && in.thinking_budget) plan.reasoning_text = "Thinking about: " + text;
  return plan;
}

}  // namespace cg::sim
