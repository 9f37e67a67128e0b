// See chat_plan.h. Parses with Boost.JSON into a stack-backed monotonic resource.
#include "sim/chat_plan.h"

#include <boost/json.hpp>

namespace cg::sim {
namespace {

namespace json = boost::json;

ApiError invalid_body(std::string message) {
  return ApiError::bad_request(std::move(message), "invalid_request_body");
}

// Text of a message `content`: a string, or the concatenated `text` of its parts.
std::string content_text(const json::value* content) {
  std::string out;
  if (content == nullptr) return out;
  if (const json::string* s = content->if_string()) return std::string(*s);
  if (const json::array* parts = content->if_array()) {
    for (const json::value& part : *parts) {
      const json::object* p = part.if_object();
      if (p == nullptr) continue;
      const json::value* t = p->if_contains("text");
      if (t != nullptr && t->is_string()) out.append(t->get_string());
    }
  }
  return out;
}

// The function object of the tool the answer calls, or null when no tool is called.
const json::object* pick_tool(const json::object& body) {
  const json::value* tools = body.if_contains("tools");
  if (tools == nullptr || !tools->is_array() || tools->get_array().empty()) return nullptr;
  std::string_view wanted;
  if (const json::value* choice = body.if_contains("tool_choice")) {
    if (choice->is_string() && choice->get_string() == "none") return nullptr;
    if (const json::object* c = choice->if_object()) {
      if (const json::value* fn = c->if_contains("function"); fn != nullptr && fn->is_object()) {
        if (const json::value* n = fn->get_object().if_contains("name"); n && n->is_string())
          wanted = n->get_string();
      }
    }
  }
  const json::object* first = nullptr;
  for (const json::value& tool : tools->get_array()) {
    const json::object* t = tool.if_object();
    const json::value* fn = t != nullptr ? t->if_contains("function") : nullptr;
    if (fn == nullptr || !fn->is_object()) continue;
    const json::value* name = fn->get_object().if_contains("name");
    if (name == nullptr || !name->is_string()) continue;
    if (first == nullptr) first = &fn->get_object();
    if (!wanted.empty() && name->get_string() == wanted) return &fn->get_object();
  }
  return first;
}

std::string first_property(const json::object& fn) {
  const json::value* params = fn.if_contains("parameters");
  if (params != nullptr && params->is_object()) {
    const json::value* props = params->get_object().if_contains("properties");
    if (props != nullptr && props->is_object() && !props->get_object().empty())
      return std::string(props->get_object().begin()->key());
  }
  return "input";
}

}  // namespace

Result<ChatPlan> plan_chat(std::string_view body, const Catalog& catalog) {
  unsigned char stack_buf[8192];
  json::monotonic_resource mr(stack_buf, sizeof stack_buf);
  boost::system::error_code ec;
  json::value root = json::parse(body, ec, &mr);
  if (ec) return invalid_body("failed to parse request body: " + ec.message());
  const json::object* obj = root.if_object();
  if (obj == nullptr) return invalid_body("request body must be a JSON object");

  const json::value* model = obj->if_contains("model");
  if (model == nullptr || !model->is_string())
    return ApiError::bad_request("model is required", "invalid_request_body", "model");
  const json::value* messages = obj->if_contains("messages");
  if (messages == nullptr || !messages->is_array() || messages->get_array().empty())
    return ApiError::bad_request("messages must be a non-empty array", "invalid_request_body",
                                 "messages");

  ChatPlan plan;
  plan.model = std::string(model->get_string());
  const ModelInfo* info = catalog.find(plan.model);
  if (info == nullptr)
    return ApiError::bad_request("The requested model is not supported.", "model_not_supported",
                                 "model");
  if (!info->chat_completions)
    return ApiError::bad_request(
        "model \"" + plan.model + "\" is not accessible via the /chat/completions endpoint",
        "unsupported_api_for_model", "model");
  plan.claude = info->claude;
  if (const json::value* s = obj->if_contains("stream"); s != nullptr && s->is_bool())
    plan.stream = s->get_bool();

  size_t prompt_bytes = 0;
  std::string_view last_role;
  std::string last_text;
  for (const json::value& m : messages->get_array()) {
    const json::object* msg = m.if_object();
    const json::value* role = msg != nullptr ? msg->if_contains("role") : nullptr;
    if (role == nullptr || !role->is_string())
      return ApiError::bad_request("every message needs a string role", "invalid_request_body",
                                   "messages");
    last_role = role->get_string();
    last_text = content_text(msg->if_contains("content"));
    prompt_bytes += last_text.size();
  }
  plan.prompt_tokens = static_cast<int>(prompt_bytes / 4) + 1;
  const std::string text = strip_directives(last_text, plan.overrides);

  const json::object* tool = last_role == "user" ? pick_tool(*obj) : nullptr;
  if (last_role == "tool") {
    plan.text = "Tool result received: " + text;
  } else if (tool != nullptr) {
    plan.tool_call = true;
    plan.tool_name = std::string(tool->at("name").get_string());
    json::object args;
    args[first_property(*tool)] = text;
    plan.tool_args = json::serialize(args);
    if (plan.claude) plan.text = "I'll use the " + plan.tool_name + " tool.";
  } else {
    plan.text = text.empty() ? "Hello from the simulator." : "You said: " + text;
  }
  if (info->thinking && obj->contains("thinking_budget"))
    plan.reasoning_text = "Thinking about: " + text;
  return plan;
}

}  // namespace cg::sim
