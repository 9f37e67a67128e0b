// Copilot /chat/completions stream (the `data:` payload of each SSE event) -> canonical stream
// events. A forward-only scan of each chunk (no DOM); strings are handed on still JSON-escaped.
// One decoder per stream; not thread-safe (the worker that relays the stream owns it).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_error.h"
#include "core/inline_bytes.h"

#include "translate/canonical.h"
#include "translate/event_sink.h"
#include "wire/json_scan.h"

namespace cg::translate {

class ChatStreamDecoder {
 public:
  // `learn_shapes` false: every chunk takes the full path (tests compare the two).
  explicit ChatStreamDecoder(bool learn_shapes = true) : learn_shapes_(learn_shapes) {}

  // Decodes one event's data in one forward pass. `[DONE]` marks the end. Chunks that are not
  // JSON objects are ignored (counted in malformed()). Emits kStart before anything else (once,
  // without id/model: client encoders use injected ones), then per choice: reasoning (kThinking,
  // kSignature), text (kText), tool calls (kToolCall when a call's id/name first appear, then
  // kToolArgs; fragments that arrive before the call's id/name are held until then), kFinish per
  // finish_reason, and kUsage for a usage object.
  void feed(std::string_view data, EventSink sink);
  void feed(std::string_view /*event_name*/, std::string_view data, EventSink sink) {
    feed(data, sink);
  }

  bool done() const { return done_; }
  bool started() const { return started_; }
  size_t malformed() const { return malformed_; }
  // Chunks decoded by the learned-shape path (see Shape).
  size_t same_shape_chunks() const { return same_shape_chunks_; }
  // Chunks of the full path whose scan started at `choices` (see envelope_).
  size_t same_envelope_chunks() const { return same_envelope_chunks_; }
  const Usage& usage() const { return usage_; }
  // An `{"error":{...}}` chunk ends the stream with this failure (502 with the upstream's text).
  const std::optional<ApiError>& failure() const { return failure_; }

 private:
  struct Call {
    int key = 0;  // choice * 1024 + upstream index
    bool started = false;
    std::string pending_args;  // raw fragments before the id/name arrived
    std::string id, name;
  };
  // The learned shape of a chunk that carries one text fragment (text, thinking or the arguments
  // of a started tool call) and nothing else: the bytes before and after the fragment. Within a
  // stream such chunks differ only in the fragment, so a chunk with the same prefix and suffix
  // and a valid JSON string body between them means the same, and costs two compares.
  struct Shape {
    InlineBytes<512> prefix;  // ends with the opening quote
    InlineBytes<256> suffix;  // starts with the closing quote
    StreamEvent::Kind kind = StreamEvent::Kind::kText;
    int index = 0;
    bool valid = false;
  };
  bool decode_same_shape(std::string_view data, EventSink sink);
  void decode_chunk(std::string_view data, EventSink sink);
  void learn_shape(std::string_view data, const StreamEvent& only_event);
  Call& call(int key);
  bool decode_choices(wire::JsonScanner& s, EventSink sink);
  bool decode_delta(wire::JsonScanner& s, int64_t choice_index, EventSink sink);
  bool decode_tool_calls(wire::JsonScanner& s, int64_t choice_index, EventSink sink);
  bool read_error(wire::JsonScanner& s);

  bool started_ = false;
  bool done_ = false;
  size_t malformed_ = 0;
  Usage usage_;
  std::optional<ApiError> failure_;
  std::vector<Call> calls_;
  Shape shape_;
  // The bytes of the last well-formed chunk before its `choices` value when every member before
  // it was skipped unread (id, object, created, model...), and how many members that is. A chunk
  // that starts with the same bytes is scanned from its choices value on.
  InlineBytes<512> envelope_;
  size_t envelope_members_ = 0;
  bool learn_shapes_ = true;
  size_t same_shape_chunks_ = 0;
  size_t same_envelope_chunks_ = 0;
};

}  // namespace cg::translate
