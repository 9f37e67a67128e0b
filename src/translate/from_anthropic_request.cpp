// See from_anthropic_request.h.
#include "translate/from_anthropic_request.h"

#include "translate/json_util.h"

namespace cg::translate {

namespace {

using Kind = Block::Kind;

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

  bool text_of(const json::object& o, const Path& where, std::string& out) {
    const json::value* t = o.if_contains("text");
    if (!t || !t->is_string()) return fail(where + ".text", "Field required (a string)");
    out.assign(t->get_string().data(), t->get_string().size());
    return true;
  }

  bool image(const json::object& o, const Path& where, Block& b) {
    const json::value* src = member(o, "source");
    if (!src || !src->is_object()) return fail(where + ".source", "Field required");
    const json::object& s = src->get_object();
    const json::value* type = member(s, "type");
    const std::string_view t =
        type && type->is_string() ? std::string_view(type->get_string()) : "";
    if (t == "base64") {
      const json::value* mt = member(s, "media_type");
      const json::value* data = member(s, "data");
      if (!mt || !mt->is_string()) return fail(where + ".source.media_type", "Field required");
      if (!data || !data->is_string()) return fail(where + ".source.data", "Field required");
      b.kind = Kind::kImage;
      b.image_url.reserve(data->get_string().size() + 32);
      b.image_url.append("data:").append(mt->get_string()).append(";base64,");
      b.image_url.append(data->get_string());
      return true;
    }
    if (t == "url") {
      return fail(where + ".source",
                  "Image URLs are not supported by this gateway; send the image as a base64 "
                  "source");
    }
    return fail(where + ".source.type", "Unsupported image source type '" + std::string(t) + "'");
  }

  // One block of a message's content (or of a tool_result's content when `nested`).
  // Returns false on error; sets `keep` false for blocks that are dropped.
  bool block(const json::value& v, const Path& where, Block& b, bool& keep, bool nested) {
    keep = true;
    if (!v.is_object()) return fail(where, "Input should be an object");
    const json::object& o = v.get_object();
    const json::value* type = member(o, "type");
    if (!type || !type->is_string()) return fail(where + ".type", "Field required");
    const std::string_view t = type->get_string();
    if (const json::value* cc = member(o, "cache_control"); cc && cc->is_object())
      b.cache_control = true;
    if (t == "text") {
      b.kind = Kind::kText;
      return text_of(o, where, b.text);
    }
    if (t == "image") return image(o, where, b);
    if (t == "document") {
      const json::value* src = member(o, "source");
      if (src && src->is_object()) {
        const json::object& s = src->get_object();
        const json::value* st = member(s, "type");
        const json::value* data = member(s, "data");
        if (st && st->is_string() && st->get_string() == "text" && data && data->is_string()) {
          b.kind = Kind::kText;
          if (const json::value* title = member(o, "title"); title && title->is_string()) {
            b.text.append(title->get_string()).append("\n\n");
          }
          b.text.append(data->get_string());
          return true;
        }
      }
      return fail(where + ".source",
                  "Only plain-text documents are supported by this gateway (Copilot cannot read "
                  "PDF or file documents)");
    }
    if (nested) {
      if (t == "search_result") {
        keep = false;
        return true;
      }
      return fail(where + ".type", "Unsupported tool_result content type '" + std::string(t) + "'");
    }
    if (t == "tool_use") {
      b.kind = Kind::kToolCall;
      const json::value* id = member(o, "id");
      const json::value* name = member(o, "name");
      if (!id || !id->is_string()) return fail(where + ".id", "Field required");
      if (!name || !name->is_string()) return fail(where + ".name", "Field required");
      b.id.assign(id->get_string().data(), id->get_string().size());
      b.name.assign(name->get_string().data(), name->get_string().size());
      const json::value* input = o.if_contains("input");
      b.arguments = input && input->is_object() ? to_json(*input) : "{}";
      return true;
    }
    if (t == "tool_result") {
      b.kind = Kind::kToolResult;
      const json::value* id = member(o, "tool_use_id");
      if (!id || !id->is_string()) return fail(where + ".tool_use_id", "Field required");
      b.id.assign(id->get_string().data(), id->get_string().size());
      if (const json::value* e = member(o, "is_error"); e && e->is_bool())
        b.is_error = e->get_bool();
      const json::value* content = member(o, "content");
      if (!content) return true;
      if (content->is_string()) {
        b.text.assign(content->get_string().data(), content->get_string().size());
        return true;
      }
      if (!content->is_array()) return fail(where + ".content", "Input should be a string or list");
      const json::array& parts = content->get_array();
      for (size_t i = 0; i < parts.size(); ++i) {
        Block part;
        bool keep_part = true;
        if (!block(parts[i], Path{"content", i, &where}, part, keep_part, true)) return false;
        if (keep_part) b.parts.push_back(std::move(part));
      }
      // One text part is the common case: keep it as plain text.
      if (b.parts.size() == 1 && b.parts[0].kind == Kind::kText) {
        b.text = std::move(b.parts[0].text);
        b.parts.clear();
      }
      return true;
    }
    if (t == "thinking") {
      b.kind = Kind::kThinking;
      if (const json::value* th = member(o, "thinking"); th && th->is_string())
        b.text.assign(th->get_string().data(), th->get_string().size());
      if (const json::value* sig = member(o, "signature"); sig && sig->is_string())
        b.signature.assign(sig->get_string().data(), sig->get_string().size());
      // "<encrypted_content>@<id>": a Responses reasoning item this gateway handed out as a
      // thinking block (base64 signatures never contain '@'); it goes back as that item.
      if (const size_t at = b.signature.rfind('@'); at != std::string::npos) {
        b.kind = Kind::kReasoning;
        b.id = b.signature.substr(at + 1);
        b.signature.resize(at);
      }
      return true;
    }
    if (t == "redacted_thinking") {
      b.kind = Kind::kRedactedThinking;
      if (const json::value* d = member(o, "data"); d && d->is_string())
        b.signature.assign(d->get_string().data(), d->get_string().size());
      return true;
    }
    if (t == "server_tool_use" || t.ends_with("_tool_result") || t == "container_upload" ||
        t == "search_result") {
      keep = false;  // server tools run at Anthropic only
      return true;
    }
    return fail(where + ".type", "Unsupported content block type '" + std::string(t) + "'");
  }

