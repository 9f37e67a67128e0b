// Which catalog model a client's model name means, and which Copilot endpoint serves it for the
// client's API (copilot-upstream.md §8). Pure; any thread.
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "wire/copilot/catalog.h"

namespace cg::copilot {

// The catalog model for `requested`: the configured alias first, then the exact id, then the
// spellings clients use for Claude models: a date suffix dropped (`claude-sonnet-4-20250514` ->
// `claude-sonnet-4`), hyphenated versions dotted (`claude-haiku-4-5` -> `claude-haiku-4.5`,
// `claude-3-5-sonnet` -> `claude-3.5-sonnet`), `-latest` dropped, case ignored. nullptr when
// none matches.
const wire::copilot::ModelInfo* resolve_model(const wire::copilot::ModelCatalog& catalog,
                                              std::string_view requested,
                                              const std::map<std::string, std::string>& aliases);

// "The model 'x' is not available. Available models: a, b, c." (chat-capable ids only).
std::string unknown_model_message(const wire::copilot::ModelCatalog& catalog,
                                  std::string_view requested);

enum class ClientApi : uint8_t { kChat, kResponses, kMessages };
enum class UpstreamApi : uint8_t { kChat, kResponses, kMessages };

// The endpoint for a model: the client's own API when the model offers it (`native_messages`
// gates Messages -> /v1/messages), otherwise /chat/completions when offered, otherwise
// /responses, otherwise /v1/messages. A model without `supported_endpoints` is chat-only.
UpstreamApi choose_upstream(const wire::copilot::ModelInfo& model, ClientApi client,
                            bool native_messages);

bool offers(const wire::copilot::ModelInfo& model, std::string_view endpoint);

// A Claude model (Anthropic's tokenizer; Copilot's thinking_budget / reasoning_text fields).
inline bool is_claude(const wire::copilot::ModelInfo& model) {
  return model.vendor == "Anthropic" || model.id.starts_with("claude");
}

std::string_view endpoint_path(UpstreamApi api);

}  // namespace cg::copilot
