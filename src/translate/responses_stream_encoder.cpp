// See responses_stream_encoder.h.
#include "translate/responses_stream_encoder.h"

#include <charconv>
#include <cstring>

#include "core/json_escape.h"
#include "translate/json_util.h"

namespace cg::translate {

using namespace std::string_view_literals;

namespace {

// `event: <type>\ndata: {"type":"<type>"`, the head of every event, built at compile time.
template <size_t N>
struct EventHead {
  char text[2 * N + 22] = {};
  size_t size = 0;
  constexpr explicit EventHead(const char (&type)[N]) {
    put("event: ");
    put({type, N - 1});
    put("\ndata: {\"type\":\"");
    put({type, N - 1});
    put("\"");
  }
  constexpr void put(std::string_view s) {
    for (char c : s)
      text[size++] = c;
  }
  constexpr std::string_view view() const { return {text, size}; }
};

constexpr EventHead kCreated("response.created");
constexpr EventHead kInProgress("response.in_progress");
constexpr EventHead kCompleted("response.completed");
constexpr EventHead kIncomplete("response.incomplete");
constexpr EventHead kItemAdded("response.output_item.added");
constexpr EventHead kItemDone("response.output_item.done");
constexpr EventHead kPartAdded("response.content_part.added");
constexpr EventHead kPartDone("response.content_part.done");
constexpr EventHead kTextDelta("response.output_text.delta");
constexpr EventHead kTextDone("response.output_text.done");
constexpr EventHead kArgsDelta("response.function_call_arguments.delta");
constexpr EventHead kArgsDone("response.function_call_arguments.done");
constexpr EventHead kSummaryPartAdded("response.reasoning_summary_part.added");
constexpr EventHead kSummaryPartDone("response.reasoning_summary_part.done");
constexpr EventHead kSummaryDelta("response.reasoning_summary_text.delta");
constexpr EventHead kSummaryDone("response.reasoning_summary_text.done");
constexpr EventHead kError("error");

// Copies `s` to p and returns the end.
char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

void append_nullable(std::string& out, std::string_view s) {
  if (s.empty()) {
    out.append("null"sv);
  } else {
    append_json_string(out, s);
  }
}

}  // namespace

ResponsesStreamEncoder::ResponsesStreamEncoder(ResponsesEnvelope env, const Request* request)
    : env_(std::move(env)), echo_(responses_echo(request)) {
  items_.reserve(4);
}

void ResponsesStreamEncoder::begin_event(std::string& out, std::string_view head) {
  out.append(head);
}

void ResponsesStreamEncoder::end_event(std::string& out) {
  out.append(",\"sequence_number\":"sv);
  append_decimal(out, seq_++);
  out.append("}\n\n"sv);
}

void ResponsesStreamEncoder::item_ref(std::string& out, const Item& it) {
  out.append(",\"item_id\":"sv);
  append_escaped_string(out, it.id);
  out.append(",\"output_index\":"sv);
  append_decimal(out, static_cast<int64_t>(it.index));
}

void ResponsesStreamEncoder::response(std::string& out, bool done) {
  const FinishReason f = done ? finish_ : FinishReason::kNone;
  append_response_head(out, env_, done ? responses_status(f) : "in_progress"sv,
                       done ? responses_incomplete_reason(f) : std::string_view());
  if (done) {
    for (size_t i = 0; i < items_.size(); ++i) {
      if (i) out.push_back(',');
      append_item(out, items_[i], true);
    }
  }
  out.push_back(']');
  out.append(echo_);
  out.append(",\"usage\":"sv);
  if (done) {
    append_responses_usage(out, usage_);
  } else {
    out.append("null"sv);
  }
  out.push_back('}');
}

void ResponsesStreamEncoder::start(std::string& out) {
  if (started_) return;
  started_ = true;
  // response.created and response.in_progress carry the same response object: rendered once.
  begin_event(out, kCreated.view());
  out.append(",\"response\":"sv);
  const size_t at = out.size();
  response(out, false);
  const size_t size = out.size() - at;
  end_event(out);
  begin_event(out, kInProgress.view());
  out.append(",\"response\":"sv);
  out.reserve(out.size() + size + 32);
  out.append(out.data() + at, size);  // no reallocation: reserved above
  end_event(out);
}

void ResponsesStreamEncoder::append_item(std::string& out, const Item& it, bool done) const {
  switch (it.type) {
    case Type::kMessage:
      append_message_item(out, it.id, done, it.text);
      break;
    case Type::kFunctionCall:
      append_function_call_item(out, it.id, done, it.call_id, it.name, it.text);
      break;
    case Type::kReasoning:
      append_reasoning_item(out, it.id, done && it.has_summary, it.text,
                            done ? std::string_view(it.encrypted) : std::string_view());
      break;
  }
}

size_t ResponsesStreamEncoder::add(Item it, std::string& out) {
  const size_t index = items_.size();
  for (const Item& other : items_) {
    if (other.id == it.id)
      it.id.clear();  // ids must be unique: a repeated upstream id gets a new one
  }
  if (it.id.empty()) {
    const std::string_view prefix = it.type == Type::kMessage        ? "msg"
                                    : it.type == Type::kFunctionCall ? "fc"
                                                                     : "rs";
    it.id = responses_item_id(env_.response_id, prefix, index);
  }
  const Type type = it.type;
  it.index = index;
  items_.push_back(std::move(it));
  begin_event(out, kItemAdded.view());
  out.append(",\"output_index\":"sv);
  append_decimal(out, static_cast<int64_t>(index));
  out.append(",\"item\":"sv);
  append_item(out, items_.back(), false);
  end_event(out);
  if (type == Type::kMessage) {
    begin_event(out, kPartAdded.view());
    item_ref(out, items_.back());
    out.append(R"(,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]})"sv);
    end_event(out);
  }
  return index;
}

void ResponsesStreamEncoder::close(size_t index, std::string& out) {
  Item& it = items_[index];
  if (!it.open) return;
  it.open = false;
  switch (it.type) {
    case Type::kMessage:
      begin_event(out, kTextDone.view());
      item_ref(out, it);
      out.append(",\"content_index\":0,\"text\":"sv);
      append_escaped_string(out, it.text);
      out.append(",\"logprobs\":[]"sv);
      end_event(out);
      begin_event(out, kPartDone.view());
      item_ref(out, it);
      out.append(R"(,"content_index":0,"part":{"type":"output_text","text":)"sv);
      append_escaped_string(out, it.text);
      out.append(R"(,"annotations":[]})"sv);
      end_event(out);
      break;
    case Type::kFunctionCall:
      if (it.text.empty()) it.text = "{}";
      begin_event(out, kArgsDone.view());
      item_ref(out, it);
      out.append(",\"name\":"sv);
      append_escaped_string(out, it.name);
      out.append(",\"arguments\":"sv);
      append_escaped_string(out, it.text);
      end_event(out);
      break;
    case Type::kReasoning:
      if (it.has_summary) {
        begin_event(out, kSummaryDone.view());
        item_ref(out, it);
        out.append(",\"summary_index\":0,\"text\":"sv);
        append_escaped_string(out, it.text);
        end_event(out);
        begin_event(out, kSummaryPartDone.view());
        item_ref(out, it);
        out.append(R"(,"summary_index":0,"part":{"type":"summary_text","text":)"sv);
        append_escaped_string(out, it.text);
        out.push_back('}');
        end_event(out);
      }
      break;
  }
  begin_event(out, kItemDone.view());
  out.append(",\"output_index\":"sv);
  append_decimal(out, static_cast<int64_t>(index));
  out.append(",\"item\":"sv);
  append_item(out, it, true);
  end_event(out);
}

void ResponsesStreamEncoder::close_messages(std::string& out) {
  for (size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].open && items_[i].type == Type::kMessage) close(i, out);
  }
}