  bool message(const json::value& v, size_t i, Request& r) {
    const Path where{"messages", i, nullptr};
    if (!v.is_object()) return fail(where, "Input should be an object");
    const json::object& o = v.get_object();
    const json::value* role = member(o, "role");
    if (!role || !role->is_string()) return fail(where + ".role", "Field required");
    Message m;
    const std::string_view rs = role->get_string();
    if (rs == "user") {
      m.role = Role::kUser;
    } else if (rs == "assistant") {
      m.role = Role::kAssistant;
    } else if (rs == "system") {
      m.role = Role::kSystem;
    } else {
      return fail(where + ".role", "Input should be 'user' or 'assistant'");
    }
    const json::value* content = member(o, "content");
    if (!content) return fail(where + ".content", "Field required");
    if (content->is_string()) {
      Block b;
      b.text.assign(content->get_string().data(), content->get_string().size());
      m.content.push_back(std::move(b));
    } else if (content->is_array()) {
      const json::array& blocks = content->get_array();
      m.content.reserve(blocks.size());
      for (size_t j = 0; j < blocks.size(); ++j) {
        Block b;
        bool keep = true;
        if (!block(blocks[j], Path{"content", j, &where}, b, keep, false)) return false;
        if (keep) m.content.push_back(std::move(b));
      }
    } else {
      return fail(where + ".content", "Input should be a string or list");
    }
    r.messages.push_back(std::move(m));
    return true;
  }

  bool system(const json::value& v, Request& r) {
    Message m;
    m.role = Role::kSystem;
    if (v.is_string()) {
      if (v.get_string().empty()) return true;
      Block b;
      b.text.assign(v.get_string().data(), v.get_string().size());
      m.content.push_back(std::move(b));
    } else if (v.is_array()) {
      const json::array& a = v.get_array();
      for (size_t i = 0; i < a.size(); ++i) {
        const Path where{"system", i, nullptr};
        if (!a[i].is_object()) return fail(where, "Input should be an object");
        Block b;
        if (!text_of(a[i].get_object(), where, b.text)) return false;
        if (const json::value* cc = member(a[i].get_object(), "cache_control"); cc)
          b.cache_control = true;
        m.content.push_back(std::move(b));
      }
    } else {
      return fail("system", "Input should be a string or list of text blocks");
    }
    if (!m.content.empty()) r.messages.push_back(std::move(m));
    return true;
  }

  bool tools(const json::value& v, Request& r) {
    if (!v.is_array()) return fail("tools", "Input should be a list");
    const json::array& a = v.get_array();
    for (size_t i = 0; i < a.size(); ++i) {
      const Path where{"tools", i, nullptr};
      if (!a[i].is_object()) return fail(where, "Input should be an object");
      const json::object& o = a[i].get_object();
      if (const json::value* type = member(o, "type"); type && type->is_string()) {
        const std::string_view t = type->get_string();
        if (t != "custom") continue;  // a server tool: Copilot cannot run it
      }
      const json::value* name = member(o, "name");
      if (!name || !name->is_string() || name->get_string().empty())
        return fail(where + ".name", "Field required");
      Tool tool;
      tool.name.assign(name->get_string().data(), name->get_string().size());
      if (const json::value* d = member(o, "description"); d && d->is_string())
        tool.description.assign(d->get_string().data(), d->get_string().size());
      const json::value* schema = member(o, "input_schema");
      if (!schema || !schema->is_object()) return fail(where + ".input_schema", "Field required");
      tool.parameters = *schema;
      if (const json::value* s = member(o, "strict"); s && s->is_bool())
        tool.strict = s->get_bool();
      r.tools.push_back(std::move(tool));
    }
    return true;
  }

