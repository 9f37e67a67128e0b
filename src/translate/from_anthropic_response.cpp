// See from_anthropic_response.h.
#include "translate/from_anthropic_response.h"

#include "translate/json_util.h"

namespace cg::translate {

namespace {

std::string str(const json::object& o, std::string_view key) {
  const json::value* v = member(o, key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

FinishReason parse_anthropic_stop_reason(std::string_view reason) {
  if (reason == "end_turn") return FinishReason::kStop;
  if (reason == "max_tokens" || reason == "model_context_window_exceeded")
    return FinishReason::kLength;
  if (reason == "tool_use") return FinishReason::kToolCalls;
  if (reason == "stop_sequence") return FinishReason::kStopSequence;
  if (reason == "refusal") return FinishReason::kRefusal;
  if (reason == "pause_turn") return FinishReason::kPauseTurn;
  if (reason.empty()) return FinishReason::kNone;
  return FinishReason::kStop;
}

Result<Response> from_anthropic_response(std::string_view body) {
  json::value doc;
  ApiError err;
  if (!parse_object(body, doc, err)) {
    return ApiError::bad_gateway("The Copilot API answered with something that is not JSON.");
  }
  const json::object& root = doc.get_object();
  if (str(root, "type") == "error") {
    ApiError e = ApiError::bad_gateway("The Copilot API reported an error.");
    if (const json::value* ev = member(root, "error"); ev && ev->is_object()) {
      if (std::string m = str(ev->get_object(), "message"); !m.empty()) e.message = std::move(m);
    }
    return e;
  }
  const json::value* content = member(root, "content");
  if (!content || !content->is_array()) {
    return ApiError::bad_gateway("The Copilot API answer has no content.");
  }
  Response r;
  r.id = str(root, "id");
  r.model = str(root, "model");
  for (const json::value& bv : content->get_array()) {
    if (!bv.is_object()) continue;
    const json::object& o = bv.get_object();
    const std::string type = str(o, "type");
    Block b;
    if (type == "text") {
      b.text = escaped_member(o, "text");
    } else if (type == "thinking") {
      b.kind = Block::Kind::kThinking;
      b.text = escaped_member(o, "thinking");
      b.signature = str(o, "signature");
    } else if (type == "redacted_thinking") {
      b.kind = Block::Kind::kRedactedThinking;
      b.signature = str(o, "data");
    } else if (type == "tool_use") {
      b.kind = Block::Kind::kToolCall;
      b.id = str(o, "id");
      b.name = str(o, "name");
      const json::value* input = member(o, "input");
      b.arguments = input ? to_json(*input) : "{}";
    } else {
      continue;  // server_tool_use, web_search_tool_result, ...: run at Anthropic only
    }
    r.content.push_back(std::move(b));
  }
  r.finish = parse_anthropic_stop_reason(str(root, "stop_reason"));
  if (r.finish == FinishReason::kStopSequence) r.stop_sequence = str(root, "stop_sequence");
  if (const json::value* uv = member(root, "usage"); uv && uv->is_object()) {
    const json::object& u = uv->get_object();
    r.usage.known = true;
    r.usage.cache_read_tokens = count_member(u, "cache_read_input_tokens");
    r.usage.cache_creation_tokens = count_member(u, "cache_creation_input_tokens");
    r.usage.input_tokens =
        count_member(u, "input_tokens") + r.usage.cache_read_tokens + r.usage.cache_creation_tokens;
    r.usage.output_tokens = count_member(u, "output_tokens");
  }
  return r;
}

}  // namespace cg::translate
