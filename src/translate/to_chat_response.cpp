// See to_chat_response.h.
#include "translate/to_chat_response.h"

#include <vector>

#include "core/json_escape.h"

namespace cg::translate {

std::string_view chat_finish_reason(FinishReason f, bool any_tool_call) {
  switch (f) {
    case FinishReason::kToolCalls:
      return "tool_calls";
    case FinishReason::kLength:
      return "length";
    case FinishReason::kContentFilter:
    case FinishReason::kRefusal:
      return "content_filter";
    case FinishReason::kNone:
    case FinishReason::kStop:
    case FinishReason::kStopSequence:
    case FinishReason::kPauseTurn:
      break;
  }
  return any_tool_call ? "tool_calls" : "stop";
}

void append_chat_usage(std::string& out, const Usage& u) {
  out.append(R"({"prompt_tokens":)");
  out.append(std::to_string(u.input_tokens));
  out.append(R"(,"completion_tokens":)");
  out.append(std::to_string(u.output_tokens));
  out.append(R"(,"total_tokens":)");
  out.append(std::to_string(u.input_tokens + u.output_tokens));
  out.append(R"(,"prompt_tokens_details":{"cached_tokens":)");
  out.append(std::to_string(u.cache_read_tokens));
  out.append(R"(},"completion_tokens_details":{"reasoning_tokens":)");
  out.append(std::to_string(u.reasoning_tokens));
  out.append("}}");
}

std::string to_chat_response(const Response& r, const ChatEnvelope& env) {
  std::vector<const Block*> texts, calls, reasoning;
  size_t estimate = 512;
  for (const Block& b : r.content) {
    estimate += b.text.size() + b.arguments.size() + b.signature.size() + 64;
    switch (b.kind) {
      case Block::Kind::kText:
        if (!b.text.empty()) texts.push_back(&b);
        break;
      case Block::Kind::kToolCall:
        calls.push_back(&b);
        break;
      case Block::Kind::kThinking:
      case Block::Kind::kReasoning:
        reasoning.push_back(&b);
        break;
      case Block::Kind::kRedactedThinking:
      case Block::Kind::kImage:
      case Block::Kind::kToolResult:
        break;
    }
  }
  std::string out;
  out.reserve(estimate);
  out.append(R"({"id":)");
  append_json_string(out, env.id);
  out.append(R"(,"object":"chat.completion","created":)");
  out.append(std::to_string(env.created));
  out.append(R"(,"model":)");
  append_json_string(out, env.model);
  out.append(R"(,"choices":[{"index":0,"message":{"role":"assistant","content":)");
  if (texts.empty()) {
    out.append(calls.empty() ? "\"\"" : "null");
  } else {
    out.push_back('"');
    for (const Block* b : texts)
      out.append(b->text);
    out.push_back('"');
  }
  out.append(R"(,"refusal":null)");
  if (!reasoning.empty()) {
    out.append(R"(,"reasoning_text":")");
    bool first = true;
    for (const Block* b : reasoning) {
      if (b->text.empty()) continue;
      if (!first) out.append("\\n\\n");
      first = false;
      out.append(b->text);
    }
    out.push_back('"');
    for (const Block* b : reasoning) {
      if (b->signature.empty()) continue;
      out.append(R"(,"reasoning_opaque":")");
      append_json_escaped(out, b->signature);
      if (b->kind == Block::Kind::kReasoning && !b->id.empty()) {
        out.push_back('@');
        append_json_escaped(out, b->id);
      }
      out.push_back('"');
      break;
    }
  }
  if (!calls.empty()) {
    out.append(R"(,"tool_calls":[)");
    for (size_t i = 0; i < calls.size(); ++i) {
      if (i) out.push_back(',');
      out.append(R"({"id":)");
      append_json_string(out, calls[i]->id);
      out.append(R"(,"type":"function","function":{"name":)");
      append_json_string(out, calls[i]->name);
      out.append(R"(,"arguments":)");
      append_json_string(out, calls[i]->arguments.empty() ? "{}" : calls[i]->arguments);
      out.append("}}");
    }
    out.push_back(']');
  }
  out.append(R"(},"logprobs":null,"finish_reason":")");
  out.append(chat_finish_reason(r.finish, !calls.empty()));
  out.append("\"}]");
  if (r.usage.known) {
    out.append(R"(,"usage":)");
    append_chat_usage(out, r.usage);
  }
  out.push_back('}');
  return out;
}

}  // namespace cg::translate
