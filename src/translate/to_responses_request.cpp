// See to_responses_request.h.
#include "translate/to_responses_request.h"

#include <algorithm>
#include <charconv>

#include "core/json_escape.h"
#include "translate/json_util.h"
#include "translate/request_size.h"
#include "translate/tool_result_text.h"

namespace cg::translate {

namespace {

using Kind = Block::Kind;

// The Responses API refuses max_output_tokens below 16.
constexpr int64_t kMinOutputTokens = 16;

void append_number(std::string& out, double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(res.ptr - buf));
}

// Effort for an Anthropic thinking budget (the client did not name one).
std::string_view effort_for_budget(int64_t budget) {
  if (budget <= 2048) return "low";
  if (budget <= 16384) return "medium";
  return "high";
}

struct Emitter {
  std::string out;
  std::optional<ApiError> err;

  bool check_image(const Block& b) {
    if (b.image_url.starts_with("data:")) return true;
    if (!err) {
      err = ApiError::bad_request(
          "Image URLs are not supported by this gateway; send images as base64 data.",
          "invalid_image_url");
    }
    return false;
  }

  void image_part(const Block& b) {
    out.append(R"({"type":"input_image","image_url":)");
    append_json_string(out, b.image_url);
    out.append(R"(,"detail":)");
    append_json_string(out, b.detail.empty() ? std::string_view("auto") : b.detail);
    out.push_back('}');
  }

  // A message item of `role` from text and image blocks (text parts typed `text_type`).
  bool message(std::string_view role, std::string_view text_type,
               const std::vector<const Block*>& blocks) {
    if (blocks.empty()) return true;
    out.append(R"({"type":"message","role":")");
    out.append(role);
    out.append(R"(","content":[)");
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (i) out.push_back(',');
      const Block& b = *blocks[i];
      if (b.kind == Kind::kImage) {
        if (!check_image(b)) return false;
        image_part(b);
      } else {
        out.append(R"({"type":")");
        out.append(text_type);
        out.append(R"(","text":)");
        append_escaped_string(out, b.text);
        out.push_back('}');
      }
    }
    out.append("]},");
    return true;
  }

  void tool_output(const Block& b, std::vector<const Block*>& images) {
    out.append(R"({"type":"function_call_output","call_id":)");
    append_json_string(out, b.id);
    out.append(R"(,"output":")");
    append_tool_result_text(out, b, images);
    out.append("\"},");
  }

  bool user_or_developer(const Message& m) {
    std::vector<const Block*> rest;
    std::vector<const Block*> tool_images;
    for (const Block& b : m.content) {
      if (b.kind == Kind::kToolResult) {
        tool_output(b, tool_images);
      } else if (b.kind == Kind::kText || b.kind == Kind::kImage) {
        rest.push_back(&b);
      }
    }
    // Images returned by tools are shown to the model in the user turn that follows them.
    rest.insert(rest.end(), tool_images.begin(), tool_images.end());
    const bool user = m.role == Role::kUser || m.role == Role::kTool;
    return message(user ? "user" : "developer", "input_text", rest);
  }

  void reasoning(const Block& b) {
    out.append(R"({"type":"reasoning","id":)");
    append_json_string(out, b.id);
    out.append(R"(,"summary":[)");
    if (!b.text.empty()) {
      out.append(R"({"type":"summary_text","text":)");
      append_escaped_string(out, b.text);
      out.push_back('}');
    }
    out.append(R"(],"encrypted_content":)");
    append_json_string(out, b.signature);
    out.append("},");
  }

  void tool_call(const Block& b) {
    out.append(R"({"type":"function_call","call_id":)");
    append_json_string(out, b.id);
    out.append(R"(,"name":)");
    append_json_string(out, b.name);
    out.append(R"(,"arguments":)");
    append_json_string(out, b.arguments.empty() ? "{}" : b.arguments);
    out.append("},");
  }

  bool assistant(const Message& m) {
    std::vector<const Block*> texts;
    auto flush = [&] {
      const bool ok = message("assistant", "output_text", texts);
      texts.clear();
      return ok;
    };
    for (const Block& b : m.content) {
      switch (b.kind) {
        case Kind::kText:
          if (!b.text.empty()) texts.push_back(&b);
          break;
        case Kind::kReasoning:
          if (b.signature.empty() || b.id.empty()) break;  // cannot be replayed statelessly
          if (!flush()) return false;
          reasoning(b);
          break;
        case Kind::kToolCall:
          if (!flush()) return false;
          tool_call(b);
          break;
        case Kind::kImage:
        case Kind::kToolResult:
        case Kind::kThinking:
        case Kind::kRedactedThinking:
          break;
      }
    }
    return flush();
  }

