// POST /embeddings, planning and rendering: validates the body (string, string[], int[] or
// int[][] input; an embeddings model; dimensions; encoding_format) and renders deterministic
// unit vectors seeded by a hash of each input, as float arrays or base64 little-endian float32.
// Pure; any thread.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sim/catalog.h"

namespace cg::sim {

inline constexpr int kDefaultEmbeddingDimensions = 1536;
inline constexpr size_t kMaxEmbeddingInputs = 512;  // limits.max_inputs in the catalog

struct EmbeddingsPlan {
  std::string model;
  // One key per input: the text, or "tokens:" + the token ids joined by ',' for token arrays.
  std::vector<std::string> inputs;
  int dimensions = kDefaultEmbeddingDimensions;
  bool base64 = false;    // encoding_format "base64"
  int prompt_tokens = 0;  // ~ bytes/4 + 1 per text input, one per token id
};

// Errors: 400 invalid_request_body (malformed, empty or mistyped input, bad dimensions or
// encoding_format), missing_required_parameter, model_not_supported, unsupported_api_for_model.
Result<EmbeddingsPlan> plan_embeddings(std::string_view body, const Catalog& catalog);

// The vector for one input key: deterministic, unit length, `dimensions` long.
std::vector<float> embedding_vector(std::string_view key, int dimensions);

// Appends {object:"list", data:[{object:"embedding", index, embedding}], model, usage}.
void render_embeddings(const EmbeddingsPlan& plan, std::string& out);

}  // namespace cg::sim
