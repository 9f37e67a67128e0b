// See from_responses_request.h.
#include "translate/from_responses_request.h"

#include "translate/json_util.h"

namespace cg::translate {

namespace {

using Kind = Block::Kind;

std::string copy(const json::string& s) {
  return std::string(s.data(), s.size());
}

std::string_view type_of(const json::object& o) {
  const json::value* t = member(o, "type");
  return t && t->is_string() ? std::string_view(t->get_string()) : std::string_view();
}

// Items whose content the model produced with a hosted tool: nothing to replay on Copilot.
bool is_hosted_call(std::string_view t) {
  return t == "web_search_call" || t == "file_search_call" || t == "code_interpreter_call" ||
         t == "image_generation_call";
}

struct Parser {
  ApiError err;
  bool failed = false;

  bool fail(std::string param, std::string message) {
    if (!failed) {
      err = field_error(std::move(param), std::move(message));
      failed = true;
    }
    return false;
  }

  bool string_field(const json::object& o, std::string_view key, const std::string& where,
                    std::string& out, bool required) {
    const json::value* v = member(o, key);
    if (!v) return required ? fail(where + "." + std::string(key), "Field required") : true;
    if (!v->is_string())
      return fail(where + "." + std::string(key), "Input should be a valid string");
    out = copy(v->get_string());
    return true;
  }

  bool image(const json::object& o, const std::string& where, Block& b) {
    b.kind = Kind::kImage;
    if (const json::value* d = member(o, "detail"); d && d->is_string())
      b.detail = copy(d->get_string());
    const json::value* url = member(o, "image_url");
    if (!url) {
      if (member(o, "file_id")) {
        return fail(where + ".file_id",
                    "Image file ids are not supported by this gateway; send the image as a base64 "
                    "data URL");
      }
      return fail(where + ".image_url", "Field required");
    }
    if (!url->is_string()) return fail(where + ".image_url", "Input should be a valid string");
    const std::string_view u = url->get_string();
    if (!u.starts_with("data:")) {
      return fail(where + ".image_url",
                  "Remote image URLs are not supported by this gateway; send the image as a "
                  "base64 data URL");
    }
    b.image_url = std::string(u);
    return true;
  }

  // One content part of a message (or of a function_call_output's output list).
  bool part(const json::value& v, const std::string& where, Block& b) {
    if (!v.is_object()) return fail(where, "Input should be an object");
    const json::object& o = v.get_object();
    const std::string_view t = type_of(o);
    if (t == "input_text" || t == "output_text" || t == "text") {
      b.kind = Kind::kText;
      return string_field(o, "text", where, b.text, true);
    }
    if (t == "refusal") {
      b.kind = Kind::kText;
      return string_field(o, "refusal", where, b.text, true);
    }
    if (t == "input_image") return image(o, where, b);
    if (t == "input_file") {
      return fail(where + ".type", "File inputs are not supported by this gateway");
    }
    if (t.empty()) return fail(where + ".type", "Field required");
    return fail(where + ".type", "Unsupported content part type '" + std::string(t) + "'");
  }

