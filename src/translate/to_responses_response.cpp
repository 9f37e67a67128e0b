// See to_responses_response.h.
#include "translate/to_responses_response.h"

#include <charconv>

#include "core/json_escape.h"
#include "translate/json_util.h"

namespace cg::translate {

using namespace std::string_view_literals;

namespace {

void append_number(std::string& out, double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(res.ptr - buf));
}

}  // namespace

std::string responses_item_id(std::string_view response_id, std::string_view prefix, size_t n) {
  std::string_view token = response_id;
  if (token.starts_with("resp_")) token.remove_prefix(5);
  std::string id;
  id.reserve(prefix.size() + token.size() + 8);
  id.append(prefix).push_back('_');
  id.append(token).push_back('_');
  id.append(std::to_string(n));
  return id;
}

std::string_view responses_status(FinishReason f) {
  return responses_incomplete_reason(f).empty() ? "completed" : "incomplete";
}

std::string_view responses_incomplete_reason(FinishReason f) {
  switch (f) {
    case FinishReason::kLength:
      return "max_output_tokens";
    case FinishReason::kContentFilter:
      return "content_filter";
    default:
      return {};
  }
}

void append_responses_usage(std::string& out, const Usage& u) {
  if (!u.known) {
    out.append("null"sv);
    return;
  }
  out.append(R"({"input_tokens":)"sv);
  out.append(std::to_string(u.input_tokens));
  out.append(R"(,"input_tokens_details":{"cached_tokens":)"sv);
  out.append(std::to_string(u.cache_read_tokens));
  out.append(R"(},"output_tokens":)"sv);
  out.append(std::to_string(u.output_tokens));
  out.append(R"(,"output_tokens_details":{"reasoning_tokens":)"sv);
  out.append(std::to_string(u.reasoning_tokens));
  out.append(R"(},"total_tokens":)"sv);
  out.append(std::to_string(u.input_tokens + u.output_tokens));
  out.push_back('}');
}

std::string responses_echo(const Request* r) {
  std::string out;
  out.reserve(384);
  out.append(R"(,"instructions":null,"max_output_tokens":)"sv);
  if (r && r->max_tokens) {
    out.append(std::to_string(*r->max_tokens));
  } else {
    out.append("null"sv);
  }
  out.append(R"(,"metadata":{},"parallel_tool_calls":)"sv);
  out.append(!r || r->parallel_tool_calls.value_or(true) ? "true" : "false");
  out.append(R"(,"previous_response_id":null,"reasoning":{"effort":)"sv);
  if (r && !r->reasoning_effort.empty()) {
    append_json_string(out, r->reasoning_effort);
  } else {
    out.append("null"sv);
  }
  out.append(R"(,"summary":)"sv);
  if (r && !r->reasoning_summary.empty()) {
    append_json_string(out, r->reasoning_summary);
  } else {
    out.append("null"sv);
  }
  out.append(R"(},"store":false,"temperature":)"sv);
  if (r && r->temperature) {
    append_number(out, *r->temperature);
  } else {
    out.append("null"sv);
  }
  out.append(R"(,"text":{"format":)"sv);
  if (r && !r->response_schema.empty()) {
    out.append(R"({"type":"json_schema","name":)"sv);
    append_json_string(out, r->response_schema_name.empty() ? std::string_view("structured_output")
                                                            : r->response_schema_name);
    out.append(R"(,"schema":)"sv);
    out.append(r->response_schema);
    out.append(R"(,"strict":true})"sv);
  } else if (r && r->json_object) {
    out.append(R"({"type":"json_object"})"sv);
  } else {
    out.append(R"({"type":"text"})"sv);
  }
  out.append(R"(},"tool_choice":)"sv);
  const ToolChoice::Mode mode = r ? r->tool_choice.mode : ToolChoice::Mode::kUnset;
  switch (mode) {
    case ToolChoice::Mode::kUnset:
    case ToolChoice::Mode::kAuto:
      out.append(R"("auto")"sv);
      break;
    case ToolChoice::Mode::kNone:
      out.append(R"("none")"sv);
      break;
    case ToolChoice::Mode::kRequired:
      out.append(R"("required")"sv);
      break;
    case ToolChoice::Mode::kNamed:
      out.append(R"({"type":"function","name":)"sv);
      append_json_string(out, r->tool_choice.name);
      out.push_back('}');
      break;
  }
  out.append(R"(,"tools":[],"top_p":)"sv);
  if (r && r->top_p) {
    append_number(out, *r->top_p);
  } else {
    out.append("null"sv);
  }
  out.append(R"(,"truncation":"disabled")"sv);
  return out;
}

