// Reading token usage out of native Anthropic answers without a DOM (for accounting and logs).
// Pure; any thread.
#pragma once
#include <cstdint>
#include <string_view>

namespace cg::wire::anthropic {

// From a `message_start` ({message:{usage}}) or `message_delta` ({usage}) event's data, or a
// whole message: sets input (input + cache read + cache creation tokens) and output tokens
// when present, leaving the others untouched.
void read_stream_usage(std::string_view data, int64_t& input_tokens, int64_t& output_tokens);

}  // namespace cg::wire::anthropic