  bool content(const json::value& v, const std::string& where, std::vector<Block>& out) {
    if (v.is_string()) {
      Block b;
      b.text = copy(v.get_string());
      out.push_back(std::move(b));
      return true;
    }
    if (!v.is_array()) return fail(where, "Input should be a string or list");
    const json::array& parts = v.get_array();
    out.reserve(out.size() + parts.size());
    for (size_t i = 0; i < parts.size(); ++i) {
      Block b;
      if (!part(parts[i], where + "." + std::to_string(i), b)) return false;
      out.push_back(std::move(b));
    }
    return true;
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

  bool message(const json::object& o, const std::string& where, Request& r, bool& assistant_open) {
    const json::value* role = member(o, "role");
    if (!role || !role->is_string()) return fail(where + ".role", "Field required");
    const std::string_view rs = role->get_string();
    const json::value* c = member(o, "content");
    if (!c) return fail(where + ".content", "Field required");
    if (rs == "assistant") {
      Message& m = assistant(r, assistant_open);
      return content(*c, where + ".content", m.content);
    }
    Message m;
    if (rs == "user") {
      m.role = Role::kUser;
    } else if (rs == "system") {
      m.role = Role::kSystem;
    } else if (rs == "developer") {
      m.role = Role::kDeveloper;
    } else {
      return fail(where + ".role", "Input should be 'user', 'assistant', 'system' or 'developer'");
    }
    if (!content(*c, where + ".content", m.content)) return false;
    r.messages.push_back(std::move(m));
    return true;
  }

  bool function_call(const json::object& o, const std::string& where, Request& r,
                     bool& assistant_open) {
    Block b;
    b.kind = Kind::kToolCall;
    if (!string_field(o, "call_id", where, b.id, true)) return false;
    if (b.id.empty()) return fail(where + ".call_id", "Field required");
    if (!string_field(o, "name", where, b.name, true)) return false;
    if (!string_field(o, "arguments", where, b.arguments, false)) return false;
    if (b.arguments.empty()) b.arguments = "{}";
    assistant(r, assistant_open).content.push_back(std::move(b));
    return true;
  }

  bool reasoning(const json::object& o, const std::string& where, Request& r,
                 bool& assistant_open) {
    Block b;
    b.kind = Kind::kReasoning;
    if (!string_field(o, "id", where, b.id, false)) return false;
    if (!string_field(o, "encrypted_content", where, b.signature, false)) return false;
    if (const json::value* s = member(o, "summary")) {
      if (!s->is_array()) return fail(where + ".summary", "Input should be a list");
      const json::array& parts = s->get_array();
      for (size_t i = 0; i < parts.size(); ++i) {
        const std::string pw = where + ".summary." + std::to_string(i);
        if (!parts[i].is_object()) return fail(pw, "Input should be an object");
        std::string text;
        if (!string_field(parts[i].get_object(), "text", pw, text, true)) return false;
        if (!b.text.empty()) b.text.append("\n\n");
        b.text.append(text);
      }
    }
    assistant(r, assistant_open).content.push_back(std::move(b));
    return true;
  }

  bool function_call_output(const json::object& o, const std::string& where, Request& r,
                            bool& tool_open) {
    Block b;
    b.kind = Kind::kToolResult;
    if (!string_field(o, "call_id", where, b.id, true)) return false;
    if (b.id.empty()) return fail(where + ".call_id", "Field required");
    const json::value* out = member(o, "output");
    if (!out) return fail(where + ".output", "Field required");
    if (out->is_string()) {
      b.text = copy(out->get_string());
    } else if (out->is_array()) {
      if (!content(*out, where + ".output", b.parts)) return false;
      if (b.parts.size() == 1 && b.parts[0].kind == Kind::kText) {
        b.text = std::move(b.parts[0].text);
        b.parts.clear();
      }
    } else {
      return fail(where + ".output", "Input should be a string or list");
    }
    if (!tool_open || r.messages.empty() || r.messages.back().role != Role::kTool) {
      r.messages.push_back(Message{Role::kTool, {}});
      tool_open = true;
    }
    r.messages.back().content.push_back(std::move(b));
    return true;
  }

  bool input(const json::value& v, Request& r) {
    if (v.is_string()) {
      Message m;
      m.role = Role::kUser;
      Block b;
      b.text = copy(v.get_string());
      m.content.push_back(std::move(b));
      r.messages.push_back(std::move(m));
      return true;
    }
    if (!v.is_array()) return fail("input", "Input should be a string or list");
    const json::array& items = v.get_array();
    if (items.empty()) return fail("input", "At least one input item is required");
    bool assistant_open = false;  // the last message is an assistant message from items
    bool tool_open = false;       // the last message is a kTool message from items
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string where = "input." + std::to_string(i);
      if (!items[i].is_object()) return fail(where, "Input should be an object");
      const json::object& o = items[i].get_object();
      const std::string_view t = type_of(o);
      const bool assistant_side =
          t == "function_call" || t == "reasoning" ||
          ((t == "message" || t.empty()) && member(o, "role") && member(o, "role")->is_string() &&
           member(o, "role")->get_string() == "assistant");
      if (!assistant_side) assistant_open = false;
      if (t != "function_call_output") tool_open = false;
      bool ok = true;
      if (t == "message" || (t.empty() && member(o, "role"))) {
        ok = message(o, where, r, assistant_open);
      } else if (t == "function_call") {
        ok = function_call(o, where, r, assistant_open);
      } else if (t == "function_call_output") {
        ok = function_call_output(o, where, r, tool_open);
      } else if (t == "reasoning") {
        ok = reasoning(o, where, r, assistant_open);
      } else if (t == "item_reference") {
        ok = fail(where + ".type",
                  "Item references are not supported by this gateway (responses are not stored); "
                  "send the items themselves");
      } else if (is_hosted_call(t)) {
        continue;
      } else if (t.empty()) {
        ok = fail(where + ".type", "Field required");
      } else {
        ok = fail(where + ".type", "Unsupported input item type '" + std::string(t) + "'");
      }
      if (!ok) return false;
    }
    return true;
  }

