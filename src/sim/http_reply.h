// Hand-rendered HTTP/1.1 responses and OpenAI/Anthropic/GitHub-shaped error bodies, appended into a
// reusable buffer (the simulator writes raw bytes instead of Beast serializers). Pure; any thread.
#pragma once
#include <string>
#include <string_view>

namespace cg::sim {

std::string_view reason_phrase(int status);

inline constexpr std::string_view kJson = "application/json";

// Appends a complete response with content-length. `extra_headers` = "name: value\r\n" lines.
void append_response(std::string& out, int status, std::string_view content_type,
                     std::string_view body, bool keep_alive, std::string_view extra_headers = {});

// Appends the head of a chunked text/event-stream response.
void append_stream_head(std::string& out, bool keep_alive, std::string_view extra_headers = {});

// Appends one HTTP chunk carrying `data` (nothing for empty data).
void append_chunk(std::string& out, std::string_view data);
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// {"error":{"message":..,"type":..,"code":..,"param":..}}; empty code/param render as null.
void append_openai_error(std::string& out, std::string_view message, std::string_view type,
                         std::string_view code, std::string_view param = {});

// {"type":"error","error":{"type":..,"message":..},"request_id":"req_.."}.
void append_anthropic_error(std::string& out, std::string_view type, std::string_view message);
// The Anthropic error type for an HTTP status (429 rate_limit_error, 529 overloaded_error, ...).
std::string_view anthropic_error_type(int status);

}  // namespace cg::sim
