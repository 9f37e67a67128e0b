// See responses_plan.h. One Boost.JSON DOM per request; every input item is visited once.
#include "sim/responses_plan.h"

#include <boost/json.hpp>

#include "sim/dom_util.h"
#include "sim/signing.h"

namespace cg::sim {
namespace {

namespace json = boost::json;

ApiError invalid(std::string message, std::string param = {}) {
  return ApiError::bad_request(std::move(message), "invalid_request_body", std::move(param));
}

// Appends the text of a string or of an array of parts carrying `text` (input_text,
// output_text, ...) to `out`; returns its size.
size_t content_text(const json::value& v, std::string& out) {
  const size_t before = out.size();
  if (v.is_string()) {
    out.append(v.get_string());
  } else if (v.is_array()) {
    for (const json::value& p : v.get_array())
      if (p.is_object()) out.append(string_member(p.get_object(), "text"));
  }
  return out.size() - before;
}

// What the answer needs from the last input item.
struct Last {
  std::string_view kind;  // "message", "function_call_output", ... (empty: no input)
  std::string_view role;  // of a message
  std::string text;       // its text (message content or function_call_output output)
};

// Walks every input item: sizes its text, verifies reasoning items, and fills `last`.
std::optional<ApiError> walk_input(const json::array& items, size_t& bytes, Last& last) {
  std::string text;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object())
      return invalid("Invalid type for 'input[" + std::to_string(i) + "]': expected an object.",
                     "input");
    const json::object& item = items[i].get_object();
    std::string_view kind = string_member(item, "type");
    if (kind.empty() && item.contains("role")) kind = "message";
    text.clear();
    if (kind == "message") {
      if (const json::value* c = item.if_contains("content")) bytes += content_text(*c, text);
    } else if (kind == "function_call_output") {
      if (const json::value* c = item.if_contains("output")) bytes += content_text(*c, text);
    } else if (kind == "function_call") {
      bytes += string_member(item, "arguments").size();
    } else if (kind == "reasoning") {
      const json::value* enc = item.if_contains("encrypted_content");
      const std::string_view id = string_member(item, "id");
      if (enc != nullptr && enc->is_string() && !verify_reasoning(id, enc->get_string())) {
        return ApiError::bad_request(
            "The encrypted content for item " + std::string(id) + " could not be verified.",
            "invalid_encrypted_content");
      }
      if (const json::value* s = item.if_contains("summary")) bytes += content_text(*s, text);
    }
    last.kind = kind;
    last.role = string_member(item, "role");
    last.text.swap(text);
  }
  return std::nullopt;
}

// The tool the answer calls, if any.
struct ToolPick {
  bool found = false;
  bool exact = false;  // the tool tool_choice names
  std::string name, property;
};

void consider(const json::object& tool, std::string_view wanted, ToolPick& pick) {
  const std::string_view name = string_member(tool, "name");
  if (string_member(tool, "type") != "function" || name.empty()) return;
  if (pick.exact || (pick.found && (wanted.empty() || name != wanted))) return;
  pick.found = true;
  pick.exact = !wanted.empty() && name == wanted;
  pick.name = std::string(name);
  pick.property = first_property(tool.if_contains("parameters"));
}

// Flat function tools, and the function tools inside `namespace` tools; others are ignored.
void pick_tool(const json::array& tools, std::string_view wanted, ToolPick& pick) {
  for (const json::value& t : tools) {
    if (!t.is_object()) continue;
    const json::object& o = t.get_object();
    if (string_member(o, "type") == "namespace") {
      const json::value* inner = o.if_contains("tools");
      if (inner == nullptr || !inner->is_array()) continue;
      for (const json::value& f : inner->get_array())
        if (f.is_object()) consider(f.get_object(), wanted, pick);
    } else {
      consider(o, wanted, pick);
    }
  }
}

// `,"<key>":<the request's value or `fallback`>`.
void echo_member(const json::object& req, std::string_view key, std::string_view fallback,
                 std::string& out) {
  out += ",\"";
  out += key;
  out += "\":";
  const json::value* v = req.if_contains(key);
  if (v != nullptr && !v->is_null()) {
    out += json::serialize(*v);
  } else {
    out += fallback;
  }
}