  bool function_tool(const json::object& o, const std::string& where, Request& r) {
    Tool tool;
    if (!string_field(o, "name", where, tool.name, true)) return false;
    if (tool.name.empty()) return fail(where + ".name", "Field required");
    if (!string_field(o, "description", where, tool.description, false)) return false;
    if (const json::value* p = member(o, "parameters")) {
      if (!p->is_object()) return fail(where + ".parameters", "Input should be an object");
      tool.parameters = *p;
    }
    if (const json::value* s = member(o, "strict"); s && s->is_bool()) tool.strict = s->get_bool();
    r.tools.push_back(std::move(tool));
    return true;
  }

  bool tools(const json::value& v, Request& r) {
    if (!v.is_array()) return fail("tools", "Input should be a list");
    const json::array& a = v.get_array();
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string where = "tools." + std::to_string(i);
      if (!a[i].is_object()) return fail(where, "Input should be an object");
      const json::object& o = a[i].get_object();
      const std::string_view t = type_of(o);
      if (t == "function") {
        if (!function_tool(o, where, r)) return false;
      } else if (t == "namespace") {
        const json::value* nested = member(o, "tools");
        if (!nested) continue;
        if (!nested->is_array()) return fail(where + ".tools", "Input should be a list");
        const json::array& n = nested->get_array();
        for (size_t j = 0; j < n.size(); ++j) {
          const std::string nw = where + ".tools." + std::to_string(j);
          if (!n[j].is_object()) return fail(nw, "Input should be an object");
          const std::string_view nt = type_of(n[j].get_object());
          if (nt != "function" && !nt.empty()) continue;  // a hosted tool inside: dropped
          if (!function_tool(n[j].get_object(), nw, r)) return false;
        }
      } else if (t.empty()) {
        return fail(where + ".type", "Field required");
      }
      // Hosted tools (web_search, file_search, code_interpreter, ...) and custom (grammar) tools
      // cannot run on Copilot: dropped.
    }
    return true;
  }

  bool tool_choice(const json::value& v, Request& r) {
    ToolChoice& c = r.tool_choice;
    if (v.is_string()) {
      const std::string_view s = v.get_string();
      if (s == "auto") {
        c.mode = ToolChoice::Mode::kAuto;
      } else if (s == "none") {
        c.mode = ToolChoice::Mode::kNone;
      } else if (s == "required") {
        c.mode = ToolChoice::Mode::kRequired;
      } else {
        return fail("tool_choice", "Input should be 'none', 'auto' or 'required'");
      }
      return true;
    }
    if (!v.is_object()) return fail("tool_choice", "Input should be a string or object");
    const json::object& o = v.get_object();
    const std::string_view t = type_of(o);
    if (t == "function") {
      const json::value* name = member(o, "name");
      if (!name || !name->is_string() || name->get_string().empty())
        return fail("tool_choice.name", "Field required");
      c.mode = ToolChoice::Mode::kNamed;
      c.name = copy(name->get_string());
    } else if (t == "allowed_tools") {
      const json::value* mode = member(o, "mode");
      const bool required = mode && mode->is_string() && mode->get_string() == "required";
      c.mode = required ? ToolChoice::Mode::kRequired : ToolChoice::Mode::kAuto;
    } else if (t.empty()) {
      return fail("tool_choice.type", "Field required");
    } else {
      c.mode = ToolChoice::Mode::kAuto;  // a hosted tool, dropped with the tools
    }
    return true;
  }

  bool text_format(const json::value& v, Request& r) {
    if (!v.is_object()) return fail("text", "Input should be an object");
    const json::value* f = member(v.get_object(), "format");
    if (!f) return true;
    if (!f->is_object()) return fail("text.format", "Input should be an object");
    const json::object& o = f->get_object();
    const std::string_view t = type_of(o);
    if (t == "json_schema") {
      const json::value* schema = member(o, "schema");
      if (!schema || !schema->is_object()) return fail("text.format.schema", "Field required");
      r.response_schema = *schema;
      if (!string_field(o, "name", "text.format", r.response_schema_name, false)) return false;
    } else if (t == "json_object") {
      r.json_object = true;
    } else if (t != "text") {
      return fail("text.format.type", "Input should be 'text', 'json_schema' or 'json_object'");
    }
    return true;
  }

