// See from_chat_response.h.
#include "translate/from_chat_response.h"

#include "translate/json_util.h"

namespace cg::translate {

namespace {

std::string str(const json::object& o, std::string_view key) {
  const json::value* v = member(o, key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

FinishReason parse_chat_finish(std::string_view reason) {
  if (reason == "stop") return FinishReason::kStop;
  if (reason == "length") return FinishReason::kLength;
  if (reason == "tool_calls" || reason == "function_call") return FinishReason::kToolCalls;
  if (reason == "content_filter") return FinishReason::kContentFilter;
  if (reason.empty()) return FinishReason::kNone;
  return FinishReason::kStop;
}

Result<Response> from_chat_response(std::string_view body) {
  json::value doc;
  ApiError err;
  if (!parse_object(body, doc, err)) {
    return ApiError::bad_gateway("The Copilot API answered with something that is not JSON.");
  }
  const json::object& root = doc.get_object();
  const json::value* choices = member(root, "choices");
  if (!choices || !choices->is_array()) {
    return ApiError::bad_gateway("The Copilot API answer has no choices.");
  }
  Response r;
  r.id = str(root, "id");
  r.model = str(root, "model");
  std::string text, thinking, opaque;
  std::vector<Block> calls;
  FinishReason first_finish = FinishReason::kNone;
  bool any_tool_finish = false;
  for (const json::value& cv : choices->get_array()) {
    if (!cv.is_object()) continue;
    const json::object& c = cv.get_object();
    const FinishReason f = parse_chat_finish(str(c, "finish_reason"));
    if (first_finish == FinishReason::kNone) first_finish = f;
    any_tool_finish |= f == FinishReason::kToolCalls;
    const json::value* mv = member(c, "message");
    if (!mv || !mv->is_object()) continue;
    const json::object& m = mv->get_object();
    text += escaped_member(m, "content");
    std::string rt = escaped_member(m, "reasoning_text");
    if (rt.empty()) rt = escaped_member(m, "reasoning_content");
    thinking += rt;
    if (opaque.empty()) opaque = str(m, "reasoning_opaque");
    if (const json::value* tc = member(m, "tool_calls"); tc && tc->is_array()) {
      for (const json::value& callv : tc->get_array()) {
        if (!callv.is_object()) continue;
        const json::object& call = callv.get_object();
        Block b;
        b.kind = Block::Kind::kToolCall;
        b.id = str(call, "id");
        if (const json::value* fn = member(call, "function"); fn && fn->is_object()) {
          b.name = str(fn->get_object(), "name");
          b.arguments = str(fn->get_object(), "arguments");
        }
        if (b.arguments.empty()) b.arguments = "{}";
        calls.push_back(std::move(b));
      }
    }
  }
  if (!thinking.empty() || !opaque.empty()) {
    Block b;
    b.kind = Block::Kind::kThinking;
    b.text = std::move(thinking);
    b.signature = std::move(opaque);
    r.content.push_back(std::move(b));
  }
  if (!text.empty()) {
    Block b;
    b.text = std::move(text);
    r.content.push_back(std::move(b));
  }
  for (Block& b : calls)
    r.content.push_back(std::move(b));
  r.finish = any_tool_finish || (!calls.empty() && first_finish == FinishReason::kStop)
                 ? FinishReason::kToolCalls
                 : first_finish;

  if (const json::value* uv = member(root, "usage"); uv && uv->is_object()) {
    const json::object& u = uv->get_object();
    r.usage.known = true;
    r.usage.input_tokens = count_member(u, "prompt_tokens");
    r.usage.output_tokens = count_member(u, "completion_tokens");
    if (const json::value* d = member(u, "prompt_tokens_details"); d && d->is_object()) {
      r.usage.cache_read_tokens = count_member(d->get_object(), "cached_tokens");
      r.usage.cache_creation_tokens = count_member(d->get_object(), "cache_creation_input_tokens");
    }
    if (const json::value* d = member(u, "completion_tokens_details"); d && d->is_object()) {
      r.usage.reasoning_tokens = count_member(d->get_object(), "reasoning_tokens");
    }
  }
  return r;
}

}  // namespace cg::translate
