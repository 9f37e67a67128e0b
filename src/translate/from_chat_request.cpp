// See from_chat_request.h.
#include "translate/from_chat_request.h"

#include "translate/json_util.h"

namespace cg::translate {

namespace {

using Kind = Block::Kind;

std::string copy(const json::string& s) {
  return std::string(s.data(), s.size());
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

  // Text-only content (system, developer, tool messages): a string or text parts. Each part is
  // one kText block; `refusal` parts count as text when `refusals`.
  bool text_content(const json::value& v, const std::string& where, std::vector<Block>& out,
                    bool refusals = false) {
    if (v.is_string()) {
      Block b;
      b.text = json_escaped(v.get_string());
      out.push_back(std::move(b));
      return true;
    }
    if (!v.is_array()) return fail(where, "Input should be a string or a list of text parts");
    const json::array& parts = v.get_array();
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string at = where + "." + std::to_string(i);
      if (!parts[i].is_object()) return fail(at, "Input should be an object");
      const json::object& p = parts[i].get_object();
      const json::value* type = member(p, "type");
      if (!type || !type->is_string()) return fail(at + ".type", "Field required");
      const std::string_view t = type->get_string();
      const char* field = t == "text" ? "text" : refusals && t == "refusal" ? "refusal" : nullptr;
      if (!field) {
        return fail(at + ".type", "Unsupported content part type '" + std::string(t) +
                                      "' (expected " +
                                      (refusals ? "'text' or 'refusal')" : "'text')"));
      }
      const json::value* text = member(p, field);
      if (!text || !text->is_string()) return fail(at + "." + field, "Field required (a string)");
      Block b;
      b.text = json_escaped(text->get_string());
      out.push_back(std::move(b));
    }
    return true;
  }

  bool user_content(const json::value& v, const std::string& where, std::vector<Block>& out) {
    if (v.is_string()) return text_content(v, where, out);
    if (!v.is_array()) return fail(where, "Input should be a string or a list of content parts");
    const json::array& parts = v.get_array();
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string at = where + "." + std::to_string(i);
      if (!parts[i].is_object()) return fail(at, "Input should be an object");
      const json::object& p = parts[i].get_object();
      const json::value* type = member(p, "type");
      if (!type || !type->is_string()) return fail(at + ".type", "Field required");
      const std::string_view t = type->get_string();
      Block b;
      if (t == "text") {
        const json::value* text = member(p, "text");
        if (!text || !text->is_string()) return fail(at + ".text", "Field required (a string)");
        b.text = json_escaped(text->get_string());
      } else if (t == "image_url") {
        const json::value* iu = member(p, "image_url");
        const json::value* url = nullptr;
        if (iu && iu->is_object()) {
          url = member(iu->get_object(), "url");
          if (const json::value* d = member(iu->get_object(), "detail"); d && d->is_string())
            b.detail = copy(d->get_string());
        } else if (iu && iu->is_string()) {
          url = iu;  // a bare URL string, as some clients send
        }
        if (!url || !url->is_string() || url->get_string().empty())
          return fail(at + ".image_url.url", "Field required (a string)");
        b.kind = Kind::kImage;
        b.image_url = copy(url->get_string());
      } else if (t == "input_audio" || t == "file") {
        return fail(at + ".type", "Content parts of type '" + std::string(t) +
                                      "' are not supported for this model by this gateway");
      } else {
        return fail(at + ".type", "Unsupported content part type '" + std::string(t) + "'");
      }
      out.push_back(std::move(b));
    }
    return true;
  }

  bool tool_calls(const json::value& v, const std::string& where, std::vector<Block>& out) {
    if (!v.is_array()) return fail(where, "Input should be a list");
    const json::array& calls = v.get_array();
    for (size_t i = 0; i < calls.size(); ++i) {
      const std::string at = where + "." + std::to_string(i);
      if (!calls[i].is_object()) return fail(at, "Input should be an object");
      const json::object& c = calls[i].get_object();
      if (const json::value* type = member(c, "type");
          type && (!type->is_string() || type->get_string() != "function")) {
        return fail(at + ".type", "Only 'function' tool calls are supported");
      }
      const json::value* id = member(c, "id");
      if (!id || !id->is_string() || id->get_string().empty())
        return fail(at + ".id", "Field required");
      const json::value* fn = member(c, "function");
      if (!fn || !fn->is_object()) return fail(at + ".function", "Field required");
      const json::object& f = fn->get_object();
      const json::value* name = member(f, "name");
      if (!name || !name->is_string() || name->get_string().empty())
        return fail(at + ".function.name", "Field required");
      Block b;
      b.kind = Kind::kToolCall;
      b.id = copy(id->get_string());
      b.name = copy(name->get_string());
      if (const json::value* args = member(f, "arguments")) {
        if (args->is_string()) {
          b.arguments = copy(args->get_string());
        } else if (args->is_object()) {
          b.arguments = to_json(*args);  // lenient: an object instead of its JSON text
        } else {
          return fail(at + ".function.arguments", "Input should be a valid string");
        }
      }
      if (b.arguments.empty()) b.arguments = "{}";
      out.push_back(std::move(b));
    }
    return true;
  }

