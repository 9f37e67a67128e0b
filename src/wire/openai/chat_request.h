// OpenAI chat-completions request: one validating pass over the client body that extracts what
// routing needs (model, stream flags, last role, images, tools) as values and byte offsets, and
// a rewrite that makes the upstream body with at most one copy. No DOM. Pure; any thread.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "wire/json_scan.h"

namespace cg::wire::openai {

using wire::Span;

enum class Role { kNone, kSystem, kDeveloper, kUser, kAssistant, kTool, kFunction, kOther };

Role parse_role(std::string_view role);

struct ChatRequestInfo {
  std::string model;    // unescaped value of "model"
  Span model_value;     // bytes of the JSON string token of "model" (quotes included)
  bool stream = false;  // "stream" (null counts as false)
  bool has_stream_options = false;
  Span stream_options_member;  // bytes to erase to remove the member: key, colon, value and ONE
                               // adjacent comma, so the result is still valid JSON
  bool include_usage = false;  // stream_options.include_usage == true
  size_t message_count = 0;
  Role last_role = Role::kNone;  // role of the last element of "messages"
  bool has_image = false;        // any content part of type "image_url" in any message
  size_t image_count = 0;
  bool has_tools = false;  // non-empty "tools" array
  int n = 1;               // "n" if present
  // For conversation affinity: the raw JSON text of the leading messages up to and including the
  // first user message (system prompt + first turn), and the string contents (escaped, without
  // quotes) of "prompt_cache_key" and "user". Empty when absent.
  Span conversation_start;
  Span prompt_cache_key;
  Span user;
};

// Scans the body once. Errors (ApiError 400 invalid_request_error, with `param` set where it
// applies): malformed JSON ("Invalid JSON body: ..."), body not an object, missing/non-string
// "model", missing/non-array/empty "messages", a message that is not an object or has no valid
// string "role", "stream" not a boolean, "n" not an integer.
Result<ChatRequestInfo> scan_chat_request(std::string_view body);

// Produces the upstream body with at most one copy: `model` replaced by new_model when given (and
// different), the stream_options member removed when drop_stream_options. Returns nullopt when
// nothing needs to change (the caller then forwards the original bytes).
std::optional<std::string> rewrite_chat_request(std::string_view body, const ChatRequestInfo& info,
                                                std::optional<std::string_view> new_model,
                                                bool drop_stream_options);

}  // namespace cg::wire::openai
