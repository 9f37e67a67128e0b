// SSE event writers: append `data:` / `event:` frames to a reused output string. The JSON is
// written as one data line, so it must not contain raw newlines (serialized JSON never does).
// Pure; any thread.
#pragma once
#include <string>
#include <string_view>

namespace cg::sse {

inline constexpr std::string_view kDone = "data: [DONE]\n\n";

// Appends "data: <json>\n\n".
void append_data_event(std::string& out, std::string_view json);

// Appends "event: <name>\ndata: <json>\n\n".
void append_named_event(std::string& out, std::string_view name, std::string_view json);

}  // namespace cg::sse
