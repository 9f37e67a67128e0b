// See messages_plan.h. One Boost.JSON DOM per request; every message and block is visited once.
#include "sim/messages_plan.h"

#include <boost/json.hpp>

#include "sim/dom_util.h"
#include "sim/signing.h"

namespace cg::sim {
namespace {

namespace json = boost::json;

ApiError invalid(std::string message) {
  return ApiError::bad_request(std::move(message), "invalid_request_error");
}

// An error whose code also leads the message (the Anthropic envelope has no code field).
ApiError coded(std::string_view code, std::string message, std::string param = {}) {
  std::string text(code);
  text += ": ";
  text += message;
  return ApiError::bad_request(std::move(text), std::string(code), std::move(param));
}

std::string at(size_t message, std::string_view rest) {
  return "messages." + std::to_string(message) + std::string(rest);
}

// Appends the text of a string or an array of `text` blocks to `out` (when set); adds its size.
void block_text(const json::value& v, size_t& bytes, std::string* out) {
  auto add = [&](std::string_view s) {
    bytes += s.size();
    if (out != nullptr) out->append(s);
  };
  if (v.is_string()) return add(v.get_string());
  if (!v.is_array()) return;
  for (const json::value& b : v.get_array()) {
    if (!b.is_object()) continue;
    const json::object& o = b.get_object();
    if (string_member(o, "type") == "text") add(string_member(o, "text"));
  }
}

// What the walk over `messages` learns about the last message.
struct Last {
  std::string_view role;
  std::string text;         // its text blocks (or string content)
  std::string tool_result;  // the text of its tool_result blocks, one per line
  bool has_tool_result = false;
};

// Validates one message (index `i`), adds its text to `bytes`, verifies thinking signatures of
// assistant turns, and when `last` is set collects what the answer needs.
std::optional<ApiError> walk_message(const json::value& m, size_t i, size_t& bytes, Last* last) {
  if (!m.is_object()) return invalid(at(i, ": Input should be a valid dictionary"));
  const json::object& o = m.get_object();
  const std::string_view role = string_member(o, "role");
  if (role != "user" && role != "assistant" && role != "system")
    return invalid(at(i, ".role: Input should be 'user' or 'assistant'"));
  const json::value* content = o.if_contains("content");
  if (content == nullptr) return invalid(at(i, ".content: Field required"));
  if (last != nullptr) last->role = role;
  std::string* text = last != nullptr ? &last->text : nullptr;
  if (content->is_string()) {
    block_text(*content, bytes, text);
    return std::nullopt;
  }
  if (!content->is_array()) return invalid(at(i, ".content: Input should be a valid list"));
  const json::array& blocks = content->get_array();
  for (size_t j = 0; j < blocks.size(); ++j) {
    const std::string where = ".content." + std::to_string(j);
    if (!blocks[j].is_object())
      return invalid(at(i, where + ": Input should be a valid dictionary"));
    const json::object& b = blocks[j].get_object();
    const std::string_view type = string_member(b, "type");
    if (type.empty()) return invalid(at(i, where + ".type: Field required"));
    if (type == "text") {
      const std::string_view t = string_member(b, "text");
      bytes += t.size();
      if (text != nullptr) text->append(t);
    } else if (type == "tool_result") {
      std::string result;
      if (const json::value* c = b.if_contains("content")) block_text(*c, bytes, &result);
      if (last != nullptr) {
        if (last->has_tool_result) last->tool_result += '\n';
        last->tool_result += result;
        last->has_tool_result = true;
      }
    } else if (type == "thinking") {
      const std::string_view thinking = string_member(b, "thinking");
      bytes += thinking.size();
      const json::value* sig = b.if_contains("signature");
      if (role == "assistant" &&
          (sig == nullptr || !sig->is_string() || !verify_thinking(thinking, sig->get_string())))
        return invalid(at(i, where + ": Invalid `signature` in `thinking` block"));
    }
  }
  return std::nullopt;
}

// The tool the answer calls, if any.
struct ToolPick {
  bool found = false;
  std::string name, property;
};

// The first callable (custom) tool, or the one named `wanted` when there is such a tool.
std::optional<ApiError> pick_tool(const json::array& tools, std::string_view wanted,
                                  ToolPick& pick) {
  bool exact = false;  // `pick` is the tool named `wanted`
  for (size_t i = 0; i < tools.size(); ++i) {
    if (!tools[i].is_object())
      return invalid("tools." + std::to_string(i) + ": Input should be a valid dictionary");
    const json::object& t = tools[i].get_object();
    const std::string_view name = string_member(t, "name");
    if (name.empty()) return invalid("tools." + std::to_string(i) + ".name: Field required");
    const std::string_view type = string_member(t, "type");
    if (!type.empty() && type != "custom") continue;  // a server tool (web_search_...)
    if (pick.found && (exact || wanted.empty() || name != wanted)) continue;
    pick = ToolPick{true, std::string(name), first_property(t.if_contains("input_schema"))};
    exact = !wanted.empty() && name == wanted;
  }
  return std::nullopt;
}

}  // namespace

Result<MessagesPlan> plan_messages(std::string_view body, const Catalog& catalog) {
  std::string parse_error;
  const std::optional<json::value> doc = parse_body(body, parse_error);
  if (!doc) return invalid(parse_error);
  if (!doc->is_object()) return invalid("request body must be a JSON object");
  const json::object& req = doc->get_object();

  MessagesPlan plan;
  const json::value* model = req.if_contains("model");
  if (model == nullptr || !model->is_string()) return invalid("model: Field required");
  plan.model = std::string(model->get_string());
  const json::value* max_tokens = req.if_contains("max_tokens");
  if (max_tokens == nullptr) return invalid("max_tokens: Field required");
  const std::optional<int64_t> max = as_integer(*max_tokens);
  if (!max) return invalid("max_tokens: Input should be a valid integer");
  if (*max < 1) return invalid("max_tokens: Input should be greater than or equal to 1");
  const json::value* messages = req.if_contains("messages");
  if (messages == nullptr) return invalid("messages: Field required");
  if (!messages->is_array()) return invalid("messages: Input should be a valid list");
  const json::array& msgs = messages->get_array();
  if (msgs.empty()) return invalid("messages: at least one message is required");

  const ModelInfo* info = catalog.find(plan.model);
  if (info == nullptr)
    return coded("model_not_supported", "The requested model is not supported.", "model");
  if (!info->messages)
    return coded("unsupported_api_for_model",
                 "model \"" + plan.model + "\" is not accessible via the /v1/messages endpoint",
                 "model");
  plan.multiplier = info->multiplier;

  size_t bytes = 0;
  if (const json::value* system = req.if_contains("system")) block_text(*system, bytes, nullptr);
  Last last;
  for (size_t i = 0; i < msgs.size(); ++i) {
    if (auto err = walk_message(msgs[i], i, bytes, i + 1 == msgs.size() ? &last : nullptr))
      return std::move(*err);
  }
  plan.input_tokens = approx_tokens(bytes);

  bool thinking = false;
  if (const json::value* t = req.if_contains("thinking"); t != nullptr && t->is_object()) {
    const std::string_view type = string_member(t->get_object(), "type");
    if (type == "enabled") {
      const json::value* budget = t->get_object().if_contains("budget_tokens");
      const std::optional<int64_t> n = budget != nullptr ? as_integer(*budget) : std::nullopt;
      if (!n) return invalid("thinking.enabled.budget_tokens: Field required");
      if (*n < 1024)
        return invalid(
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
      if (*n >= *max) return invalid("`max_tokens` must be greater than `thinking.budget_tokens`");
    }
    thinking = info->thinking && (type == "enabled" || type == "adaptive");
  }

  // Directives in the last message (its tool results, then its text) apply to the whole answer.
  const std::string text = last.has_tool_result ? strip_directives(last.tool_result, plan.overrides)
                                                : strip_directives(last.text, plan.overrides);
  if (last.has_tool_result) strip_directives(last.text, plan.overrides);

  ToolPick tool;
  bool none = false;
  std::string_view wanted;
  if (const json::value* c = req.if_contains("tool_choice"); c != nullptr && c->is_object()) {
    const std::string_view type = string_member(c->get_object(), "type");
    none = type == "none";
    if (type == "tool") wanted = string_member(c->get_object(), "name");
  }
  if (wanted.empty() && plan.overrides.tool) wanted = *plan.overrides.tool;
  if (const json::value* tools = req.if_contains("tools"); tools != nullptr) {
    if (!tools->is_array()) return invalid("tools: Input should be a valid list");
    if (auto err = pick_tool(tools->get_array(), wanted, tool)) return std::move(*err);
  }
  if (const json::value* s = req.if_contains("stream"); s != nullptr && s->is_bool())
    plan.stream = s->get_bool();

  if (last.has_tool_result) {
    plan.text = "Tool result received: " + text;
    if (thinking) plan.thinking = "Thinking about: " + text;
  } else {
    if (last.role == "user" && tool.found && !none) {
      plan.tool_use = true;
      plan.tool_name = tool.name;
      plan.tool_input =
          plan.overrides.args ? *plan.overrides.args : tool_arguments(tool.property, text);
      plan.text = "I'll use the " + tool.name + " tool.";
    } else {
      plan.text = echo_answer(text);
    }
    if (thinking) plan.thinking = "Thinking about: " + text;
  }
  if (!plan.thinking.empty()) plan.signature = sign_thinking(plan.thinking);
  return plan;
}

}  // namespace cg::sim
