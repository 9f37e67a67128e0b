// Input-token counts for a canonical request (POST /v1/messages/count_tokens and usage
// estimates): exact o200k_base BPE over every text the model reads, plus the per-message,
// per-tool and per-image overheads of the chat formats. Pure; any thread.
#pragma once
#include <cstdint>

#include "translate/canonical.h"

namespace cg::translate {

struct CountOptions {
  // Claude models use Anthropic's own tokenizer, which is not public: the o200k_base count is
  // scaled by this factor (measured: Claude's tokenizer yields about 10-20% more tokens than
  // o200k_base on English prose and code), and a tool-use system prompt is added when tools are
  // offered (Anthropic documents 346 tokens for it on current models).
  bool claude = false;
};

// Tokens: for each message 3 + its texts (text, thinking, tool call name + arguments, tool
// results); images by their pixel size when the PNG/GIF/WebP/JPEG header can be read from the
// data URL (width*height/750, as Anthropic documents, at most 1600), else 1600; tools: name,
// description and schema JSON + 8 each; 3 for the reply primer.
int64_t count_input_tokens(const Request& r, CountOptions opts = {});

}  // namespace cg::translate