  bool assistant(const json::object& o, const std::string& where, Message& m) {
    if (member(o, "function_call")) {
      return fail(where + ".function_call",
                  "The legacy function_call field is not supported for this model; use "
                  "tool_calls");
    }
    // Copilot's reasoning extension: the thinking (and its signature) come first.
    std::string_view reasoning, opaque;
    if (const json::value* rt = member(o, "reasoning_text"); rt && rt->is_string())
      reasoning = rt->get_string();
    if (const json::value* ro = member(o, "reasoning_opaque"); ro && ro->is_string())
      opaque = ro->get_string();
    if (!reasoning.empty() || !opaque.empty()) {
      Block b;
      b.kind = Kind::kThinking;
      b.text = json_escaped(reasoning);
      // "<encrypted_content>@<id>": a Responses reasoning item (base64 never contains '@').
      if (const size_t at = opaque.rfind('@'); at != std::string_view::npos) {
        b.kind = Kind::kReasoning;
        b.id.assign(opaque.substr(at + 1));
        opaque = opaque.substr(0, at);
      }
      b.signature.assign(opaque);
      m.content.push_back(std::move(b));
    }
    if (const json::value* content = member(o, "content")) {
      const size_t first = m.content.size();
      if (!text_content(*content, where + ".content", m.content, true)) return false;
      // One continuous answer: several parts become one text block; empty text is dropped.
      for (size_t i = first + 1; i < m.content.size(); ++i)
        m.content[first].text += m.content[i].text;
      if (m.content.size() > first) m.content.resize(first + 1);
      if (m.content.size() > first && m.content[first].text.empty()) m.content.pop_back();
    }
    if (const json::value* refusal = member(o, "refusal"); refusal && refusal->is_string()) {
      if (!refusal->get_string().empty()) {
        Block b;
        b.text = json_escaped(refusal->get_string());
        m.content.push_back(std::move(b));
      }
    }
    if (const json::value* tc = member(o, "tool_calls")) {
      if (!tool_calls(*tc, where + ".tool_calls", m.content)) return false;
    }
    return true;
  }

  bool message(const json::value& v, size_t i, Request& r) {
    const std::string where = "messages." + std::to_string(i);
    if (!v.is_object()) return fail(where, "Input should be an object");
    const json::object& o = v.get_object();
    const json::value* role = member(o, "role");
    if (!role || !role->is_string()) return fail(where + ".role", "Field required");
    const std::string_view rs = role->get_string();
    const json::value* content = member(o, "content");
    Message m;
    if (rs == "system" || rs == "developer") {
      m.role = rs == "system" ? Role::kSystem : Role::kDeveloper;
      if (!content) return fail(where + ".content", "Field required");
      if (!text_content(*content, where + ".content", m.content)) return false;
    } else if (rs == "user") {
      m.role = Role::kUser;
      if (!content) return fail(where + ".content", "Field required");
      if (!user_content(*content, where + ".content", m.content)) return false;
    } else if (rs == "assistant") {
      m.role = Role::kAssistant;
      if (!assistant(o, where, m)) return false;
    } else if (rs == "tool") {
      const json::value* id = member(o, "tool_call_id");
      if (!id || !id->is_string() || id->get_string().empty())
        return fail(where + ".tool_call_id", "Field required");
      Block b;
      b.kind = Kind::kToolResult;
      b.id = copy(id->get_string());
      if (content) {
        std::vector<Block> parts;
        if (!text_content(*content, where + ".content", parts)) return false;
        for (size_t k = 0; k < parts.size(); ++k) {
          if (k) b.text += "\\n\\n";
          b.text += parts[k].text;
        }
      }
      // Results that follow each other answer one assistant turn: one kTool message.
      if (!r.messages.empty() && r.messages.back().role == Role::kTool) {
        r.messages.back().content.push_back(std::move(b));
        return true;
      }
      m.role = Role::kTool;
      m.content.push_back(std::move(b));
    } else if (rs == "function") {
      return fail(where + ".role",
                  "The legacy function role is not supported for this model; use tool messages");
    } else {
      return fail(where + ".role",
                  "Input should be 'system', 'developer', 'user', 'assistant' or 'tool'");
    }
    r.messages.push_back(std::move(m));
    return true;
  }