void ResponsesStreamEncoder::text(std::string_view t, std::string& out) {
  if (t.empty()) return;
  // The open message, unless reasoning came after it (the answer order is kept).
  size_t index = items_.size();
  for (size_t i = items_.size(); i-- > 0;) {
    if (items_[i].type == Type::kReasoning) break;
    if (items_[i].type == Type::kMessage && items_[i].open) {
      index = i;
      break;
    }
  }
  if (index == items_.size()) {
    Item message{Type::kMessage};
    message.text.reserve(256);
    index = add(std::move(message), out);
  }
  Item& it = items_[index];
  it.text.append(t);
  // The hot event of a text answer: its constant head rendered once per item, the event
  // written with one resize.
  if (it.delta_head.empty()) {
    begin_event(it.delta_head, kTextDelta.view());
    item_ref(it.delta_head, it);
    it.delta_head.append(",\"content_index\":0,\"delta\":\""sv);
  }
  static constexpr std::string_view kTail = "\",\"logprobs\":[],\"sequence_number\":";
  static constexpr size_t kNumberAndEnd = 20 + 3;  // int64 digits, "}\n\n"
  const size_t old_size = out.size();
  out.resize(old_size + it.delta_head.size() + t.size() + kTail.size() + kNumberAndEnd);
  char* p = out.data() + old_size;
  p = put(p, it.delta_head);
  p = put(p, t);
  p = put(p, kTail);
  p = std::to_chars(p, p + 20, seq_++).ptr;
  p = put(p, "}\n\n");
  out.resize(static_cast<size_t>(p - out.data()));
}

