// Canonical stream events -> the OpenAI Responses SSE sequence that openai's responses.stream()
// and Codex accept (wire-formats.md §4.3, §5.3): `event: <type>` + `data: {type, ...,
// sequence_number}` with sequence numbers from 0 step 1; response.created and
// response.in_progress first; every output item announced by output_item.added (in output order,
// unique non-empty ids) before its deltas, text parts by content_part.added before
// output_text.delta; the items closed (…done events, output_item.done) before the terminal
// response.completed / response.incomplete, which carries the FULL response (every item with its
// accumulated text, usage). No [DONE]. One encoder per stream; owned by the worker relaying it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/api_error.h"
#include "translate/canonical.h"
#include "translate/to_responses_response.h"

namespace cg::translate {

class ResponsesStreamEncoder {
 public:
  // `env` injects the response id ("resp_<token>"; item ids are derived from it, see
  // responses_item_id), created_at and the model name the client asked for. `request` (may be
  // null; not kept) supplies the echoed parameters.
  explicit ResponsesStreamEncoder(ResponsesEnvelope env, const Request* request = nullptr);

  // Appends the SSE text for one event to `out`. Items:
  //  - kText -> the open message item (a new one after reasoning, or when none is open);
  //  - kThinking -> the open reasoning item when it is the latest item and has no encrypted
  //    content yet (else a new one, generated id): one summary part, streamed as
  //    reasoning_summary_text deltas;
  //  - kSignature -> encrypted_content of the latest open reasoning item without one (else a new
  //    reasoning item), which then closes;
  //  - kReasoningItem -> the reasoning item with that id: opened under the upstream id when new
  //    (an empty text means "announced"), closed with its encrypted_content when it was open;
  //  - kToolCall -> a function_call item (call_id = the event id, generated when empty);
  //    kToolArgs -> arguments of the open call with that index (fragments for an unknown call
  //    are dropped). Calls stay open until the end;
  //  - kRedacted (Anthropic's opaque thinking) is dropped;
  //  - kFinish / kUsage are remembered for the terminal event.
  void on(const StreamEvent& e, std::string& out);
  // The upstream finished: closes every open item and appends response.completed (or
  // response.incomplete for kLength / kContentFilter).
  void finish(std::string& out);
  // The upstream failed mid-stream: appends an `error` event with both the nested
  // error:{type,code,message,param} and the flat type/code/message/param fields (nothing may
  // follow).
  void fail(const ApiError& e, std::string& out);

  bool finished() const { return finished_; }
  bool saw_finish() const { return finish_ != FinishReason::kNone; }
  const Usage& usage() const { return usage_; }

 private:
  enum class Type : uint8_t { kMessage, kFunctionCall, kReasoning };
  struct Item {
    Type type = Type::kMessage;
    bool open = true;
    bool has_summary = false;  // reasoning: a summary part was added
    int key = 0;               // function call: the upstream index
    std::string id, call_id, name;
    std::string text;       // message text / reasoning summary / call arguments (escaped)
    std::string encrypted;  // reasoning: encrypted_content (escaped)
    size_t index = 0;       // output_index
    // Message: everything of an output_text.delta event before the delta text, rendered once.
    std::string delta_head;
  };

  void start(std::string& out);
  void begin_event(std::string& out, std::string_view head);  // a rendered EventHead
  void end_event(std::string& out);
  void item_ref(std::string& out, const Item& it);  // item_id, output_index
  size_t add(Item it, std::string& out);            // announces it (generates an empty id)
  void close(size_t index, std::string& out);
  void close_messages(std::string& out);
  void append_item(std::string& out, const Item& it, bool done) const;
  void text(std::string_view t, std::string& out);
  void thinking(std::string_view t, std::string& out);
  void reasoning_item(std::string_view id, std::string_view encrypted, std::string& out);
  void signature(std::string_view encrypted, std::string& out);
  void response(std::string& out, bool done);

  ResponsesEnvelope env_;
  std::string echo_;
  std::vector<Item> items_;
  int64_t seq_ = 0;
  bool started_ = false;
  bool finished_ = false;
  FinishReason finish_ = FinishReason::kNone;
  Usage usage_;
};

}  // namespace cg::translate