  bool reasoning_options(const json::value& v, Request& r) {
    if (!v.is_object()) return fail("reasoning", "Input should be an object");
    const json::object& o = v.get_object();
    if (!string_field(o, "effort", "reasoning", r.reasoning_effort, false)) return false;
    if (!string_field(o, "summary", "reasoning", r.reasoning_summary, false)) return false;
    // Older clients send generate_summary.
    if (r.reasoning_summary.empty() &&
        !string_field(o, "generate_summary", "reasoning", r.reasoning_summary, false))
      return false;
    return true;
  }
};

}  // namespace

Result<Request> from_responses_request(std::string_view body) {
  ParseArena arena;
  json::value doc(arena.storage());
  ApiError err;
  if (!parse_object(body, doc, err, arena.storage())) return err;
  const json::object& root = doc.get_object();
  Parser p;
  Request r;

  if (const json::value* prev = member(root, "previous_response_id")) {
    std::string id = prev->is_string() ? copy(prev->get_string()) : to_json(*prev);
    return ApiError::bad_request("Previous response with id '" + id + "' not found.",
                                 "previous_response_not_found", "previous_response_id");
  }
  if (member(root, "conversation")) {
    return field_error("conversation",
                       "Conversations are not supported by this gateway (responses are not "
                       "stored); send the whole input");
  }

  if (const json::value* bg = member(root, "background"); bg && bg->is_bool() && bg->get_bool()) {
    return field_error("background",
                       "Background responses are not supported by this gateway (responses are not "
                       "stored)");
  }

  const json::value* model = member(root, "model");
  if (!model || !model->is_string() || model->get_string().empty())
    return field_error("model", "Field required");
  r.model = copy(model->get_string());

  if (const json::value* ins = member(root, "instructions")) {
    if (!ins->is_string()) return field_error("instructions", "Input should be a valid string");
    if (!ins->get_string().empty()) {
      Block b;
      b.text = copy(ins->get_string());
      r.messages.push_back(Message{Role::kSystem, {std::move(b)}});
    }
  }
  const json::value* input = member(root, "input");
  if (!input) return field_error("input", "Field required");
  if (!p.input(*input, r)) return p.err;

  if (const json::value* t = member(root, "tools"); t && !p.tools(*t, r)) return p.err;
  if (const json::value* tc = member(root, "tool_choice"); tc && !p.tool_choice(*tc, r))
    return p.err;
  if (const json::value* v = member(root, "parallel_tool_calls")) {
    if (!v->is_bool()) return field_error("parallel_tool_calls", "Input should be a valid boolean");
    r.parallel_tool_calls = v->get_bool();
  }
  if (const json::value* mt = member(root, "max_output_tokens")) {
    const auto n = as_int(*mt);
    if (!n || *n < 1) return field_error("max_output_tokens", "Input should be an integer >= 1");
    r.max_tokens = *n;
  }
  if (const json::value* t = member(root, "temperature")) {
    r.temperature = as_number(*t);
    if (!r.temperature) return field_error("temperature", "Input should be a number");
  }
  if (const json::value* t = member(root, "top_p")) {
    r.top_p = as_number(*t);
    if (!r.top_p) return field_error("top_p", "Input should be a number");
  }
  if (const json::value* v = member(root, "reasoning"); v && !p.reasoning_options(*v, r))
    return p.err;
  if (const json::value* inc = member(root, "include")) {
    if (!inc->is_array()) return field_error("include", "Input should be a list");
    for (const json::value& x : inc->get_array()) {
      if (!x.is_string()) return field_error("include", "Input should be a list of strings");
      if (x.get_string() == "reasoning.encrypted_content") r.include_encrypted_reasoning = true;
    }
  }
  if (const json::value* t = member(root, "text"); t && !p.text_format(*t, r)) return p.err;
  if (const json::value* s = member(root, "stream")) {
    if (!s->is_bool()) return field_error("stream", "Input should be a valid boolean");
    r.stream = s->get_bool();
  }
  std::string_view user = string_member(root, "user", "user", err);
  if (user.empty()) user = string_member(root, "safety_identifier", "safety_identifier", err);
  if (!err.message.empty()) return err;
  r.user = std::string(user);
  r.prompt_cache_key =
      std::string(string_member(root, "prompt_cache_key", "prompt_cache_key", err));
  if (!err.message.empty()) return err;
  return r;
}

}  // namespace cg::translate
