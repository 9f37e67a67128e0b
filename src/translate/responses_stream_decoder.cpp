// See responses_stream_decoder.h.
#include "translate/responses_stream_decoder.h"

#include "translate/from_responses_response.h"
#include "translate/scan_util.h"
#include "wire/json_scan.h"

namespace cg::translate {

namespace {

using wire::JsonKind;
using wire::JsonMember;
using wire::JsonScanner;
using wire::JsonString;

constexpr size_t kNone = std::string_view::npos;
constexpr std::string_view kParagraph = "\\n\\n";  // escaped blank line between summary parts

// The top-level members of an event that the decoder reads.
struct Top {
  std::string_view type, delta;
  int64_t output_index = -1;
  int64_t summary_index = 0;
  size_t item_at = kNone, response_at = kNone, error_at = kNone;
  // Flat error events.
  std::string code, message, param, error_type;
};

bool scan_top(JsonScanner& s, Top& t) {
  return each_member(s, [&](std::string_view k) {
    if (k == "type") return read_raw(s, t.type);
    if (k == "delta") return read_raw(s, t.delta);
    if (k == "output_index") return read_count(s, t.output_index);
    if (k == "summary_index") return read_count(s, t.summary_index);
    if (k == "item" || k == "response" || k == "error") {
      (k == "item" ? t.item_at : k == "response" ? t.response_at : t.error_at) = s.pos();
      return s.skip_value();
    }
    if (k == "code") return read_text(s, t.code);
    if (k == "message") return read_text(s, t.message);
    if (k == "param") return read_text(s, t.param);
    return s.skip_value();
  });
}

// An output item (output_item.added / .done).
struct ItemInfo {
  std::string_view type, id, call_id, name, arguments, encrypted;
  std::vector<std::string_view> summary;  // summary_text texts
  std::vector<std::string_view> texts;    // message output_text / refusal texts
};

bool scan_parts(JsonScanner& s, std::vector<std::string_view>& out) {
  return for_elements(s, [&] {
    std::string_view type, text;
    const bool ok = each_member(s, [&](std::string_view k) {
      if (k == "type") return read_raw(s, type);
      if (k == "text" || k == "refusal") return read_raw(s, text);
      return s.skip_value();
    });
    if (ok && !text.empty()) out.push_back(text);
    return ok;
  });
}

bool scan_item(JsonScanner& s, ItemInfo& it) {
  return each_member(s, [&](std::string_view k) {
    if (k == "type") return read_raw(s, it.type);
    if (k == "id") return read_raw(s, it.id);
    if (k == "call_id") return read_raw(s, it.call_id);
    if (k == "name") return read_raw(s, it.name);
    if (k == "arguments") return read_raw(s, it.arguments);
    if (k == "encrypted_content") return read_raw(s, it.encrypted);
    if (k == "summary") return scan_parts(s, it.summary);
    if (k == "content") return scan_parts(s, it.texts);
    return s.skip_value();
  });
}

// The response object of lifecycle events.
struct ResponseInfo {
  std::string_view id, model, status, reason;
  bool have_usage = false;
  Usage usage;
  std::string error_code, error_message;
};

bool scan_usage(JsonScanner& s, Usage& u) {
  return each_member(s, [&](std::string_view k) {
    if (k == "input_tokens") return read_count(s, u.input_tokens);
    if (k == "output_tokens") return read_count(s, u.output_tokens);
    if (k == "input_tokens_details") {
      return each_member(s, [&](std::string_view d) {
        return d == "cached_tokens" ? read_count(s, u.cache_read_tokens) : s.skip_value();
      });
    }
    if (k == "output_tokens_details") {
      return each_member(s, [&](std::string_view d) {
        return d == "reasoning_tokens" ? read_count(s, u.reasoning_tokens) : s.skip_value();
      });
    }
    return s.skip_value();
  });
}

bool scan_response(JsonScanner& s, ResponseInfo& r) {
  return each_member(s, [&](std::string_view k) {
    if (k == "id") return read_raw(s, r.id);
    if (k == "model") return read_raw(s, r.model);
    if (k == "status") return read_raw(s, r.status);
    if (k == "incomplete_details") {
      return each_member(s, [&](std::string_view d) {
        return d == "reason" ? read_raw(s, r.reason) : s.skip_value();
      });
    }
    if (k == "usage") {
      if (s.peek_kind() != JsonKind::kObject) return s.skip_value();
      r.have_usage = true;
      r.usage.known = true;
      return scan_usage(s, r.usage);
    }
    if (k == "error") {
      return each_member(s, [&](std::string_view d) {
        if (d == "code") return read_text(s, r.error_code);
        if (d == "message") return read_text(s, r.error_message);
        return s.skip_value();
      });
    }
    return s.skip_value();  // output, tools, instructions, ...
  });
}

}  // namespace

ResponsesStreamDecoder::ItemState& ResponsesStreamDecoder::item(int64_t index) {
  for (ItemState& it : items_)
    if (it.index == index) return it;
  items_.push_back(ItemState{index});
  return items_.back();
}

void ResponsesStreamDecoder::start(EventSink sink, std::string_view id, std::string_view model) {
  if (started_) return;
  started_ = true;
  StreamEvent e;
  e.kind = StreamEvent::Kind::kStart;
  e.id = id;
  e.name = model;
  sink(e);
}

void ResponsesStreamDecoder::feed(std::string_view event_name, std::string_view data,
                                  EventSink sink) {
  if (failure_) return;  // the stream is over for the client
  JsonScanner s(data);
  Top top;
  if (s.peek_kind() != JsonKind::kObject || !scan_top(s, top)) {
    ++malformed_;
    return;
  }
  const std::string_view type = event_name.empty() ? top.type : event_name;
  using K = StreamEvent::Kind;
  StreamEvent e;

  if (type == "response.output_text.delta" || type == "response.refusal.delta") {
    start(sink);
    item(top.output_index).text_streamed = true;
    if (top.delta.empty()) return;
    e.kind = K::kText;
    e.text = top.delta;
    sink(e);
    return;
  }
  if (type == "response.function_call_arguments.delta") {
    start(sink);
    ItemState& it = item(top.output_index);
    if (!it.call_started || top.delta.empty()) return;  // the done item supplies them
    it.args_streamed = true;
    e.kind = K::kToolArgs;
    e.index = static_cast<int>(top.output_index);
    e.text = top.delta;
    sink(e);
    return;
  }
  if (type == "response.reasoning_summary_text.delta") {
    start(sink);
    ItemState& it = item(top.output_index);
    if (top.delta.empty()) return;
    e.kind = K::kThinking;
    if (it.summary_streamed && top.summary_index != it.summary_index) {
      e.text = kParagraph;
      sink(e);
    }
    it.summary_streamed = true;
    it.summary_index = top.summary_index;
    e.text = top.delta;
    sink(e);
    return;
  }
  if (type == "response.output_item.added" || type == "response.output_item.done") {
    if (top.item_at == kNone) return;
    JsonScanner is(data);
    is.seek(top.item_at);
    ItemInfo info;
    if (!scan_item(is, info)) {
      ++malformed_;
      return;
    }
    start(sink);
    const bool done = type == "response.output_item.done";
    ItemState& it = item(top.output_index);
    e.index = static_cast<int>(top.output_index);
    if (info.type == "function_call") {
      if (!it.call_started) {
        it.call_started = true;
        any_call_ = true;
        e.kind = K::kToolCall;
        e.id = info.call_id;
        e.name = info.name;
        sink(e);
      }
      if (!it.args_streamed && !info.arguments.empty()) {
        it.args_streamed = true;
        e.kind = K::kToolArgs;
        e.id = {};
        e.name = {};
        e.text = info.arguments;
        sink(e);
      }
    } else if (info.type == "reasoning") {
      if (done && !it.summary_streamed) {
        e.kind = K::kThinking;
        for (size_t i = 0; i < info.summary.size(); ++i) {
          if (i) {
            e.text = kParagraph;
            sink(e);
          }
          e.text = info.summary[i];
          sink(e);
        }
      }
      e.kind = K::kReasoningItem;
      e.id = info.id;
      e.text = done ? info.encrypted : std::string_view();
      sink(e);
    } else if (info.type == "message" && done && !it.text_streamed) {
      it.text_streamed = true;
      e.kind = K::kText;
      for (std::string_view t : info.texts) {
        e.text = t;
        sink(e);
      }
    }
    return;
  }

  const bool completed = type == "response.completed";
  const bool incomplete = type == "response.incomplete";
  const bool lifecycle =
      type == "response.created" || type == "response.in_progress" || type == "response.queued";
  if (completed || incomplete || lifecycle || type == "response.failed") {
    ResponseInfo info;
    if (top.response_at != kNone) {
      JsonScanner rs(data);
      rs.seek(top.response_at);
      if (!scan_response(rs, info)) {
        ++malformed_;
        return;
      }
    }
    start(sink, info.id, info.model);
    if (lifecycle || done_ || failure_) return;
    if (type == "response.failed") {
      ApiError err = ApiError::bad_gateway(info.error_message.empty()
                                               ? "The Copilot API could not complete the response."
                                               : info.error_message);
      err.type = "server_error";
      err.code = std::move(info.error_code);
      failure_ = std::move(err);
      return;
    }
    done_ = true;
    e.kind = K::kFinish;
    e.finish = any_call_
                   ? FinishReason::kToolCalls
                   : parse_responses_finish(incomplete ? "incomplete" : info.status, info.reason);
    sink(e);
    if (info.have_usage) {
      usage_ = info.usage;
      StreamEvent u;
      u.kind = K::kUsage;
      u.usage = &usage_;
      sink(u);
    }
    return;
  }
  if (type == "error") {
    if (failure_ || done_) return;
    ApiError err = ApiError::bad_gateway("The Copilot API failed mid-stream.");
    err.type = "server_error";
    err.code.clear();
    std::string nested_type;
    if (top.error_at != kNone) {  // nested {error:{type, code, message, param}}
      JsonScanner es(data);
      es.seek(top.error_at);
      (void)each_member(es, [&](std::string_view k) {
        if (k == "type") return read_text(es, nested_type);
        if (k == "code") return read_text(es, top.code);
        if (k == "message") return read_text(es, top.message);
        if (k == "param") return read_text(es, top.param);
        return es.skip_value();
      });
    }
    if (!nested_type.empty()) err.type = std::move(nested_type);
    if (!top.message.empty()) err.message = std::move(top.message);
    err.code = std::move(top.code);
    err.param = std::move(top.param);
    failure_ = std::move(err);
  }
}

}  // namespace cg::translate
