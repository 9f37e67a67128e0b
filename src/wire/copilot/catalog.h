// The Copilot model catalog (GET <copilot base>/models) parsed into plain structs, with lookup by
// id. Parsed with Boost.JSON once per catalog TTL, not per request. Pure; a parsed ModelCatalog is
// immutable and may be shared read-only between threads.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cg::wire::copilot {

struct ModelInfo {
  std::string id, name, vendor, version;
  std::string type;  // capabilities.type: "chat" | "embeddings" | "completion" | ...
  std::string family, tokenizer;
  bool preview = false;
  bool premium = false;                          // billing.is_premium
  double multiplier = 0.0;                       // billing.multiplier (0 = included)
  std::vector<std::string> supported_endpoints;  // e.g. "/chat/completions", "/responses"
  int64_t max_context_window_tokens = -1, max_prompt_tokens = -1, max_output_tokens = -1;
  bool supports_streaming = false, supports_tool_calls = false, supports_vision = false,
       supports_thinking = false;
  int64_t min_thinking_budget = -1, max_thinking_budget = -1;  // capabilities.supports (-1 unknown)
  // capabilities.limits / capabilities.supports as received (serialized JSON objects, "" if
  // absent), re-emitted verbatim by the models list.
  std::string limits_json, supports_json;
};

struct ModelCatalog {
  std::vector<ModelInfo> models;
  const ModelInfo* find(std::string_view id) const;
};

// Accepts {"data":[...]} (Copilot's shape) or a bare array; entries without a string "id" are
// skipped. Errors: 502 when the body is not JSON or has no model array.
Result<ModelCatalog> parse_catalog(std::string_view upstream_models_json);

}  // namespace cg::wire::copilot