  bool tool_choice(const json::value& v, Request& r) {
    if (!v.is_object()) return fail("tool_choice", "Input should be an object");
    const json::object& o = v.get_object();
    const json::value* type = member(o, "type");
    if (!type || !type->is_string()) return fail("tool_choice.type", "Field required");
    const std::string_view t = type->get_string();
    ToolChoice& c = r.tool_choice;
    if (t == "auto") {
      c.mode = ToolChoice::Mode::kAuto;
    } else if (t == "any") {
      c.mode = ToolChoice::Mode::kRequired;
    } else if (t == "none") {
      c.mode = ToolChoice::Mode::kNone;
    } else if (t == "tool") {
      const json::value* name = member(o, "name");
      if (!name || !name->is_string()) return fail("tool_choice.name", "Field required");
      c.mode = ToolChoice::Mode::kNamed;
      c.name.assign(name->get_string().data(), name->get_string().size());
    } else {
      return fail("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none'");
    }
    if (const json::value* d = member(o, "disable_parallel_tool_use"); d && d->is_bool()) {
      if (d->get_bool()) r.parallel_tool_calls = false;
    }
    return true;
  }

  bool thinking(const json::object& root, Request& r) {
    const json::value* v = member(root, "thinking");
    if (v) {
      if (!v->is_object()) return fail("thinking", "Input should be an object");
      const json::object& o = v->get_object();
      const json::value* type = member(o, "type");
      const std::string_view t =
          type && type->is_string() ? std::string_view(type->get_string()) : "";
      if (t == "enabled") {
        const json::value* b = member(o, "budget_tokens");
        const auto budget = b ? as_int(*b) : std::nullopt;
        if (!budget || *budget < 1) return fail("thinking.budget_tokens", "Field required");
        r.thinking_budget = *budget;
      } else if (t == "adaptive") {
        r.reasoning_effort = "medium";
      } else if (t != "disabled") {
        return fail("thinking.type", "Input should be 'enabled', 'adaptive' or 'disabled'");
      }
    }
    if (const json::value* oc = member(root, "output_config"); oc && oc->is_object()) {
      const json::object& o = oc->get_object();
      if (const json::value* e = member(o, "effort"); e && e->is_string() && v)
        r.reasoning_effort.assign(e->get_string().data(), e->get_string().size());
      if (const json::value* f = member(o, "format"); f && f->is_object()) {
        const json::object& fo = f->get_object();
        if (const json::value* s = member(fo, "schema"); s && s->is_object()) {
          r.response_schema = *s;
          r.response_schema_name = "structured_output";
        }
      }
    }
    return true;
  }
};

}  // namespace

Result<Request> from_anthropic_request(std::string_view body, AnthropicParseOptions opts) {
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
  r.model.assign(model->get_string().data(), model->get_string().size());

  if (const json::value* mt = member(root, "max_tokens")) {
    const auto n = as_int(*mt);
    if (!n || *n < 1) return field_error("max_tokens", "Input should be an integer >= 1");
    r.max_tokens = *n;
  } else if (opts.require_max_tokens) {
    return field_error("max_tokens", "Field required");
  }

  const json::value* messages = member(root, "messages");
  if (!messages || !messages->is_array()) return field_error("messages", "Field required");
  if (const json::value* sys = member(root, "system"); sys && !p.system(*sys, r)) return p.err;
  const json::array& ms = messages->get_array();
  r.messages.reserve(r.messages.size() + ms.size());
  for (size_t i = 0; i < ms.size(); ++i) {
    if (!p.message(ms[i], i, r)) return p.err;
  }
  if (ms.empty()) return field_error("messages", "At least one message is required");

  if (const json::value* t = member(root, "tools"); t && !p.tools(*t, r)) return p.err;
  if (const json::value* tc = member(root, "tool_choice"); tc && !p.tool_choice(*tc, r))
    return p.err;
  if (!p.thinking(root, r)) return p.err;

  if (const json::value* s = member(root, "stop_sequences")) {
    if (!s->is_array()) return field_error("stop_sequences", "Input should be a list");
    for (const json::value& x : s->get_array()) {
      if (!x.is_string()) return field_error("stop_sequences", "Input should be a list of strings");
      r.stop.emplace_back(x.get_string().data(), x.get_string().size());
    }
  }
  if (const json::value* t = member(root, "temperature")) {
    r.temperature = as_number(*t);
    if (!r.temperature) return field_error("temperature", "Input should be a number");
  }
  if (const json::value* t = member(root, "top_p")) {
    r.top_p = as_number(*t);
    if (!r.top_p) return field_error("top_p", "Input should be a number");
  }
  if (const json::value* s = member(root, "stream")) {
    if (!s->is_bool()) return field_error("stream", "Input should be a valid boolean");
    r.stream = s->get_bool();
  }
  if (const json::value* md = member(root, "metadata"); md && md->is_object()) {
    if (const json::value* u = member(md->get_object(), "user_id"); u && u->is_string())
      r.user.assign(u->get_string().data(), u->get_string().size());
  }
  return r;
}

}  // namespace cg::translate
