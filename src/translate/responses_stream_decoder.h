// Copilot /responses stream (each SSE event's name and `data:` payload) -> canonical stream
// events. A forward-only scan of each event (no DOM); strings are handed on still JSON-escaped,
// so encrypted reasoning content and ids pass through byte for byte. One decoder per stream; not
// thread-safe (the worker that relays the stream owns it).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_error.h"
#include "translate/canonical.h"
#include "translate/event_sink.h"

namespace cg::translate {

class ResponsesStreamDecoder {
 public:
  // Decodes one event (the type is taken from `event_name`, or from the data's "type" when the
  // name is empty). Emits kStart once, before anything else (id and model of response.created).
  //  - response.output_text.delta (and refusal.delta) -> kText;
  //  - output_item.added of a function_call -> kToolCall {index = output_index, id = call_id,
  //    name}; function_call_arguments.delta -> kToolArgs {index = output_index};
  //  - output_item.added of a reasoning item -> kReasoningItem {id, empty text}: announces the
  //    item so an encoder can open it under its upstream id before its summary arrives;
  //    reasoning_summary_text.delta -> kThinking (summary parts separated by a blank line);
  //    output_item.done of a reasoning item -> kThinking with its summary when none was streamed,
  //    then kReasoningItem {id, text = encrypted_content exactly as received (may be empty)};
  //  - output_item.done of a message / function_call whose text / arguments were not streamed
  //    -> the missing kText / kToolCall + kToolArgs;
  //  - response.completed / response.incomplete -> kFinish (kToolCalls when a function call was
  //    emitted, kLength for max_output_tokens, kContentFilter, else kStop), kUsage; done();
  //  - response.failed / error -> failure() (the caller ends the client stream with it).
  // Events that are not JSON objects are ignored (counted in malformed()); unknown types are
  // ignored.
  void feed(std::string_view event_name, std::string_view data, EventSink sink);

  bool done() const { return done_; }
  bool started() const { return started_; }
  size_t malformed() const { return malformed_; }
  const Usage& usage() const { return usage_; }
  // The upstream's failure (response.failed or an error event): 502, the upstream's type (else
  // server_error), code, message and param.
  const std::optional<ApiError>& failure() const { return failure_; }

 private:
  struct ItemState {
    int64_t index = 0;  // output_index
    bool call_started = false;
    bool args_streamed = false;
    bool text_streamed = false;
    bool summary_streamed = false;
    int64_t summary_index = 0;  // of the last streamed summary delta
  };
  ItemState& item(int64_t index);
  void start(EventSink sink, std::string_view id = {}, std::string_view model = {});

  bool started_ = false;
  bool done_ = false;
  bool any_call_ = false;
  size_t malformed_ = 0;
  Usage usage_;
  std::optional<ApiError> failure_;
  std::vector<ItemState> items_;
};

}  // namespace cg::translate