  bool tools(const json::value& v, Request& r) {
    if (!v.is_array()) return fail("tools", "Input should be a list");
    const json::array& a = v.get_array();
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string where = "tools." + std::to_string(i);
      if (!a[i].is_object()) return fail(where, "Input should be an object");
      const json::object& o = a[i].get_object();
      const json::value* type = member(o, "type");
      if (type && (!type->is_string() || type->get_string() != "function"))
        return fail(where + ".type", "Only 'function' tools are supported for this model");
      const json::value* fn = member(o, "function");
      if (!fn || !fn->is_object()) return fail(where + ".function", "Field required");
      const json::object& f = fn->get_object();
      const json::value* name = member(f, "name");
      if (!name || !name->is_string() || name->get_string().empty())
        return fail(where + ".function.name", "Field required");
      Tool tool;
      tool.name = copy(name->get_string());
      if (const json::value* d = member(f, "description"); d && d->is_string())
        tool.description = json_escaped(d->get_string());
      if (const json::value* p = member(f, "parameters")) {
        if (!p->is_object())
          return fail(where + ".function.parameters", "Input should be an object");
        tool.parameters = to_json(*p);
      }
      if (const json::value* s = member(f, "strict"); s && s->is_bool())
        tool.strict = s->get_bool();
      r.tools.push_back(std::move(tool));
    }
    return true;
  }

  bool tool_choice(const json::value& v, Request& r) {
    ToolChoice& c = r.tool_choice;
    auto mode = [&](std::string_view s) {
      if (s == "auto") {
        c.mode = ToolChoice::Mode::kAuto;
      } else if (s == "none") {
        c.mode = ToolChoice::Mode::kNone;
      } else if (s == "required") {
        c.mode = ToolChoice::Mode::kRequired;
      } else {
        return false;
      }
      return true;
    };
    if (v.is_string()) {
      if (mode(v.get_string())) return true;
      return fail("tool_choice", "Input should be 'none', 'auto', 'required' or an object");
    }
    if (!v.is_object()) return fail("tool_choice", "Input should be a string or an object");
    const json::object& o = v.get_object();
    const json::value* type = member(o, "type");
    const std::string_view t =
        type && type->is_string() ? std::string_view(type->get_string()) : "";
    if (t == "function") {
      const json::value* fn = member(o, "function");
      const json::value* name = fn && fn->is_object() ? member(fn->get_object(), "name") : nullptr;
      if (!name || !name->is_string() || name->get_string().empty())
        return fail("tool_choice.function.name", "Field required");
      c.mode = ToolChoice::Mode::kNamed;
      c.name = copy(name->get_string());
      return true;
    }
    if (t == "allowed_tools") {
      const json::value* at = member(o, "allowed_tools");
      const json::value* m = at && at->is_object() ? member(at->get_object(), "mode") : nullptr;
      if (m && m->is_string() && (m->get_string() == "auto" || m->get_string() == "required")) {
        mode(m->get_string());
        return true;
      }
      return fail("tool_choice.allowed_tools.mode", "Input should be 'auto' or 'required'");
    }
    return fail("tool_choice.type", "Input should be 'function' or 'allowed_tools'");
  }

  bool response_format(const json::value& v, Request& r) {
    if (!v.is_object()) return fail("response_format", "Input should be an object");
    const json::object& o = v.get_object();
    const json::value* type = member(o, "type");
    const std::string_view t =
        type && type->is_string() ? std::string_view(type->get_string()) : "";
    if (t == "text") return true;
    if (t == "json_object") {
      r.json_object = true;
      return true;
    }
    if (t == "json_schema") {
      const json::value* js = member(o, "json_schema");
      if (!js || !js->is_object()) return fail("response_format.json_schema", "Field required");
      const json::object& s = js->get_object();
      const json::value* schema = member(s, "schema");
      if (!schema || !schema->is_object())
        return fail("response_format.json_schema.schema", "Field required (an object)");
      r.response_schema = to_json(*schema);
      if (const json::value* name = member(s, "name"); name && name->is_string())
        r.response_schema_name = copy(name->get_string());
      return true;
    }
    return fail("response_format.type", "Input should be 'text', 'json_object' or 'json_schema'");
  }
};

