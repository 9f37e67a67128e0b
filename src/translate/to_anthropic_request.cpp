// See to_anthropic_request.h. The body is written by hand (appending escaped strings), so a large
// conversation costs one pass and no DOM (tool arguments are parsed once to check they are an
// object).
#include "translate/to_anthropic_request.h"

#include <algorithm>
#include <charconv>

#include "core/json_escape.h"
#include "translate/json_util.h"
#include "translate/reasoning.h"
#include "translate/request_size.h"

namespace cg::translate {

namespace {

using Kind = Block::Kind;

constexpr int64_t kDefaultMaxTokens = 4096;
constexpr int64_t kMinThinkingBudget = 1024;  // Anthropic's minimum budget_tokens

void append_number(std::string& out, double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(res.ptr - buf));
}

// A tool id in Anthropic's alphabet ([a-zA-Z0-9_-]); other bytes become '_'.
void append_tool_id(std::string& out, std::string_view id) {
  out.push_back('"');
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    out.push_back(ok ? c : '_');
  }
  out.push_back('"');
}

// Tool arguments as an input object: the JSON text itself when it is an object.
void append_input(std::string& out, const std::string& arguments) {
  if (arguments.find_first_not_of(" \t\r\n") == std::string::npos) {
    out.append("{}");
    return;
  }
  boost::system::error_code ec;
  json::value v = json::parse(arguments, ec);
  if (!ec && v.is_object()) {
    out.append(json::serialize(v));
    return;
  }
  out.append(R"({"_raw":)");
  append_json_string(out, arguments);
  out.push_back('}');
}

struct Turn {
  bool assistant = false;
  std::vector<const Block*> results;  // user: tool_result blocks, emitted first
  std::vector<const Block*> blocks;
};

struct Emitter {
  std::string out;
  std::optional<ApiError> err;

  bool image(const Block& b) {
    std::string_view url = b.image_url;
    const size_t comma = url.find(',');
    const size_t marker = url.find(";base64,");
    if (!url.starts_with("data:")) {
      if (!err) {
        err = ApiError::bad_request(
            "Image URLs are not supported by this gateway; send images as base64 data.",
            "invalid_image_url");
      }
      return false;
    }
    if (marker == std::string_view::npos || marker + 7 != comma || marker <= 5) {
      if (!err) {
        err = ApiError::bad_request("Images must be base64 data: URLs (data:<type>;base64,...).",
                                    "invalid_image_url");
      }
      return false;
    }
    out.append(R"({"type":"image","source":{"type":"base64","media_type":)");
    append_json_string(out, url.substr(5, marker - 5));
    out.append(R"(,"data":)");
    append_json_string(out, url.substr(comma + 1));
    out.append("}");
    cache(b);
    out.push_back('}');
    return true;
  }

  void cache(const Block& b) {
    if (b.cache_control) out.append(R"(,"cache_control":{"type":"ephemeral"})");
  }

  void text(const Block& b) {
    out.append(R"({"type":"text","text":)");
    append_escaped_string(out, b.text);
    cache(b);
    out.push_back('}');
  }

  bool tool_result(const Block& b) {
    out.append(R"({"type":"tool_result","tool_use_id":)");
    append_tool_id(out, b.id);
    if (b.parts.empty()) {
      if (!b.text.empty()) {
        out.append(R"(,"content":)");
        append_escaped_string(out, b.text);
      }
    } else {
      out.append(R"(,"content":[)");
      bool first = true;
      auto sep = [&] {
        if (!first) out.push_back(',');
        first = false;
      };
      if (!b.text.empty()) {
        sep();
        out.append(R"({"type":"text","text":)");
        append_escaped_string(out, b.text);
        out.push_back('}');
      }
      for (const Block& p : b.parts) {
        if (p.kind == Kind::kImage) {
          sep();
          if (!image(p)) return false;
        } else if (p.kind == Kind::kText && !p.text.empty()) {
          sep();
          text(p);
        }
      }
      out.push_back(']');
    }
    if (b.is_error) out.append(R"(,"is_error":true)");
    cache(b);
    out.push_back('}');
    return true;
  }