std::string echo_of(const json::object& req) {
  std::string out;
  echo_member(req, "instructions", "null", out);
  echo_member(req, "max_output_tokens", "null", out);
  echo_member(req, "parallel_tool_calls", "true", out);
  out += ",\"previous_response_id\":null";
  echo_member(req, "reasoning", R"({"effort":null,"summary":null})", out);
  echo_member(req, "store", "true", out);
  echo_member(req, "temperature", "1", out);
  echo_member(req, "text", R"({"format":{"type":"text"}})", out);
  echo_member(req, "tool_choice", "\"auto\"", out);
  echo_member(req, "tools", "[]", out);
  echo_member(req, "top_p", "1", out);
  echo_member(req, "truncation", "\"disabled\"", out);
  echo_member(req, "user", "null", out);
  echo_member(req, "metadata", "{}", out);
  return out;
}

}  // namespace

Result<ResponsesPlan> plan_responses(std::string_view body, const Catalog& catalog) {
  std::string parse_error;
  const std::optional<json::value> doc = parse_body(body, parse_error);
  if (!doc) return invalid(parse_error);
  if (!doc->is_object()) return invalid("request body must be a JSON object");
  const json::object& req = doc->get_object();

  ResponsesPlan plan;
  const json::value* model = req.if_contains("model");
  if (model == nullptr || !model->is_string())
    return ApiError::bad_request("Missing required parameter: 'model'.",
                                 "missing_required_parameter", "model");
  plan.model = std::string(model->get_string());
  const json::value* input = req.if_contains("input");
  if (input == nullptr)
    return ApiError::bad_request("Missing required parameter: 'input'.",
                                 "missing_required_parameter", "input");
  if (!input->is_string() && !input->is_array())
    return invalid("Invalid type for 'input': expected a string or an array of input items.",
                   "input");

  const ModelInfo* info = catalog.find(plan.model);
  if (info == nullptr)
    return ApiError::bad_request("The requested model is not supported.", "model_not_supported",
                                 "model");
  if (!info->responses)
    return ApiError::bad_request("model " + plan.model + " is not supported via Responses API.",
                                 "unsupported_api_for_model", "model");
  if (const std::string_view prev = string_member(req, "previous_response_id"); !prev.empty())
    return ApiError::bad_request("Previous response with id '" + std::string(prev) + "' not found.",
                                 "previous_response_not_found", "previous_response_id");
  plan.multiplier = info->multiplier;

  size_t bytes = string_member(req, "instructions").size();
  Last last;
  if (input->is_string()) {
    last.kind = "message";
    last.role = "user";
    last.text = std::string(input->get_string());
    bytes += last.text.size();
  } else if (auto err = walk_input(input->get_array(), bytes, last)) {
    return std::move(*err);
  }
  plan.input_tokens = approx_tokens(bytes);

  const std::string text = strip_directives(last.text, plan.overrides);
  ToolPick tool;
  bool none = false;
  std::string_view wanted;
  if (const json::value* c = req.if_contains("tool_choice")) {
    if (c->is_string()) none = c->get_string() == "none";
    if (c->is_object()) wanted = string_member(c->get_object(), "name");
  }
  if (wanted.empty() && plan.overrides.tool) wanted = *plan.overrides.tool;
  if (const json::value* tools = req.if_contains("tools"); tools != nullptr && tools->is_array())
    pick_tool(tools->get_array(), wanted, tool);
  if (const json::value* s = req.if_contains("stream"); s != nullptr && s->is_bool())
    plan.stream = s->get_bool();

  if (last.kind == "function_call_output") {
    plan.text = "Tool result received: " + text;
  } else if (last.kind == "message" && last.role == "user" && tool.found && !none) {
    plan.tool_call = true;
    plan.tool_name = tool.name;
    plan.tool_args =
        plan.overrides.args ? *plan.overrides.args : tool_arguments(tool.property, text);
  } else {
    plan.text = echo_answer(text);
  }

  if (const json::value* r = req.if_contains("reasoning"); r != nullptr && r->is_object()) {
    plan.reasoning = true;
    plan.reasoning_text = "Thinking about: " + text;
    plan.reasoning_summary = !string_member(r->get_object(), "summary").empty();
    if (const json::value* inc = req.if_contains("include"); inc != nullptr && inc->is_array()) {
      for (const json::value& v : inc->get_array())
        if (v.is_string() && v.get_string() == "reasoning.encrypted_content") plan.encrypted = true;
    }
  }
  plan.echo = echo_of(req);
  return plan;
}

}  // namespace cg::sim
