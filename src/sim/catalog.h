// The simulated Copilot model catalog: a fixed list of realistic model objects rendered to the
// `GET /models` JSON once, plus a lookup used to validate API requests. Immutable after
// construction; any thread.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace cg::sim {

struct ModelInfo {
  std::string id;
  bool chat_completions = false;  // "/chat/completions" is a supported endpoint
  bool responses = false;         // "/responses" is a supported endpoint
  bool messages = false;          // "/v1/messages" is a supported endpoint
  bool embeddings = false;        // capabilities.type "embeddings" (POST /embeddings)
  bool claude = false;            // Anthropic model (split choices, thinking)
  bool thinking = false;          // supports.thinking (thinking_budget honoured)
  double multiplier = 0;          // billing.multiplier
};

class Catalog {
 public:
  Catalog();
  // The shared instance (built on first use).
  static const Catalog& instance();

  const std::string& json() const { return json_; }  // {"object":"list","data":[...]}
  const ModelInfo* find(std::string_view id) const;
  const std::vector<ModelInfo>& models() const { return models_; }

 private:
  std::vector<ModelInfo> models_;
  std::string json_;
};

}  // namespace cg::sim
