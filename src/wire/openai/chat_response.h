// Helpers for relaying upstream chat-completion answers and stream chunks without a DOM: find
// the usage, recognise usage-only chunks, read top-level strings, make or strip usage. Pure; any
// thread. Malformed input never crashes: the helpers then report "not found".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cg::wire::openai {

struct Usage {
  int64_t prompt_tokens = -1, completion_tokens = -1, total_tokens = -1, cached_tokens = -1;
};

// The top-level "usage" object of a chat completion or chunk (null/absent/malformed -> nullopt).
// cached_tokens comes from usage.prompt_tokens_details.cached_tokens.
std::optional<Usage> find_usage(std::string_view json);

// True when the top-level "choices" is an empty array (the trailing usage chunk of a stream).
bool is_usage_only_chunk(std::string_view chunk_json);

// The raw contents (escapes left as they are) of a top-level string member, e.g. "id" / "model".
std::optional<std::string_view> top_level_string(std::string_view json, std::string_view key);

// True when the top-level object has a non-null "error" member.
bool has_error_member(std::string_view json);

// {"id":..,"object":"chat.completion.chunk","created":..,"model":..,"choices":[],"usage":{...}}.
// Fields of `usage` that are negative are left out; id/model are escaped.
std::string make_usage_chunk(std::string_view id, int64_t created, std::string_view model,
                             const Usage& usage);

// The chunk without its top-level "usage" member (unchanged copy when there is none).
std::string strip_usage(std::string_view chunk_json);

// Appends `"usage":{...}`'s object part ({"prompt_tokens":..,...}) for `usage`.
void append_usage_object(std::string& out, const Usage& usage);

}  // namespace cg::wire::openai