  void tools(const Request& r) {
    if (r.tools.empty()) return;
    out.append(R"(,"tools":[)");
    for (size_t i = 0; i < r.tools.size(); ++i) {
      const Tool& t = r.tools[i];
      if (i) out.push_back(',');
      out.append(R"({"type":"function","name":)");
      append_json_string(out, t.name);
      if (!t.description.empty()) {
        out.append(R"(,"description":)");
        append_escaped_string(out, t.description);
      }
      out.append(R"(,"parameters":)");
      out.append(t.parameters.empty() ? std::string_view(R"({"type":"object","properties":{}})")
                                      : std::string_view(t.parameters));
      out.append(t.strict.value_or(false) ? R"(,"strict":true})" : R"(,"strict":false})");
    }
    out.push_back(']');
    switch (r.tool_choice.mode) {
      case ToolChoice::Mode::kUnset:
        break;
      case ToolChoice::Mode::kAuto:
        out.append(R"(,"tool_choice":"auto")");
        break;
      case ToolChoice::Mode::kNone:
        out.append(R"(,"tool_choice":"none")");
        break;
      case ToolChoice::Mode::kRequired:
        out.append(R"(,"tool_choice":"required")");
        break;
      case ToolChoice::Mode::kNamed:
        out.append(R"(,"tool_choice":{"type":"function","name":)");
        append_json_string(out, r.tool_choice.name);
        out.push_back('}');
        break;
    }
    if (r.parallel_tool_calls) {
      out.append(*r.parallel_tool_calls ? R"(,"parallel_tool_calls":true)"
                                        : R"(,"parallel_tool_calls":false)");
    }
  }
};

}  // namespace

Result<std::string> to_responses_request(const Request& r, const ResponsesTarget& target) {
  Emitter e;
  std::string& out = e.out;
  out.reserve(emitted_size_estimate(r));

  out.append(R"({"model":)");
  append_json_string(out, target.model);

  // The leading system/developer messages are the instructions.
  size_t first = 0;
  bool any_instructions = false;
  for (; first < r.messages.size(); ++first) {
    const Message& m = r.messages[first];
    if (m.role != Role::kSystem && m.role != Role::kDeveloper) break;
    for (const Block& b : m.content) {
      if (b.kind != Kind::kText || b.text.empty()) continue;
      out.append(any_instructions ? "\\n\\n" : R"(,"instructions":")");
      any_instructions = true;
      out.append(b.text);
    }
  }
  if (any_instructions) out.push_back('"');

  out.append(R"(,"input":[)");
  for (size_t i = first; i < r.messages.size(); ++i) {
    const Message& m = r.messages[i];
    const bool ok = m.role == Role::kAssistant ? e.assistant(m) : e.user_or_developer(m);
    if (!ok || e.err) return *e.err;
  }
  if (out.back() == ',') out.pop_back();
  out.push_back(']');

  e.tools(r);

  int64_t max_tokens = r.max_tokens.value_or(-1);
  if (target.max_output_tokens > 0 && max_tokens > target.max_output_tokens)
    max_tokens = target.max_output_tokens;
  if (max_tokens > 0) {
    out.append(R"(,"max_output_tokens":)");
    out.append(std::to_string(std::max(max_tokens, kMinOutputTokens)));
  }
  if (target.sampling && r.temperature) {
    out.append(R"(,"temperature":)");
    append_number(out, *r.temperature);
  }
  if (target.sampling && r.top_p) {
    out.append(R"(,"top_p":)");
    append_number(out, *r.top_p);
  }

  std::string_view effort = r.reasoning_effort;
  if (effort.empty() && r.thinking_budget) effort = effort_for_budget(*r.thinking_budget);
  if (!effort.empty() || !r.reasoning_summary.empty()) {
    out.append(R"(,"reasoning":{)");
    if (!effort.empty()) {
      out.append(R"("effort":)");
      append_json_string(out, effort);
      out.push_back(',');
    }
    out.append(R"("summary":)");
    append_json_string(
        out, r.reasoning_summary.empty() ? std::string_view("auto") : r.reasoning_summary);
    out.push_back('}');
  }
  out.append(R"(,"include":["reasoning.encrypted_content"])");

  if (!r.response_schema.empty()) {
    out.append(R"(,"text":{"format":{"type":"json_schema","name":)");
    append_json_string(out, r.response_schema_name.empty() ? std::string_view("structured_output")
                                                           : r.response_schema_name);
    out.append(R"(,"schema":)");
    out.append(r.response_schema);
    out.append(R"(,"strict":true}})");
  } else if (r.json_object) {
    out.append(R"(,"text":{"format":{"type":"json_object"}})");
  }
  if (!r.prompt_cache_key.empty()) {
    out.append(R"(,"prompt_cache_key":)");
    append_json_string(out, r.prompt_cache_key);
  }
  out.append(r.stream ? R"(,"store":false,"stream":true})" : R"(,"store":false,"stream":false})");
  return std::move(e.out);  // `out` is a reference: a plain return would copy
}

}  // namespace cg::translate
