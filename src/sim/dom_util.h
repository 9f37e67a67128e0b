// Small Boost.JSON DOM helpers shared by the /v1/messages, /responses and /embeddings planners
// (those bodies are parsed into a DOM; /chat/completions uses the scanner instead). Pure; any
// thread.
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cg::sim {

// Parses `body`; on failure returns nullopt and sets `error` ("failed to parse request body: ...").
std::optional<boost::json::value> parse_body(std::string_view body, std::string& error);

// The member `key` of `o` when it is a string, else empty.
std::string_view string_member(const boost::json::object& o, std::string_view key);

// `v` as an integer when it is one (int64 or uint64 that fits).
std::optional<int64_t> as_integer(const boost::json::value& v);

// The first key of `schema.properties` (a JSON Schema object), or "input" when there is none.
std::string first_property(const boost::json::value* schema);

// {"<key>":"<text>"} as JSON text: the arguments of a simulated tool call.
std::string tool_arguments(std::string_view key, std::string_view text);

// "You said: <text>", or "Hello from the simulator." for empty text.
std::string echo_answer(std::string_view text);

// ~ tokens of `bytes` bytes of text (bytes/4 + 1).
inline int approx_tokens(size_t bytes) {
  return static_cast<int>(bytes / 4) + 1;
}

}  // namespace cg::sim
