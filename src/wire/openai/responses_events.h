// Pieces of native OpenAI Responses streams the gateway reads or writes while passing them
// through: the error event and the usage of the terminal event. Pure; any thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/api_error.h"

namespace cg::wire::openai {

// `event: error` with both the flat fields and a nested `error` object (wire-formats.md §4.3),
// numbered `sequence_number`.
std::string responses_error_event(const ApiError& e, int64_t sequence_number);

// From a response.completed / .incomplete / .failed event (or a whole response object): sets
// input and output tokens from response.usage when present.
void read_responses_usage(std::string_view data, int64_t& input_tokens, int64_t& output_tokens);

}  // namespace cg::wire::openai
