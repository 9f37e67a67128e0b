// See anthropic_stream_decoder.h.
#include "translate/anthropic_stream_decoder.h"

#include "translate/json_util.h"

#include "core/json_escape.h"
#include "translate/from_anthropic_response.h"
#include "translate/scan_util.h"
#include "wire/json_scan.h"
#include "wire/openai/errors.h"

namespace cg::translate {

namespace {

using wire::JsonKind;
using wire::JsonMember;
using wire::JsonScanner;
using wire::JsonString;

constexpr size_t kNone = std::string_view::npos;

// Where the parts of an event are (offsets into the data), and its scalar members.
struct Top {
  std::string_view type;
  int64_t index = -1;
  size_t message_at = kNone, block_at = kNone, delta_at = kNone, usage_at = kNone, error_at = kNone;
};

bool scan_top(JsonScanner& s, Top& t) {
  return each_member(s, [&](std::string_view k) {
    if (k == "type") return read_raw(s, t.type);
    if (k == "index") return read_int(s, t.index);
    size_t* at = k == "message"         ? &t.message_at
                 : k == "content_block" ? &t.block_at
                 : k == "delta"         ? &t.delta_at
                 : k == "usage"         ? &t.usage_at
                 : k == "error"         ? &t.error_at
                                        : nullptr;
    if (at) *at = s.pos();
    return s.skip_value();
  });
}

template <class Raw>
bool scan_usage(JsonScanner& s, Raw& u) {
  return each_member(s, [&](std::string_view k) {
    if (k == "input_tokens") return read_int(s, u.input);
    if (k == "cache_read_input_tokens") return read_int(s, u.cache_read);
    if (k == "cache_creation_input_tokens") return read_int(s, u.cache_creation);
    if (k == "output_tokens") return read_int(s, u.output);
    return s.skip_value();  // cache_creation {...}, server_tool_use, copilot_usage, ...
  });
}

// The members of a content block or a delta that the decoder reads.
struct Part {
  std::string_view type, id, name, text, thinking, signature, data, partial_json, stop_reason,
      stop_sequence;
  wire::Span input;  // tool_use start: the input object's bytes
};

bool scan_part(JsonScanner& s, Part& p) {
  return each_member(s, [&](std::string_view k) {
    if (k == "type") return read_raw(s, p.type);
    if (k == "id") return read_raw(s, p.id);
    if (k == "name") return read_raw(s, p.name);
    if (k == "text") return read_raw(s, p.text);
    if (k == "thinking") return read_raw(s, p.thinking);
    if (k == "signature") return read_raw(s, p.signature);
    if (k == "data") return read_raw(s, p.data);
    if (k == "partial_json") return read_raw(s, p.partial_json);
    if (k == "stop_reason") return read_raw(s, p.stop_reason);
    if (k == "stop_sequence") return read_raw(s, p.stop_sequence);
    if (k == "input" && s.peek_kind() == JsonKind::kObject) return s.skip_value(p.input);
    return s.skip_value();
  });
}

}  // namespace

int anthropic_error_status(std::string_view type) {
  if (type == "invalid_request_error") return 400;
  if (type == "authentication_error") return 401;
  if (type == "billing_error") return 402;
  if (type == "permission_error") return 403;
  if (type == "not_found_error") return 404;
  if (type == "request_too_large") return 413;
  if (type == "rate_limit_error") return 429;
  if (type == "api_error") return 500;
  if (type == "timeout_error") return 504;
  if (type == "overloaded_error") return 529;
  return 502;
}

void AnthropicStreamDecoder::start(EventSink sink, std::string_view id, std::string_view model) {
  if (started_) return;
  started_ = true;
  StreamEvent e;
  e.kind = StreamEvent::Kind::kStart;
  e.id = id;
  e.name = model;
  sink(e);
}

void AnthropicStreamDecoder::emit_usage(EventSink sink) {
  usage_.known = true;
  usage_.cache_read_tokens = clamp_count(raw_.cache_read);
  usage_.cache_creation_tokens = clamp_count(raw_.cache_creation);
  usage_.input_tokens =
      clamp_count(raw_.input) + usage_.cache_read_tokens + usage_.cache_creation_tokens;
  usage_.output_tokens = clamp_count(raw_.output);
  StreamEvent e;
  e.kind = StreamEvent::Kind::kUsage;
  e.usage = &usage_;
  sink(e);
}

AnthropicStreamDecoder::BlockKind AnthropicStreamDecoder::block_kind(int64_t index) const {
  for (size_t i = blocks_.size(); i-- > 0;)
    if (blocks_[i].index == index) return blocks_[i].kind;
  return BlockKind::kOther;
}

void AnthropicStreamDecoder::feed(std::string_view event_name, std::string_view data,
                                  EventSink sink) {
  if (failure_ || done_) return;
  JsonScanner s(data);
  Top top;
  if (s.peek_kind() != JsonKind::kObject || !scan_top(s, top)) {
    ++malformed_;
    return;
  }
  const std::string_view type = event_name.empty() ? top.type : event_name;
  using K = StreamEvent::Kind;
  StreamEvent e;
  e.index = static_cast<int>(top.index);

  // Reads the part (content block or delta) at `at`; false when it is malformed.
  auto part = [&](size_t at, Part& p) {
    if (at == kNone) return true;
    JsonScanner ps(data);
    ps.seek(at);
    if (scan_part(ps, p)) return true;
    ++malformed_;
    return false;
  };
  auto usage_at = [&](JsonScanner& us, size_t at) {
    if (at == kNone) return false;
    us.seek(at);
    if (us.peek_kind() != JsonKind::kObject) return false;
    RawUsage raw = raw_;
    if (!scan_usage(us, raw)) return false;
    raw_ = raw;
    return true;
  };

  if (type == "content_block_delta") {
    Part d;
    if (!part(top.delta_at, d)) return;
    start(sink);
    if (d.type == "text_delta") {
      e.kind = K::kText;
      e.text = d.text;
    } else if (d.type == "thinking_delta") {
      e.kind = K::kThinking;
      e.text = d.thinking;
    } else if (d.type == "signature_delta") {
      e.kind = K::kSignature;
      e.text = d.signature;
    } else if (d.type == "input_json_delta" && block_kind(top.index) == BlockKind::kTool) {
      e.kind = K::kToolArgs;
      e.text = d.partial_json;
    } else {
      return;  // citations_delta, deltas of server-tool blocks, ...
    }
    if (!e.text.empty()) sink(e);
    return;
  }
  if (type == "content_block_start") {
    Part b;
    if (!part(top.block_at, b)) return;
    start(sink);
    BlockKind kind = BlockKind::kOther;
    if (b.type == "text") {
      kind = BlockKind::kText;
      e.kind = K::kText;
      e.text = b.text;
      if (!e.text.empty()) sink(e);
    } else if (b.type == "thinking") {
      kind = BlockKind::kThinking;
      e.kind = K::kThinking;
      e.text = b.thinking;
      if (!e.text.empty()) sink(e);
      e.kind = K::kSignature;
      e.text = b.signature;
      if (!e.text.empty()) sink(e);
    } else if (b.type == "redacted_thinking") {
      kind = BlockKind::kRedacted;
      e.kind = K::kRedacted;
      e.text = b.data;
      sink(e);
    } else if (b.type == "tool_use") {
      kind = BlockKind::kTool;
      e.kind = K::kToolCall;
      e.id = b.id;
      e.name = b.name;
      sink(e);
      const std::string_view input = data.substr(b.input.begin, b.input.size());
      if (b.input.size() > 2 && input.find_first_not_of(" \t\r\n", 1) != input.size() - 1) {
        scratch_.clear();
        append_json_escaped(scratch_, input);
        e.kind = K::kToolArgs;
        e.id = {};
        e.name = {};
        e.text = scratch_;
        sink(e);
      }
    }
    blocks_.push_back(BlockState{top.index, kind});
    return;
  }
  if (type == "message_start") {
    std::string_view id, model;
    bool have_usage = false;
    if (top.message_at != kNone) {
      JsonScanner ms(data);
      ms.seek(top.message_at);
      const bool ok = each_member(ms, [&](std::string_view k) {
        if (k == "id") return read_raw(ms, id);
        if (k == "model") return read_raw(ms, model);
        if (k == "usage" && ms.peek_kind() == JsonKind::kObject) {
          have_usage = true;
          return scan_usage(ms, raw_);
        }
        return ms.skip_value();
      });
      if (!ok) {
        ++malformed_;
        return;
      }
    }
    start(sink, id, model);
    if (have_usage) emit_usage(sink);
    return;
  }
  if (type == "message_delta") {
    Part d;
    if (!part(top.delta_at, d)) return;
    JsonScanner us(data);
    const bool have_usage = usage_at(us, top.usage_at);
    if (top.usage_at != kNone && !us.ok()) {
      ++malformed_;
      return;
    }
    start(sink);
    e.kind = K::kFinish;
    e.finish = parse_anthropic_stop_reason(d.stop_reason);
    if (e.finish == FinishReason::kStopSequence) e.text = d.stop_sequence;
    if (e.finish != FinishReason::kNone) sink(e);
    if (have_usage) emit_usage(sink);
    return;
  }
  if (type == "message_stop") {
    start(sink);
    done_ = true;
    return;
  }
  if (type == "error") {
    std::string error_type, message;
    if (top.error_at != kNone) {
      JsonScanner es(data);
      es.seek(top.error_at);
      (void)each_member(es, [&](std::string_view k) {
        if (k == "type") return read_text(es, error_type);
        if (k == "message") return read_text(es, message);
        return es.skip_value();
      });
    }
    ApiError err;
    err.status = anthropic_error_status(error_type);
    err.type = error_type.empty() ? "api_error" : std::move(error_type);
    err.message = message.empty() ? std::string("The Copilot API failed mid-stream.")
                                  : wire::openai::redact_secrets(message);
    failure_ = std::move(err);
  }
}

}  // namespace cg::translate
