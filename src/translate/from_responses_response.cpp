// See from_responses_response.h.
#include "translate/from_responses_response.h"

#include "translate/json_util.h"

namespace cg::translate {

namespace {

std::string str(const json::object& o, std::string_view key) {
  const json::value* v = member(o, key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object* obj(const json::object& o, std::string_view key) {
  const json::value* v = member(o, key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

const json::array* arr(const json::object& o, std::string_view key) {
  const json::value* v = member(o, key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

}  // namespace

FinishReason parse_responses_finish(std::string_view status, std::string_view incomplete_reason) {
  if (status == "incomplete") {
    if (incomplete_reason == "content_filter") return FinishReason::kContentFilter;
    return FinishReason::kLength;  // max_output_tokens (the only other documented reason)
  }
  return FinishReason::kStop;
}

Result<Response> from_responses_response(std::string_view body) {
  json::value doc;
  ApiError err;
  if (!parse_object(body, doc, err)) {
    return ApiError::bad_gateway("The Copilot API answered with something that is not JSON.");
  }
  const json::object& root = doc.get_object();
  const json::array* output = arr(root, "output");
  if (!output) return ApiError::bad_gateway("The Copilot API answer has no output.");
  const std::string status = str(root, "status");
  if (status == "failed") {
    ApiError e = ApiError::bad_gateway("The Copilot API could not complete the response.");
    if (const json::object* eo = obj(root, "error")) {
      if (std::string m = str(*eo, "message"); !m.empty()) e.message = std::move(m);
      if (std::string c = str(*eo, "code"); !c.empty()) e.code = std::move(c);
    }
    return e;
  }

  Response r;
  r.id = str(root, "id");
  r.model = str(root, "model");
  bool any_call = false;
  for (const json::value& iv : *output) {
    if (!iv.is_object()) continue;
    const json::object& item = iv.get_object();
    const std::string type = str(item, "type");
    if (type == "reasoning") {
      Block b;
      b.kind = Block::Kind::kReasoning;
      b.id = str(item, "id");
      b.signature = str(item, "encrypted_content");
      if (const json::array* summary = arr(item, "summary")) {
        for (const json::value& s : *summary) {
          if (!s.is_object()) continue;
          const std::string text = escaped_member(s.get_object(), "text");
          if (text.empty()) continue;
          if (!b.text.empty()) b.text.append("\\n\\n");
          b.text.append(text);
        }
      }
      // Nothing to show or to replay (no summary, no encrypted content): dropped.
      if (!b.text.empty() || !b.signature.empty()) r.content.push_back(std::move(b));
    } else if (type == "message") {
      const json::array* parts = arr(item, "content");
      if (!parts) continue;
      for (const json::value& pv : *parts) {
        if (!pv.is_object()) continue;
        const json::object& p = pv.get_object();
        const std::string pt = str(p, "type");
        Block b;
        if (pt == "output_text") {
          b.text = escaped_member(p, "text");
        } else if (pt == "refusal") {
          b.text = escaped_member(p, "refusal");
          r.finish = FinishReason::kRefusal;
        }
        if (b.text.empty()) continue;
        // One answer: text parts of consecutive messages join into one block.
        if (!r.content.empty() && r.content.back().kind == Block::Kind::kText) {
          r.content.back().text.append(b.text);
        } else {
          r.content.push_back(std::move(b));
        }
      }
    } else if (type == "function_call") {
      Block b;
      b.kind = Block::Kind::kToolCall;
      b.id = str(item, "call_id");
      b.name = str(item, "name");
      b.arguments = str(item, "arguments");
      if (b.arguments.empty()) b.arguments = "{}";
      any_call = true;
      r.content.push_back(std::move(b));
    }
  }
  std::string reason;
  if (const json::object* d = obj(root, "incomplete_details")) reason = str(*d, "reason");
  if (any_call) {
    r.finish = FinishReason::kToolCalls;
  } else if (r.finish != FinishReason::kRefusal || status == "incomplete") {
    r.finish = parse_responses_finish(status, reason);
  }

  if (const json::object* u = obj(root, "usage")) {
    r.usage.known = true;
    r.usage.input_tokens = count_member(*u, "input_tokens");
    r.usage.output_tokens = count_member(*u, "output_tokens");
    if (const json::object* d = obj(*u, "input_tokens_details"))
      r.usage.cache_read_tokens = count_member(*d, "cached_tokens");
    if (const json::object* d = obj(*u, "output_tokens_details"))
      r.usage.reasoning_tokens = count_member(*d, "reasoning_tokens");
  }
  return r;
}

}  // namespace cg::translate
