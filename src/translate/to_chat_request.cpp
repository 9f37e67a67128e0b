// See to_chat_request.h. The body is written by hand (appending escaped strings), so a large
// conversation costs one pass and no DOM.
#include "translate/to_chat_request.h"

#include <algorithm>
#include <charconv>

#include "core/json_escape.h"
#include "translate/json_util.h"
#include "translate/reasoning.h"
#include "translate/request_size.h"
#include "translate/tool_result_text.h"

namespace cg::translate {

using namespace std::string_view_literals;

namespace {

using Kind = Block::Kind;

// The shortest text that reads back as the same double.
void append_number(std::string& out, double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(res.ptr - buf));
}

void key(std::string& out, std::string_view k) {
  out.push_back('"');
  out.append(k);
  out.append("\":"sv);
}

void append_text_joined(std::string& out, const std::vector<const Block*>& texts) {
  out.push_back('"');
  for (size_t i = 0; i < texts.size(); ++i) {
    if (i) out.append("\\n\\n"sv);
    out.append(texts[i]->text);
  }
  out.push_back('"');
}

struct Emitter {
  const ChatTarget& target;
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
    out.append(R"({"type":"image_url","image_url":{"url":)"sv);
    append_json_string(out, b.image_url);
    if (!b.detail.empty()) {
      out.append(R"(,"detail":)"sv);
      append_json_string(out, b.detail);
    }
    out.append("}}"sv);
  }

  // `content` of a user/system message from its text and image blocks.
  void content(const std::vector<const Block*>& blocks) {
    bool has_image = false;
    for (const Block* b : blocks)
      has_image |= b->kind == Kind::kImage;
    if (!has_image) {
      append_text_joined(out, blocks);
      return;
    }
    out.push_back('[');
    bool first = true;
    for (const Block* b : blocks) {
      if (!first) out.push_back(',');
      first = false;
      if (b->kind == Kind::kImage) {
        if (!check_image(*b)) return;
        image_part(*b);
      } else {
        out.append(R"({"type":"text","text":)"sv);
        append_escaped_string(out, b->text);
        out.push_back('}');
      }
    }
    out.push_back(']');
  }

  void tool_message(const Block& b, std::vector<const Block*>& images) {
    out.append(R"({"role":"tool","tool_call_id":)"sv);
    append_json_string(out, b.id);
    out.append(R"(,"content":")"sv);
    append_tool_result_text(out, b, images);
    out.append("\"},"sv);
  }

  void user_or_system(const Message& m) {
    std::vector<const Block*> rest;
    std::vector<const Block*> tool_images;
    for (const Block& b : m.content) {
      if (b.kind == Kind::kToolResult) {
        tool_message(b, tool_images);
      } else if (b.kind == Kind::kText || b.kind == Kind::kImage) {
        rest.push_back(&b);
      }
    }
    // Images returned by tools are shown to the model in the user turn that follows them.
    rest.insert(rest.end(), tool_images.begin(), tool_images.end());
    if (rest.empty()) return;
    out.append(R"({"role":")"sv);
    out.append(m.role == Role::kSystem      ? "system"
               : m.role == Role::kDeveloper ? "developer"
                                            : "user");
    out.append(R"(","content":)"sv);
    content(rest);
    out.append("},"sv);
  }

  void assistant(const Message& m) {
    std::vector<const Block*> texts, calls, thinking;
    for (const Block& b : m.content) {
      if (b.kind == Kind::kText) {
        if (!b.text.empty()) texts.push_back(&b);
      } else if (b.kind == Kind::kToolCall) {
        calls.push_back(&b);
      } else if (b.kind == Kind::kThinking) {
        thinking.push_back(&b);
      }
    }
    out.append(R"({"role":"assistant","content":)"sv);
    if (texts.empty()) {
      out.append(calls.empty() ? "\"\"" : "null");
    } else {
      // Assistant text blocks are one continuous answer: join without separators.
      out.push_back('"');
      for (const Block* b : texts)
        out.append(b->text);
      out.push_back('"');
    }
    if (target.copilot_reasoning && !thinking.empty()) {
      std::string_view opaque;
      out.append(R"(,"reasoning_text":")"sv);
      for (size_t i = 0; i < thinking.size(); ++i) {
        if (i) out.append("\\n\\n"sv);
        out.append(thinking[i]->text);
        if (opaque.empty()) opaque = thinking[i]->signature;
      }
      out.push_back('"');
      if (!opaque.empty()) {
        out.append(R"(,"reasoning_opaque":)"sv);
        append_json_string(out, opaque);
      }
    }
    if (!calls.empty()) {
      out.append(R"(,"tool_calls":[)"sv);
      for (size_t i = 0; i < calls.size(); ++i) {
        if (i) out.push_back(',');
        out.append(R"({"id":)"sv);
        append_json_string(out, calls[i]->id);
        out.append(R"(,"type":"function","function":{"name":)"sv);
        append_json_string(out, calls[i]->name);
        out.append(R"(,"arguments":)"sv);
        append_json_string(out, calls[i]->arguments.empty() ? "{}" : calls[i]->arguments);
        out.append("}}"sv);
      }
      out.push_back(']');
    }
    out.append("},"sv);
  }