void ResponsesStreamEncoder::thinking(std::string_view t, std::string& out) {
  if (t.empty()) return;
  size_t index = items_.size();
  if (!items_.empty()) {
    const Item& last = items_.back();
    if (last.type == Type::kReasoning && last.open && last.encrypted.empty()) index -= 1;
  }
  if (index == items_.size()) {
    close_messages(out);
    index = add(Item{Type::kReasoning}, out);
  }
  Item& it = items_[index];
  if (!it.has_summary) {
    it.has_summary = true;
    begin_event(out, kSummaryPartAdded.view());
    item_ref(out, it);
    out.append(R"(,"summary_index":0,"part":{"type":"summary_text","text":""})"sv);
    end_event(out);
  }
  it.text.append(t);
  begin_event(out, kSummaryDelta.view());
  item_ref(out, it);
  out.append(",\"summary_index\":0,\"delta\":"sv);
  append_escaped_string(out, t);
  end_event(out);
}

void ResponsesStreamEncoder::reasoning_item(std::string_view id, std::string_view encrypted,
                                            std::string& out) {
  if (!id.empty()) {
    for (size_t i = items_.size(); i-- > 0;) {
      Item& it = items_[i];
      if (it.type != Type::kReasoning || !it.open || it.id != id) continue;
      if (!encrypted.empty()) it.encrypted.assign(encrypted);
      close(i, out);
      return;
    }
  }
  close_messages(out);
  Item it{Type::kReasoning};
  it.id.assign(id);
  const size_t index = add(std::move(it), out);
  if (!encrypted.empty()) {
    items_[index].encrypted.assign(encrypted);
    close(index, out);
  }
}

void ResponsesStreamEncoder::signature(std::string_view encrypted, std::string& out) {
  if (encrypted.empty()) return;
  for (size_t i = items_.size(); i-- > 0;) {
    Item& it = items_[i];
    if (it.type != Type::kReasoning || !it.open || !it.encrypted.empty()) continue;
    it.encrypted.assign(encrypted);
    close(i, out);
    return;
  }
  reasoning_item({}, encrypted, out);
}

void ResponsesStreamEncoder::on(const StreamEvent& e, std::string& out) {
  if (finished_) return;
  using K = StreamEvent::Kind;
  start(out);
  switch (e.kind) {
    case K::kStart:
      return;
    case K::kText:
      text(e.text, out);
      return;
    case K::kThinking:
      thinking(e.text, out);
      return;
    case K::kSignature:
      signature(e.text, out);
      return;
    case K::kRedacted:  // Anthropic's opaque thinking: nothing a Responses client can use
      return;
    case K::kReasoningItem:
      reasoning_item(e.id, e.text, out);
      return;
    case K::kToolCall: {
      for (size_t i = 0; i < items_.size(); ++i) {
        const Item& it = items_[i];
        if (it.open && it.type == Type::kFunctionCall && it.key == e.index) close(i, out);
      }
      Item call{Type::kFunctionCall};
      call.key = e.index;
      call.call_id.assign(e.id);
      for (const Item& other : items_) {  // call ids must be unique too
        if (other.type == Type::kFunctionCall && other.call_id == call.call_id)
          call.call_id.clear();
      }
      if (call.call_id.empty())
        call.call_id = responses_item_id(env_.response_id, "call", items_.size());
      call.name.assign(e.name);
      add(std::move(call), out);
      return;
    }
    case K::kToolArgs:
      for (size_t i = items_.size(); i-- > 0;) {
        Item& it = items_[i];
        if (it.type != Type::kFunctionCall || !it.open || it.key != e.index) continue;
        if (e.text.empty()) return;
        it.text.append(e.text);
        begin_event(out, kArgsDelta.view());
        item_ref(out, it);
        out.append(",\"delta\":"sv);
        append_escaped_string(out, e.text);
        end_event(out);
        return;
      }
      return;
    case K::kFinish:
      if (finish_ == FinishReason::kNone || e.finish == FinishReason::kToolCalls)
        finish_ = e.finish;
      return;
    case K::kUsage:
      if (e.usage) usage_ = *e.usage;
      return;
  }
}

void ResponsesStreamEncoder::finish(std::string& out) {
  if (finished_) return;
  start(out);
  for (size_t i = 0; i < items_.size(); ++i)
    close(i, out);
  finished_ = true;
  const bool incomplete = !responses_incomplete_reason(finish_).empty();
  begin_event(out, incomplete ? kIncomplete.view() : kCompleted.view());
  out.append(",\"response\":"sv);
  response(out, true);
  end_event(out);
}

void ResponsesStreamEncoder::fail(const ApiError& e, std::string& out) {
  if (finished_) return;
  finished_ = true;
  const std::string_view type = e.type.empty() ? std::string_view("server_error") : e.type;
  begin_event(out, kError.view());
  out.append(",\"code\":"sv);
  append_nullable(out, e.code);
  out.append(",\"message\":"sv);
  append_json_string(out, e.message);
  out.append(",\"param\":"sv);
  append_nullable(out, e.param);
  out.append(",\"error\":{\"type\":"sv);
  append_json_string(out, type);
  out.append(",\"code\":"sv);
  append_nullable(out, e.code);
  out.append(",\"message\":"sv);
  append_json_string(out, e.message);
  out.append(",\"param\":"sv);
  append_nullable(out, e.param);
  out.push_back('}');
  end_event(out);
}

}  // namespace cg::translate
