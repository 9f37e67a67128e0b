// Canonical stream events -> the Anthropic Messages SSE sequence the SDKs require
// (wire-formats.md §2.4, §5.4): `message_start` first, then strictly sequential content blocks
// (start, deltas, stop; a thinking block's signature just before its stop), `message_delta`
// with stop_reason and cumulative usage held until the stream ends (usage arrives after the
// finish), then `message_stop`. Every event carries its `event:` name. One encoder per stream;
// owned by the worker relaying it.
#pragma once
#include <string>
#include <string_view>

#include "core/api_error.h"
#include "translate/canonical.h"

namespace cg::translate {

class AnthropicStreamEncoder {
 public:
  // `message_id` ("msg_...") and `model` (the name the client asked for) are injected.
  AnthropicStreamEncoder(std::string message_id, std::string model)
      : id_(std::move(message_id)), model_(std::move(model)) {}

  // Appends the SSE text for one event to `out`.
  void on(const StreamEvent& e, std::string& out);
  // The upstream finished: closes the open block and appends message_delta + message_stop.
  void finish(std::string& out);
  // The upstream failed mid-stream: appends an `error` event (nothing may follow).
  void fail(const ApiError& e, std::string& out);

  bool finished() const { return finished_; }
  bool saw_finish() const { return finish_ != FinishReason::kNone; }
  const Usage& usage() const { return usage_; }

 private:
  enum class Open : uint8_t { kNone, kText, kThinking, kTool };
  void start(std::string& out);
  void open(Open kind, std::string& out, std::string_view id = {}, std::string_view name = {});
  void close(std::string& out);
  void flush_held_text(std::string& out);

  std::string id_, model_;
  bool started_ = false;
  bool finished_ = false;
  Open open_ = Open::kNone;
  int index_ = -1;     // index of the open (or last) block
  int tool_key_ = -1;  // upstream key of the open tool block
  bool signature_sent_ = false;
  bool any_tool_ = false;
  std::string held_text_;  // text that arrived while a tool block was open (escaped)
  std::string text_head_;  // the open text block's content_block_delta event up to its text
  FinishReason finish_ = FinishReason::kNone;
  Usage usage_;
};

// Anthropic's stop_reason for a canonical finish reason.
std::string_view anthropic_stop_reason(FinishReason f);

}  // namespace cg::translate