  bool block(const Block& b) {
    switch (b.kind) {
      case Kind::kText:
        text(b);
        return true;
      case Kind::kImage:
        return image(b);
      case Kind::kToolResult:
        return tool_result(b);
      case Kind::kThinking:
        out.append(R"({"type":"thinking","thinking":)");
        append_escaped_string(out, b.text);
        out.append(R"(,"signature":)");
        append_json_string(out, b.signature);
        out.push_back('}');
        return true;
      case Kind::kRedactedThinking:
        out.append(R"({"type":"redacted_thinking","data":)");
        append_json_string(out, b.signature);
        out.push_back('}');
        return true;
      case Kind::kToolCall:
        out.append(R"({"type":"tool_use","id":)");
        append_tool_id(out, b.id);
        out.append(R"(,"name":)");
        append_json_string(out, b.name);
        out.append(R"(,"input":)");
        append_input(out, b.arguments);
        cache(b);
        out.push_back('}');
        return true;
      case Kind::kReasoning:
        return true;  // never kept (see keep())
    }
    return true;
  }
};

// Whether a block goes upstream in a turn of this side.
bool keep(const Block& b, bool assistant) {
  switch (b.kind) {
    case Kind::kText:
      return !b.text.empty();
    case Kind::kImage:
      return !assistant;
    case Kind::kToolResult:
      return !assistant;
    case Kind::kThinking:
      return assistant && !b.signature.empty();
    case Kind::kRedactedThinking:
      return assistant && !b.signature.empty();
    case Kind::kToolCall:
      return assistant;
    case Kind::kReasoning:
      return false;
  }
  return false;
}

}  // namespace

