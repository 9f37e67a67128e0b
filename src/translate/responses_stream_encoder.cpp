// See responses_stream_encoder.h.
#include "translate/responses_stream_encoder.h"

#include "core/json_escape.h"

namespace cg::translate {

namespace {

void append_int(std::string& out, int64_t v) {
  append_decimal(out, v);
}

void append_quoted_raw(std::string& out, std::string_view escaped) {
  out.push_back('"');
  out.append(escaped);
  out.push_back('"');
}

void append_nullable(std::string& out, std::string_view s) {
  if (s.empty()) {
    out.append("null");
  } else {
    append_json_string(out, s);
  }
}

}  // namespace

ResponsesStreamEncoder::ResponsesStreamEncoder(ResponsesEnvelope env, const Request* request)
    : env_(std::move(env)), echo_(responses_echo(request)) {}

void ResponsesStreamEncoder::begin_event(std::string& out, std::string_view type) {
  out.append("event: ");
  out.append(type);
  out.append("\ndata: {\"type\":\"");
  out.append(type);
  out.push_back('"');
}

void ResponsesStreamEncoder::end_event(std::string& out) {
  out.append(",\"sequence_number\":");
  append_int(out, seq_++);
  out.append("}\n\n");
}

void ResponsesStreamEncoder::item_ref(std::string& out, const Item& it, size_t index) {
  out.append(",\"item_id\":");
  append_quoted_raw(out, it.id);
  out.append(",\"output_index\":");
  append_int(out, static_cast<int64_t>(index));
}

void ResponsesStreamEncoder::response(std::string& out, bool done) {
  FinishReason f = done ? finish_ : FinishReason::kNone;
  append_response_head(out, env_, done ? responses_status(f) : "in_progress",
                       done ? responses_incomplete_reason(f) : std::string_view());
  if (done) {
    for (size_t i = 0; i < items_.size(); ++i) {
      if (i) out.push_back(',');
      append_item(out, items_[i], true);
    }
  }
  out.push_back(']');
  out.append(echo_);
  out.append(",\"usage\":");
  if (done) {
    append_responses_usage(out, usage_);
  } else {
    out.append("null");
  }
  out.push_back('}');
}

void ResponsesStreamEncoder::start(std::string& out) {
  if (started_) return;
  started_ = true;
  for (const char* type : {"response.created", "response.in_progress"}) {
    begin_event(out, type);
    out.append(",\"response\":");
    response(out, false);
    end_event(out);
  }
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
  items_.push_back(std::move(it));
  begin_event(out, "response.output_item.added");
  out.append(",\"output_index\":");
  append_int(out, static_cast<int64_t>(index));
  out.append(",\"item\":");
  append_item(out, items_.back(), false);
  end_event(out);
  if (type == Type::kMessage) {
    begin_event(out, "response.content_part.added");
    item_ref(out, items_.back(), index);
    out.append(R"(,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]})");
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
      begin_event(out, "response.output_text.done");
      item_ref(out, it, index);
      out.append(",\"content_index\":0,\"text\":");
      append_quoted_raw(out, it.text);
      out.append(",\"logprobs\":[]");
      end_event(out);
      begin_event(out, "response.content_part.done");
      item_ref(out, it, index);
      out.append(R"(,"content_index":0,"part":{"type":"output_text","text":)");
      append_quoted_raw(out, it.text);
      out.append(R"(,"annotations":[]})");
      end_event(out);
      break;
    case Type::kFunctionCall:
      if (it.text.empty()) it.text = "{}";
      begin_event(out, "response.function_call_arguments.done");
      item_ref(out, it, index);
      out.append(",\"name\":");
      append_quoted_raw(out, it.name);
      out.append(",\"arguments\":");
      append_quoted_raw(out, it.text);
      end_event(out);
      break;
    case Type::kReasoning:
      if (it.has_summary) {
        begin_event(out, "response.reasoning_summary_text.done");
        item_ref(out, it, index);
        out.append(",\"summary_index\":0,\"text\":");
        append_quoted_raw(out, it.text);
        end_event(out);
        begin_event(out, "response.reasoning_summary_part.done");
        item_ref(out, it, index);
        out.append(R"(,"summary_index":0,"part":{"type":"summary_text","text":)");
        append_quoted_raw(out, it.text);
        out.push_back('}');
        end_event(out);
      }
      break;
  }
  begin_event(out, "response.output_item.done");
  out.append(",\"output_index\":");
  append_int(out, static_cast<int64_t>(index));
  out.append(",\"item\":");
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
  if (index == items_.size()) index = add(Item{Type::kMessage}, out);
  Item& it = items_[index];
  it.text.append(t);
  // The hot event of a text answer: its constant head rendered once per item.
  if (it.delta_head.empty()) {
    begin_event(it.delta_head, "response.output_text.delta");
    item_ref(it.delta_head, it, index);
    it.delta_head.append(",\"content_index\":0,\"delta\":\"");
  }
  out.append(it.delta_head);
  out.append(t);
  out.append("\",\"logprobs\":[],\"sequence_number\":");
  append_int(out, seq_++);
  out.append("}\n\n");
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
    begin_event(out, "response.reasoning_summary_part.added");
    item_ref(out, it, index);
    out.append(R"(,"summary_index":0,"part":{"type":"summary_text","text":""})");
    end_event(out);
  }
  it.text.append(t);
  begin_event(out, "response.reasoning_summary_text.delta");
  item_ref(out, it, index);
  out.append(",\"summary_index\":0,\"delta\":");
  append_quoted_raw(out, t);
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
        begin_event(out, "response.function_call_arguments.delta");
        item_ref(out, it, i);
        out.append(",\"delta\":");
        append_quoted_raw(out, e.text);
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
  begin_event(out, incomplete ? "response.incomplete" : "response.completed");
  out.append(",\"response\":");
  response(out, true);
  end_event(out);
}

void ResponsesStreamEncoder::fail(const ApiError& e, std::string& out) {
  if (finished_) return;
  finished_ = true;
  const std::string_view type = e.type.empty() ? std::string_view("server_error") : e.type;
  begin_event(out, "error");
  out.append(",\"code\":");
  append_nullable(out, e.code);
  out.append(",\"message\":");
  append_json_string(out, e.message);
  out.append(",\"param\":");
  append_nullable(out, e.param);
  out.append(",\"error\":{\"type\":");
  append_json_string(out, type);
  out.append(",\"code\":");
  append_nullable(out, e.code);
  out.append(",\"message\":");
  append_json_string(out, e.message);
  out.append(",\"param\":");
  append_nullable(out, e.param);
  out.push_back('}');
  end_event(out);
}

}  // namespace cg::translate
