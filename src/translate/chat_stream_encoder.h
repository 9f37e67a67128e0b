// Canonical stream events -> the OpenAI chat.completion.chunk SSE stream that openai's
// chat.completions.stream() accepts (wire-formats.md §1.3, §5.2): `data: {chunk}\n\n` events (no
// `event:` names), every chunk with the same id, object "chat.completion.chunk", created and
// model; one choice (index 0) whose first chunk carries delta.role "assistant"; each tool call
// announced by a first fragment with its id, type "function" and function.name; a finish chunk;
// with include_usage a usage chunk with `choices: []`; `data: [DONE]` last. One encoder per
// stream; owned by the worker relaying it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/api_error.h"
#include "translate/canonical.h"
#include "translate/to_chat_response.h"

namespace cg::translate {

class ChatStreamEncoder {
 public:
  // `env` injects the chunk id ("chatcmpl-<token>"), created and the model name the client asked
  // for. `include_usage`: the client's stream_options.include_usage (then every chunk carries
  // "usage":null and a usage chunk precedes [DONE]).
  ChatStreamEncoder(ChatEnvelope env, bool include_usage);

  // Appends the SSE text for one event to `out` (the role chunk first, whatever the event):
  //  - kText -> delta.content; kThinking -> delta.reasoning_text;
  //  - kSignature -> delta.reasoning_opaque; kReasoningItem with encrypted content ->
  //    delta.reasoning_opaque "<encrypted_content>@<id>" (see to_chat_response.h); an announced
  //    item (empty text) and kRedacted produce nothing;
  //  - kToolCall -> a tool_calls fragment {index, id, type "function", function {name,
  //    arguments ""}} whose index counts the calls in order of appearance (0, 1, 2, ...) whatever
  //    the upstream's keys; an empty id gets "call_<token>_<n>" (token = env id without
  //    "chatcmpl-"); kToolArgs -> {index, function {arguments}} of the latest call with that key
  //    (fragments of unknown calls are dropped);
  //  - kFinish / kUsage are remembered for finish(). Empty fragments produce nothing.
  void on(const StreamEvent& e, std::string& out);
  // The upstream finished: the finish chunk (finish_reason per chat_finish_reason: tool_calls when
  // any call was emitted and the reason was stop-like), the usage chunk when include_usage
  // (omitted when no usage is known), then `data: [DONE]`.
  void finish(std::string& out);
  // The upstream failed mid-stream: appends `data: {"error":{...}}` (nothing may follow; no
  // [DONE]).
  void fail(const ApiError& e, std::string& out);

  bool finished() const { return finished_; }
  bool saw_finish() const { return finish_ != FinishReason::kNone; }
  const Usage& usage() const { return usage_; }

 private:
  struct Call {
    int key = 0;  // the upstream's index
  };
  void start(std::string& out);
  // Opens a chunk up to `"delta":` / closes it after the delta object.
  void open_chunk(std::string& out) const;
  void close_chunk(std::string& out, std::string_view finish_reason = {}) const;
  void delta_string(std::string& out, std::string_view field, std::string_view escaped,
                    std::string_view suffix = {}) const;
  int call_index(int key) const;  // -1 when unknown

  ChatEnvelope env_;
  bool include_usage_ = false;
  std::string head_;  // `data: {"id":..,"object":..,"created":..,"model":..,"choices":[`
  bool started_ = false;
  bool finished_ = false;
  std::vector<Call> calls_;  // client index = position
  FinishReason finish_ = FinishReason::kNone;
  Usage usage_;
};

}  // namespace cg::translate