// An integer >= 1 at `key`; false (with err set) when present and malformed.
bool positive_int(const json::object& root, std::string_view key, std::optional<int64_t>& out,
                  ApiError& err) {
  const json::value* v = member(root, key);
  if (!v) return true;
  const auto n = as_int(*v);
  if (!n || *n < 1) {
    err = field_error(std::string(key), "Input should be an integer >= 1");
    return false;
  }
  out = *n;
  return true;
}

}  // namespace

Result<Request> from_chat_request(std::string_view body) {
  ParseArena arena;
  json::value doc(arena.storage());
  ApiError err;
  if (!parse_object(body, doc, err, arena.storage())) return err;
  const json::object& root = doc.get_object();
  Parser p;
  Request r;

  const json::value* model = member(root, "model");
  if (!model || !model->is_string() || model->get_string().empty())
    return field_error("model", "Field required");
  r.model = copy(model->get_string());

  if (const json::value* n = member(root, "n")) {
    const auto count = as_int(*n);
    if (!count || *count < 1) return field_error("n", "Input should be an integer >= 1");
    if (*count > 1) {
      return field_error("n",
                         "Only n=1 is supported for this model (the gateway translates the "
                         "request and produces one answer)");
    }
  }
  if (member(root, "functions") || member(root, "function_call")) {
    return field_error(member(root, "functions") ? "functions" : "function_call",
                       "The legacy functions / function_call fields are not supported for this "
                       "model; use tools / tool_choice");
  }

  const json::value* messages = member(root, "messages");
  if (!messages || !messages->is_array()) return field_error("messages", "Field required");
  const json::array& ms = messages->get_array();
  if (ms.empty()) return field_error("messages", "At least one message is required");
  r.messages.reserve(ms.size());
  for (size_t i = 0; i < ms.size(); ++i) {
    if (!p.message(ms[i], i, r)) return p.err;
  }

  if (const json::value* t = member(root, "tools"); t && !p.tools(*t, r)) return p.err;
  if (const json::value* tc = member(root, "tool_choice"); tc && !p.tool_choice(*tc, r))
    return p.err;
  if (const json::value* v = member(root, "parallel_tool_calls")) {
    if (!v->is_bool()) return field_error("parallel_tool_calls", "Input should be a valid boolean");
    r.parallel_tool_calls = v->get_bool();
  }

  if (!positive_int(root, "max_tokens", r.max_tokens, err)) return err;
  std::optional<int64_t> max_completion;
  if (!positive_int(root, "max_completion_tokens", max_completion, err)) return err;
  if (max_completion) r.max_tokens = max_completion;  // the current name wins

  if (const json::value* t = member(root, "temperature")) {
    r.temperature = as_number(*t);
    if (!r.temperature) return field_error("temperature", "Input should be a number");
  }
  if (const json::value* t = member(root, "top_p")) {
    r.top_p = as_number(*t);
    if (!r.top_p) return field_error("top_p", "Input should be a number");
  }
  if (const json::value* s = member(root, "stop")) {
    if (s->is_string()) {
      r.stop.push_back(copy(s->get_string()));
    } else if (s->is_array()) {
      for (const json::value& x : s->get_array()) {
        if (!x.is_string()) return field_error("stop", "Input should be a list of strings");
        r.stop.push_back(copy(x.get_string()));
      }
    } else {
      return field_error("stop", "Input should be a string or a list of strings");
    }
  }
  if (const json::value* s = member(root, "stream")) {
    if (!s->is_bool()) return field_error("stream", "Input should be a valid boolean");
    r.stream = s->get_bool();
  }
  if (const json::value* so = member(root, "stream_options"); so && so->is_object()) {
    if (const json::value* iu = member(so->get_object(), "include_usage"); iu && iu->is_bool())
      r.include_usage = iu->get_bool();
  }
  r.user = string_member(root, "user", "user", err);
  if (!err.message.empty()) return err;
  r.reasoning_effort = string_member(root, "reasoning_effort", "reasoning_effort", err);
  if (!err.message.empty()) return err;
  r.prompt_cache_key = string_member(root, "prompt_cache_key", "prompt_cache_key", err);
  if (!err.message.empty()) return err;
  if (const json::value* tb = member(root, "thinking_budget")) {
    const auto n = as_int(*tb);
    if (!n || *n < 1) return field_error("thinking_budget", "Input should be an integer >= 1");
    r.thinking_budget = *n;
  }
  if (const json::value* rf = member(root, "response_format"); rf && !p.response_format(*rf, r))
    return p.err;
  return r;
}

}  // namespace cg::translate
