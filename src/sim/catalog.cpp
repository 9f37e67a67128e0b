// See catalog.h. Built once; the JSON text is rendered with Boost.JSON at construction.
#include "sim/catalog.h"

#include <boost/json.hpp>
#include <cstdio>

#include "core/json_escape.h"

namespace cg::sim {
namespace {

namespace json = boost::json;

enum Endpoints { kChatResponses, kResponsesOnly, kChatMessages, kChatOnly, kNone };

struct Spec {
  const char* id;
  const char* name;
  const char* vendor;
  const char* version;
  const char* family;
  bool embeddings;
  bool preview;
  bool picker;
  bool chat_default;
  double multiplier;
  Endpoints endpoints;
  int context, prompt, output;
  bool vision;
  bool thinking;
};

constexpr Spec kSpecs[] = {
    {"gpt-4.1", "GPT-4.1", "Azure OpenAI", "gpt-4.1-2025-04-14", "gpt-4.1", false, false, true,
     true, 0, kChatResponses, 128000, 128000, 16384, true, false},
    {"gpt-4o", "GPT-4o", "Azure OpenAI", "gpt-4o-2024-11-20", "gpt-4o", false, false, true, false,
     0, kChatResponses, 128000, 64000, 4096, true, false},
    {"gpt-5-mini", "GPT-5 mini", "Azure OpenAI", "gpt-5-mini", "gpt-5-mini", false, false, true,
     false, 0, kChatResponses, 264000, 128000, 64000, true, false},
    {"gpt-5", "GPT-5", "Azure OpenAI", "gpt-5", "gpt-5", false, false, true, false, 1,
     kChatResponses, 400000, 128000, 128000, true, false},
    {"gpt-5.1-codex", "GPT-5.1-Codex", "OpenAI", "gpt-5.1-codex", "gpt-5.1-codex", false, false,
     true, false, 1, kResponsesOnly, 400000, 128000, 128000, true, false},
    {"claude-sonnet-4.5", "Claude Sonnet 4.5", "Anthropic", "claude-sonnet-4.5",
     "claude-sonnet-4.5", false, false, true, false, 1, kChatMessages, 144000, 128000, 16000, true,
     true},
    {"claude-sonnet-4", "Claude Sonnet 4", "Anthropic", "claude-sonnet-4", "claude-sonnet-4", false,
     false, true, false, 1, kChatMessages, 216000, 128000, 16000, true, true},
    {"claude-haiku-4.5", "Claude Haiku 4.5", "Anthropic", "claude-haiku-4.5", "claude-haiku-4.5",
     false, false, true, false, 0.33, kChatMessages, 144000, 128000, 16000, true, true},
    {"claude-opus-4.1", "Claude Opus 4.1", "Anthropic", "claude-opus-41", "claude-opus-41", false,
     false, true, false, 10, kChatMessages, 80000, 80000, 16000, true, true},
    {"gemini-2.5-pro", "Gemini 2.5 Pro", "Google", "gemini-2.5-pro", "gemini-2.5-pro", false, false,
     true, false, 1, kChatOnly, 128000, 108608, 64000, true, false},
    {"text-embedding-3-small", "Embedding V3 small", "Azure OpenAI", "text-embedding-3-small",
     "text-embedding-3-small", true, false, false, false, 0, kNone, 0, 0, 0, false, false},
};

json::array endpoints_of(Endpoints e) {
  switch (e) {
    case kChatResponses:
      return {"/chat/completions", "/responses"};
    case kResponsesOnly:
      return {"/responses"};
    case kChatMessages:
      return {"/chat/completions", "/v1/messages"};
    case kChatOnly:
      return {"/chat/completions"};
    case kNone:
      break;
  }
  return {};
}

json::object render(const Spec& s) {
  json::object limits;
  json::object supports;
  if (s.embeddings) {
    limits["max_inputs"] = 512;
    supports["dimensions"] = true;
  } else {
    limits["max_context_window_tokens"] = s.context;
    limits["max_prompt_tokens"] = s.prompt;
    limits["max_output_tokens"] = s.output;
    if (s.vision) {
      limits["vision"] = {
          {"max_prompt_images", 5},
          {"max_prompt_image_size", 3145728},
          {"supported_media_types", {"image/jpeg", "image/png", "image/webp", "image/gif"}}};
    }
    supports["streaming"] = true;
    supports["tool_calls"] = true;
    supports["parallel_tool_calls"] = true;
    supports["vision"] = s.vision;
    supports["structured_outputs"] = !s.thinking;
    if (s.thinking) {
      supports["thinking"] = true;
      supports["max_thinking_budget"] = 32000;
      supports["min_thinking_budget"] = 1024;
    }
  }
  json::object caps{{"type", s.embeddings ? "embeddings" : "chat"},
                    {"family", s.family},
                    {"tokenizer", s.embeddings ? "cl100k_base" : "o200k_base"},
                    {"object", "model_capabilities"},
                    {"limits", std::move(limits)},
                    {"supports", std::move(supports)}};
  json::object m{{"id", s.id},
                 {"name", s.name},
                 {"vendor", s.vendor},
                 {"version", s.version},
                 {"object", "model"},
                 {"preview", s.preview},
                 {"model_picker_enabled", s.picker},
                 {"model_picker_category", s.multiplier > 1 ? "powerful" : "versatile"},
                 {"is_chat_default", s.chat_default},
                 {"is_chat_fallback", s.chat_default},
                 {"policy", {{"state", "enabled"}, {"terms", "Enable access to this model."}}},
                 {"billing", {{"is_premium", s.multiplier > 0}, {"multiplier", s.multiplier}}},
                 {"capabilities", std::move(caps)}};
  if (s.endpoints != kNone) m["supported_endpoints"] = endpoints_of(s.endpoints);
  return m;
}

// Like json::serialize, but doubles print as plain decimals ("0.33", not "3.3E-1").
void write(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, kv.key());
        out += ':';
        write(kv.value(), out);
      }
      out += '}';
      break;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write(e, out);
      }
      out += ']';
      break;
    }
    case json::kind::string:
      append_json_string(out, v.get_string());
      break;
    case json::kind::double_: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.15g", v.get_double());
      out += buf;
      break;
    }
    default:
      out += json::serialize(v);  // bool, null, integers
  }
}

}  // namespace

Catalog::Catalog() {
  json::array data;
  for (const Spec& s : kSpecs) {
    data.push_back(render(s));
    const bool chat =
        s.endpoints == kChatResponses || s.endpoints == kChatMessages || s.endpoints == kChatOnly;
    const bool responses = s.endpoints == kChatResponses || s.endpoints == kResponsesOnly;
    const bool messages = s.endpoints == kChatMessages;
    const bool claude = std::string_view(s.id).starts_with("claude-");
    models_.push_back(
        ModelInfo{s.id, chat, responses, messages, s.embeddings, claude, s.thinking, s.multiplier});
  }
  write(json::object{{"object", "list"}, {"data", std::move(data)}}, json_);
}

const Catalog& Catalog::instance() {
  static const Catalog catalog;
  return catalog;
}

const ModelInfo* Catalog::find(std::string_view id) const {
  for (const ModelInfo& m : models_)
    if (m.id == id) return &m;
  return nullptr;
}

}  // namespace cg::sim