Result<std::string> to_anthropic_request(const Request& r, const AnthropicTarget& target) {
  std::vector<const Block*> system;
  std::vector<Turn> turns;
  for (const Message& m : r.messages) {
    const bool assistant = m.role == Role::kAssistant;
    for (const Block& b : m.content) {
      if (m.role == Role::kSystem || m.role == Role::kDeveloper) {
        if (b.kind == Kind::kText && !b.text.empty()) system.push_back(&b);
        continue;
      }
      if (!keep(b, assistant)) continue;
      if (turns.empty() || turns.back().assistant != assistant) turns.push_back(Turn{assistant});
      Turn& t = turns.back();
      (b.kind == Kind::kToolResult ? t.results : t.blocks).push_back(&b);
    }
  }
  if (turns.empty()) {
    return field_error("messages",
                       "At least one user or assistant message with content is "
                       "required");
  }

  // Token limits and thinking.
  int64_t max_tokens = r.max_tokens.value_or(target.max_output_tokens > 0 ? target.max_output_tokens
                                                                          : kDefaultMaxTokens);
  if (target.max_output_tokens > 0) max_tokens = std::min(max_tokens, target.max_output_tokens);
  int64_t budget = r.thinking_budget.value_or(thinking_budget_for_effort(r.reasoning_effort));
  budget = std::min(budget, max_tokens - 1);
  if (budget < kMinThinkingBudget) budget = 0;
  const bool forced_tool = !r.tools.empty() && (r.tool_choice.mode == ToolChoice::Mode::kRequired ||
                                                r.tool_choice.mode == ToolChoice::Mode::kNamed);
  if (forced_tool) budget = 0;
  for (size_t i = turns.size(); i-- > 0;) {
    if (!turns[i].assistant) continue;
    const Turn& t = turns[i];
    const bool has_tool_use = std::any_of(t.blocks.begin(), t.blocks.end(), [](const Block* b) {
      return b->kind == Kind::kToolCall;
    });
    const Kind first = t.blocks.front()->kind;
    if (has_tool_use && first != Kind::kThinking && first != Kind::kRedactedThinking) budget = 0;
    break;
  }

  Emitter e;
  std::string& out = e.out;
  out.reserve(emitted_size_estimate(r));
  out.append(R"({"model":)");
  append_json_string(out, target.model);
  out.append(R"(,"max_tokens":)");
  out.append(std::to_string(max_tokens));
  if (!system.empty()) {
    out.append(R"(,"system":[)");
    for (size_t i = 0; i < system.size(); ++i) {
      if (i) out.push_back(',');
      e.text(*system[i]);
    }
    out.push_back(']');
  }
  out.append(R"(,"messages":[)");
  for (size_t i = 0; i < turns.size(); ++i) {
    const Turn& t = turns[i];
    if (i) out.push_back(',');
    out.append(t.assistant ? R"({"role":"assistant","content":[)"
                           : R"({"role":"user","content":[)");
    bool first = true;
    for (const auto* list : {&t.results, &t.blocks}) {
      for (const Block* b : *list) {
        if (!first) out.push_back(',');
        first = false;
        if (!e.block(*b)) return *e.err;
      }
    }
    out.append("]}");
  }
  out.push_back(']');

  if (!r.tools.empty()) {
    out.append(R"(,"tools":[)");
    for (size_t i = 0; i < r.tools.size(); ++i) {
      const Tool& t = r.tools[i];
      if (i) out.push_back(',');
      out.append(R"({"name":)");
      append_json_string(out, t.name);
      if (!t.description.empty()) {
        out.append(R"(,"description":)");
        append_escaped_string(out, t.description);
      }
      out.append(R"(,"input_schema":)");
      out.append(t.parameters.empty() ? std::string_view(R"({"type":"object","properties":{}})")
                                      : std::string_view(t.parameters));
      out.push_back('}');
    }
    out.push_back(']');
    const bool serial = r.parallel_tool_calls == std::optional<bool>(false);
    const char* disable = serial ? R"(,"disable_parallel_tool_use":true})" : "}";
    switch (r.tool_choice.mode) {
      case ToolChoice::Mode::kUnset:
        if (serial) out.append(R"(,"tool_choice":{"type":"auto")").append(disable);
        break;
      case ToolChoice::Mode::kAuto:
        out.append(R"(,"tool_choice":{"type":"auto")").append(disable);
        break;
      case ToolChoice::Mode::kRequired:
        out.append(R"(,"tool_choice":{"type":"any")").append(disable);
        break;
      case ToolChoice::Mode::kNamed:
        out.append(R"(,"tool_choice":{"type":"tool","name":)");
        append_json_string(out, r.tool_choice.name);
        out.append(disable);
        break;
      case ToolChoice::Mode::kNone:
        out.append(R"(,"tool_choice":{"type":"none"})");
        break;
    }
  }
  if (budget > 0) {
    out.append(R"(,"thinking":{"type":"enabled","budget_tokens":)");
    out.append(std::to_string(budget));
    out.push_back('}');
  }
  if (!r.stop.empty()) {
    out.append(R"(,"stop_sequences":[)");
    for (size_t i = 0; i < r.stop.size(); ++i) {
      if (i) out.push_back(',');
      append_json_string(out, r.stop[i]);
    }
    out.push_back(']');
  }
  if (budget == 0) {
    if (r.temperature) {
      out.append(R"(,"temperature":)");
      append_number(out, std::clamp(*r.temperature, 0.0, 1.0));
    } else if (r.top_p) {
      out.append(R"(,"top_p":)");
      append_number(out, *r.top_p);
    }
  }
  if (!r.user.empty()) {
    out.append(R"(,"metadata":{"user_id":)");
    append_json_string(out, r.user);
    out.push_back('}');
  }
  if (!r.response_schema.empty()) {
    out.append(R"(,"output_config":{"format":{"type":"json_schema","schema":)");
    out.append(r.response_schema);
    out.append("}}");
  }
  out.append(r.stream ? R"(,"stream":true})" : R"(,"stream":false})");
  return std::move(e.out);  // `out` is a reference: a plain return would copy
}

}  // namespace cg::translate
