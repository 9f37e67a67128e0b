// Copilot /v1/messages stream (each SSE event's name and `data:` payload, Anthropic Messages
// events) -> canonical stream events, for OpenAI clients whose model is served only by the native
// Anthropic endpoint. A forward-only scan of each event (no DOM); strings are handed on still
// JSON-escaped, so signatures and redacted data pass through byte for byte. One decoder per
// stream; not thread-safe (the worker that relays the stream owns it).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_error.h"
#include "translate/canonical.h"
#include "translate/event_sink.h"

namespace cg::translate {

class AnthropicStreamDecoder {
 public:
  // Decodes one event (the type is taken from `event_name`, or from the data's "type" when the
  // name is empty). Emits kStart once, before anything else (id and model of message_start).
  //  - message_start -> kStart {id, model} + kUsage (its usage);
  //  - content_block_start: text / thinking with initial text -> kText / kThinking; tool_use ->
  //    kToolCall {index = the block index, id, name} (+ kToolArgs when its input is not empty);
  //    redacted_thinking -> kRedacted {text = data}; server-tool blocks are ignored with their
  //    deltas;
  //  - content_block_delta: text_delta -> kText, thinking_delta -> kThinking, signature_delta ->
  //    kSignature, input_json_delta -> kToolArgs {index = the block index} (tool_use blocks only);
  //    empty fragments produce nothing;
  //  - message_delta -> kFinish {finish (see parse_anthropic_stop_reason), text = the matched stop
  //    sequence, escaped, when there is one} + kUsage (cumulative: fields the event carries
  //    replace earlier ones; input = input + cache read + cache creation tokens);
  //  - message_stop -> done(); ping, content_block_stop and unknown types are ignored;
  //  - error -> failure(): an ApiError with the status of the Anthropic error type (see
  //    anthropic_error_status), type = that error type, the upstream's message.
  // Events after message_stop or a failure are ignored; events that are not JSON objects are
  // ignored (counted in malformed()).
  void feed(std::string_view event_name, std::string_view data, EventSink sink);

  bool done() const { return done_; }
  bool started() const { return started_; }
  size_t malformed() const { return malformed_; }
  const Usage& usage() const { return usage_; }
  const std::optional<ApiError>& failure() const { return failure_; }

 private:
  enum class BlockKind : uint8_t { kText, kThinking, kTool, kRedacted, kOther };
  struct BlockState {
    int64_t index = 0;
    BlockKind kind = BlockKind::kOther;
  };
  // Anthropic's usage fields as last reported (-1 = never).
  struct RawUsage {
    int64_t input = -1, cache_read = -1, cache_creation = -1, output = -1;
  };
  void start(EventSink sink, std::string_view id = {}, std::string_view model = {});
  void emit_usage(EventSink sink);
  BlockKind block_kind(int64_t index) const;

  bool started_ = false;
  bool done_ = false;
  size_t malformed_ = 0;
  RawUsage raw_;
  Usage usage_;
  std::optional<ApiError> failure_;
  std::vector<BlockState> blocks_;
  std::string scratch_;  // escaped JSON text of a tool_use start's non-empty input
};

// The HTTP status Anthropic uses for an error type: invalid_request_error 400,
// authentication_error 401, billing_error 402, permission_error 403, not_found_error 404,
// request_too_large 413, rate_limit_error 429, api_error 500, timeout_error 504,
// overloaded_error 529; unknown types 502.
int anthropic_error_status(std::string_view error_type);

}  // namespace cg::translate