  void tools(const Request& r) {
    if (r.tools.empty()) return;
    out.append(R"(,"tools":[)"sv);
    for (size_t i = 0; i < r.tools.size(); ++i) {
      const Tool& t = r.tools[i];
      if (i) out.push_back(',');
      out.append(R"({"type":"function","function":{"name":)"sv);
      append_json_string(out, t.name);
      if (!t.description.empty()) {
        out.append(R"(,"description":)"sv);
        append_escaped_string(out, t.description);
      }
      out.append(R"(,"parameters":)"sv);
      out.append(t.parameters.empty() ? std::string_view(R"({"type":"object","properties":{}})")
                                      : std::string_view(t.parameters));
      if (t.strict) out.append(*t.strict ? R"(,"strict":true)" : R"(,"strict":false)");
      out.append("}}"sv);
    }
    out.push_back(']');
    switch (r.tool_choice.mode) {
      case ToolChoice::Mode::kUnset:
        break;
      case ToolChoice::Mode::kAuto:
        out.append(R"(,"tool_choice":"auto")"sv);
        break;
      case ToolChoice::Mode::kNone:
        out.append(R"(,"tool_choice":"none")"sv);
        break;
      case ToolChoice::Mode::kRequired:
        out.append(R"(,"tool_choice":"required")"sv);
        break;
      case ToolChoice::Mode::kNamed:
        out.append(R"(,"tool_choice":{"type":"function","function":{"name":)"sv);
        append_json_string(out, r.tool_choice.name);
        out.append("}}"sv);
        break;
    }
    if (r.parallel_tool_calls) {
      out.append(*r.parallel_tool_calls ? R"(,"parallel_tool_calls":true)"
                                        : R"(,"parallel_tool_calls":false)");
    }
  }
};

}  // namespace

Result<std::string> to_chat_request(const Request& r, const ChatTarget& target) {
  Emitter e{target, {}, {}};
  std::string& out = e.out;
  out.reserve(emitted_size_estimate(r));

  out.append(R"({"model":)"sv);
  append_json_string(out, target.model);
  out.append(R"(,"messages":[)"sv);
  for (const Message& m : r.messages) {
    if (m.role == Role::kAssistant) {
      e.assistant(m);
    } else if (m.role == Role::kTool) {
      // Images returned by tools are shown to the model in a user message after the results.
      std::vector<const Block*> images;
      for (const Block& b : m.content)
        if (b.kind == Kind::kToolResult) e.tool_message(b, images);
      if (!images.empty()) {
        out.append(R"({"role":"user","content":)"sv);
        e.content(images);
        out.append("},"sv);
      }
    } else {
      e.user_or_system(m);
    }
    if (e.err) return *e.err;
  }
  if (out.back() == ',') out.pop_back();
  out.push_back(']');

  e.tools(r);

  int64_t max_tokens = r.max_tokens.value_or(-1);
  if (target.max_output_tokens > 0 && max_tokens > target.max_output_tokens)
    max_tokens = target.max_output_tokens;
  if (max_tokens > 0) {
    key(out.append(","sv), target.max_completion_tokens ? "max_completion_tokens" : "max_tokens");
    append_decimal(out, max_tokens);
  }
  const int64_t wanted_budget = r.thinking_budget.value_or(
      target.copilot_reasoning ? thinking_budget_for_effort(r.reasoning_effort) : 0);
  if (wanted_budget > 0 && target.copilot_reasoning) {
    int64_t budget = std::max(wanted_budget, target.min_thinking_budget);
    budget = std::min(budget, target.max_thinking_budget);
    if (max_tokens > 0) budget = std::min(budget, max_tokens - 1);
    if (budget >= target.min_thinking_budget) {
      out.append(R"(,"thinking_budget":)"sv);
      append_decimal(out, budget);
    }
  } else if (!r.reasoning_effort.empty() && !target.copilot_reasoning) {
    out.append(R"(,"reasoning_effort":)"sv);
    append_json_string(out, r.reasoning_effort);
  }
  if (!r.stop.empty()) {
    out.append(R"(,"stop":[)"sv);
    for (size_t i = 0; i < r.stop.size() && i < 4; ++i) {
      if (i) out.push_back(',');
      append_json_string(out, r.stop[i]);
    }
    out.push_back(']');
  }
  if (r.temperature) {
    out.append(R"(,"temperature":)"sv);
    append_number(out, *r.temperature);
  }
  if (r.top_p) {
    out.append(R"(,"top_p":)"sv);
    append_number(out, *r.top_p);
  }
  if (!r.response_schema.empty()) {
    out.append(R"(,"response_format":{"type":"json_schema","json_schema":{"name":)"sv);
    append_json_string(out, r.response_schema_name.empty() ? std::string_view("structured_output")
                                                           : r.response_schema_name);
    out.append(R"(,"schema":)"sv);
    out.append(r.response_schema);
    out.append(R"(,"strict":true}})"sv);
  } else if (r.json_object) {
    out.append(R"(,"response_format":{"type":"json_object"})"sv);
  }
  out.append(r.stream ? R"(,"stream":true})" : R"(,"stream":false})");
  return std::move(e.out);  // `out` is a reference: a plain return would copy
}

}  // namespace cg::translate