void append_response_head(std::string& out, const ResponsesEnvelope& env, std::string_view status,
                          std::string_view incomplete_reason) {
  out.append(R"({"id":)"sv);
  append_json_string(out, env.response_id);
  out.append(R"(,"object":"response","created_at":)"sv);
  append_decimal(out, env.created_at);
  out.append(R"(,"status":")"sv);
  out.append(status);
  out.append(R"(","background":false,"error":null,"incomplete_details":)"sv);
  if (incomplete_reason.empty()) {
    out.append("null"sv);
  } else {
    out.append(R"({"reason":")"sv);
    out.append(incomplete_reason);
    out.append("\"}"sv);
  }
  out.append(R"(,"model":)"sv);
  append_json_string(out, env.model);
  out.append(R"(,"output":[)"sv);
}

void append_message_item(std::string& out, std::string_view id, bool done, std::string_view text) {
  out.append(R"({"id":)"sv);
  append_escaped_string(out, id);
  out.append(done ? R"(,"type":"message","status":"completed","role":"assistant","content":[)"
                  : R"(,"type":"message","status":"in_progress","role":"assistant","content":[)");
  if (done) {
    out.append(R"({"type":"output_text","text":)"sv);
    append_escaped_string(out, text);
    out.append(R"(,"annotations":[]})"sv);
  }
  out.append("]}"sv);
}

void append_function_call_item(std::string& out, std::string_view id, bool done,
                               std::string_view call_id, std::string_view name,
                               std::string_view arguments) {
  out.append(R"({"id":)"sv);
  append_escaped_string(out, id);
  out.append(done ? R"(,"type":"function_call","status":"completed","call_id":)"
                  : R"(,"type":"function_call","status":"in_progress","call_id":)");
  append_escaped_string(out, call_id);
  out.append(R"(,"name":)"sv);
  append_escaped_string(out, name);
  out.append(R"(,"arguments":)"sv);
  append_escaped_string(out, done ? arguments : std::string_view());
  out.push_back('}');
}

void append_reasoning_item(std::string& out, std::string_view id, bool has_summary,
                           std::string_view summary, std::string_view encrypted) {
  out.append(R"({"id":)"sv);
  append_escaped_string(out, id);
  out.append(R"(,"type":"reasoning","summary":[)"sv);
  if (has_summary) {
    out.append(R"({"type":"summary_text","text":)"sv);
    append_escaped_string(out, summary);
    out.push_back('}');
  }
  out.push_back(']');
  if (!encrypted.empty()) {
    out.append(R"(,"encrypted_content":)"sv);
    append_escaped_string(out, encrypted);
  }
  out.push_back('}');
}

std::string to_responses_response(const Response& r, const ResponsesEnvelope& env,
                                  const Request* request) {
  std::string out;
  size_t estimate = 1024;
  for (const Block& b : r.content)
    estimate += b.text.size() + b.arguments.size() + b.signature.size() + 128;
  out.reserve(estimate + estimate / 8);

  FinishReason f = r.finish;
  append_response_head(out, env, responses_status(f), responses_incomplete_reason(f));
  size_t n = 0;  // output index
  std::string text;
  auto flush_text = [&] {
    if (text.empty()) return;
    if (n) out.push_back(',');
    append_message_item(out, responses_item_id(env.response_id, "msg", n), true, text);
    ++n;
    text.clear();
  };
  for (const Block& b : r.content) {
    switch (b.kind) {
      case Block::Kind::kText:
        text.append(b.text);
        break;
      case Block::Kind::kThinking:
      case Block::Kind::kReasoning: {
        flush_text();
        if (n) out.push_back(',');
        const std::string id = b.kind == Block::Kind::kReasoning && !b.id.empty()
                                   ? json_escaped(b.id)
                                   : responses_item_id(env.response_id, "rs", n);
        append_reasoning_item(out, id, !b.text.empty(), b.text, json_escaped(b.signature));
        ++n;
        break;
      }
      case Block::Kind::kToolCall: {
        flush_text();
        if (n) out.push_back(',');
        append_function_call_item(out, responses_item_id(env.response_id, "fc", n), true,
                                  json_escaped(b.id), json_escaped(b.name),
                                  json_escaped(b.arguments.empty() ? "{}" : b.arguments));
        ++n;
        break;
      }
      case Block::Kind::kRedactedThinking:
      case Block::Kind::kImage:
      case Block::Kind::kToolResult:
        break;
    }
  }
  flush_text();
  out.push_back(']');
  out.append(responses_echo(request));
  out.append(R"(,"usage":)"sv);
  append_responses_usage(out, r.usage);
  out.push_back('}');
  return out;
}

}  // namespace cg::translate
