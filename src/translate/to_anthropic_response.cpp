// See to_anthropic_response.h.
#include "translate/to_anthropic_response.h"

#include <algorithm>

#include "core/json_escape.h"
#include "translate/anthropic_stream_encoder.h"
#include "translate/json_util.h"

namespace cg::translate {

namespace {

// Tool arguments as an input object: the JSON text itself when it is an object.
void append_input(std::string& out, const std::string& arguments) {
  boost::system::error_code ec;
  json::value v = json::parse(arguments, ec);
  if (!ec && v.is_object()) {
    out.append(json::serialize(v));
    return;
  }
  if (arguments.find_first_not_of(" \t\r\n") == std::string::npos) {
    out.append("{}");
    return;
  }
  out.append(R"({"_raw":)");
  append_json_string(out, arguments);
  out.push_back('}');
}

}  // namespace

std::string to_anthropic_response(const Response& r, std::string_view message_id,
                                  std::string_view model) {
  std::string out;
  size_t estimate = 256;
  for (const Block& b : r.content)
    estimate += b.text.size() + b.arguments.size() + b.signature.size() + 64;
  out.reserve(estimate);
  out.append(R"({"id":)");
  append_json_string(out, message_id);
  out.append(R"(,"type":"message","role":"assistant","model":)");
  append_json_string(out, model);
  out.append(R"(,"content":[)");
  bool first = true;
  bool any_tool = false;
  for (const Block& b : r.content) {
    switch (b.kind) {
      case Block::Kind::kThinking:
      case Block::Kind::kReasoning:
        if (!first) out.push_back(',');
        out.append(R"({"type":"thinking","thinking":)");
        append_escaped_string(out, b.text);
        out.append(R"(,"signature":)");
        if (b.kind == Block::Kind::kReasoning && !b.id.empty()) {
          // A Responses reasoning item: "<encrypted_content>@<id>" (see from_anthropic_request).
          append_json_string(out, b.signature + "@" + b.id);
        } else {
          append_json_string(out, b.signature);
        }
        out.push_back('}');
        break;
      case Block::Kind::kRedactedThinking:
        if (!first) out.push_back(',');
        out.append(R"({"type":"redacted_thinking","data":)");
        append_json_string(out, b.signature);
        out.push_back('}');
        break;
      case Block::Kind::kText:
        if (b.text.empty()) continue;
        if (!first) out.push_back(',');
        out.append(R"({"type":"text","text":)");
        append_escaped_string(out, b.text);
        out.push_back('}');
        break;
      case Block::Kind::kToolCall:
        if (!first) out.push_back(',');
        any_tool = true;
        out.append(R"({"type":"tool_use","id":)");
        append_json_string(out, b.id);
        out.append(R"(,"name":)");
        append_json_string(out, b.name);
        out.append(R"(,"input":)");
        append_input(out, b.arguments);
        out.push_back('}');
        break;
      case Block::Kind::kImage:
      case Block::Kind::kToolResult:
        continue;
    }
    first = false;
  }
  FinishReason f = r.finish;
  if (any_tool && (f == FinishReason::kStop || f == FinishReason::kNone))
    f = FinishReason::kToolCalls;
  out.append(R"(],"stop_reason":")");
  out.append(anthropic_stop_reason(f));
  out.append(R"(","stop_sequence":)");
  if (f == FinishReason::kStopSequence && !r.stop_sequence.empty()) {
    append_json_string(out, r.stop_sequence);
  } else {
    out.append("null");
  }
  const Usage& u = r.usage;
  const int64_t input =
      std::max<int64_t>(0, u.input_tokens - u.cache_read_tokens - u.cache_creation_tokens);
  out.append(R"(,"usage":{"input_tokens":)");
  out.append(std::to_string(input));
  out.append(R"(,"cache_creation_input_tokens":)");
  out.append(std::to_string(u.cache_creation_tokens));
  out.append(R"(,"cache_read_input_tokens":)");
  out.append(std::to_string(u.cache_read_tokens));
  out.append(R"(,"output_tokens":)");
  out.append(std::to_string(u.output_tokens));
  out.append("}}");
  return out;
}

}  // namespace cg::translate
