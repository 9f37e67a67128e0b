// See chat_stream_decoder.h.
#include "translate/chat_stream_decoder.h"

#include <cstring>

#include "translate/from_chat_response.h"
#include "translate/scan_util.h"
#include "wire/json_scan.h"

namespace cg::translate {

namespace {

using wire::JsonKind;
using wire::JsonMember;
using wire::JsonScanner;
using wire::JsonString;

bool read_usage(JsonScanner& s, Usage& u) {
  if (s.peek_kind() != JsonKind::kObject) return s.skip_value();
  const std::string_view t = s.text();
  if (!s.enter_object()) return false;
  u.known = true;
  JsonMember m;
  while (s.next_member(m)) {
    const std::string_view k = plain_key(t, m);
    if (k == "prompt_tokens") {
      if (!read_count(s, u.input_tokens)) return false;
    } else if (k == "completion_tokens") {
      if (!read_count(s, u.output_tokens)) return false;
    } else if ((k == "prompt_tokens_details" || k == "completion_tokens_details") &&
               s.peek_kind() == JsonKind::kObject) {
      if (!s.enter_object()) return false;
      JsonMember d;
      while (s.next_member(d)) {
        const std::string_view dk = plain_key(t, d);
        if (dk == "cached_tokens") {
          if (!read_count(s, u.cache_read_tokens)) return false;
        } else if (dk == "cache_creation_input_tokens") {
          if (!read_count(s, u.cache_creation_tokens)) return false;
        } else if (dk == "reasoning_tokens") {
          if (!read_count(s, u.reasoning_tokens)) return false;
        } else if (!s.skip_value()) {
          return false;
        }
      }
      if (!s.ok()) return false;
    } else if (!s.skip_value()) {
      return false;
    }
  }
  return s.ok();
}

}  // namespace

ChatStreamDecoder::Call& ChatStreamDecoder::call(int key) {
  for (Call& c : calls_)
    if (c.key == key) return c;
  calls_.push_back(Call{key, false, {}, {}, {}});
  return calls_.back();
}

// One `tool_calls` array of a delta: kToolCall when a call's id and name are first known (its
// earlier argument fragments held until then), kToolArgs for every fragment.
bool ChatStreamDecoder::decode_tool_calls(JsonScanner& s, int64_t choice_index, EventSink sink) {
  if (s.peek_kind() != JsonKind::kArray) return s.skip_value();
  const std::string_view t = s.text();
  if (!s.enter_array()) return false;
  wire::JsonElement el;
  while (s.next_element(el)) {
    if (s.peek_kind() != JsonKind::kObject) {
      if (!s.skip_value()) return false;
      continue;
    }
    if (!s.enter_object()) return false;
    int64_t index = static_cast<int64_t>(el.index) - 1;
    std::string_view id, name, args;
    JsonMember m;
    while (s.next_member(m)) {
      const std::string_view k = plain_key(t, m);
      if (k == "index") {
        if (!read_count(s, index)) return false;
      } else if (k == "id") {
        if (!read_raw(s, id)) return false;
      } else if (k == "function" && s.peek_kind() == JsonKind::kObject) {
        if (!s.enter_object()) return false;
        JsonMember f;
        while (s.next_member(f)) {
          const std::string_view fk = plain_key(t, f);
          if (fk == "name") {
            if (!read_raw(s, name)) return false;
          } else if (fk == "arguments") {
            if (!read_raw(s, args)) return false;
          } else if (!s.skip_value()) {
            return false;
          }
        }
        if (!s.ok()) return false;
      } else if (!s.skip_value()) {
        return false;
      }
    }
    if (!s.ok()) return false;
    const int key = static_cast<int>(choice_index * 1024 + (index & 1023));
    Call& c = call(key);
    StreamEvent e;
    e.index = key;
    if (!c.started) {
      if (!id.empty()) c.id.assign(id);
      if (!name.empty()) c.name.assign(name);
      if (c.id.empty() || c.name.empty()) {
        c.pending_args.append(args);
        continue;
      }
      c.started = true;
      e.kind = StreamEvent::Kind::kToolCall;
      e.id = c.id;
      e.name = c.name;
      sink(e);
      if (!c.pending_args.empty()) {
        e.kind = StreamEvent::Kind::kToolArgs;
        e.text = c.pending_args;
        sink(e);
        c.pending_args.clear();
      }
    }
    if (!args.empty()) {
      e.kind = StreamEvent::Kind::kToolArgs;
      e.text = args;
      sink(e);
    }
  }
  return s.ok();
}

// One `delta` (or `message`) object: reasoning, then its signature, then text, then tool calls,
// whatever the member order.
bool ChatStreamDecoder::decode_delta(JsonScanner& s, int64_t choice_index, EventSink sink) {
  if (s.peek_kind() != JsonKind::kObject) return s.skip_value();
  const std::string_view t = s.text();
  if (!s.enter_object()) return false;
  std::string_view content, reasoning, opaque;
  size_t tools_at = std::string_view::npos;
  JsonMember m;
  while (s.next_member(m)) {
    const std::string_view k = plain_key(t, m);
    bool ok = true;
    if (k == "content") {
      ok = read_raw(s, content);
    } else if (k == "reasoning_text" || k == "reasoning_content") {
      ok = read_raw(s, reasoning);
    } else if (k == "reasoning_opaque") {
      ok = read_raw(s, opaque);
    } else if (k == "tool_calls") {
      tools_at = s.pos();
      ok = s.skip_value();
    } else {
      ok = s.skip_value();
    }
    if (!ok) return false;
  }
  if (!s.ok()) return false;
  StreamEvent e;
  if (!reasoning.empty()) {
    e.kind = StreamEvent::Kind::kThinking;
    e.text = reasoning;
    sink(e);
  }
  if (!opaque.empty()) {
    e.kind = StreamEvent::Kind::kSignature;
    e.text = opaque;
    sink(e);
  }
  if (!content.empty()) {
    e.kind = StreamEvent::Kind::kText;
    e.text = content;
    sink(e);
  }
  if (tools_at == std::string_view::npos) return true;
  JsonScanner tools(t);
  tools.seek(tools_at);
  return decode_tool_calls(tools, choice_index, sink);
}

// The `choices` array: each choice's delta, then its finish reason. A choice's `index` usually
// comes first; when the delta precedes it, the delta is decoded once the index is known.
bool ChatStreamDecoder::decode_choices(JsonScanner& s, EventSink sink) {
  if (s.peek_kind() != JsonKind::kArray) return s.skip_value();
  const std::string_view t = s.text();
  if (!s.enter_array()) return false;
  wire::JsonElement el;
  while (s.next_element(el)) {
    if (s.peek_kind() != JsonKind::kObject) {
      if (!s.skip_value()) return false;
      continue;
    }
    if (!s.enter_object()) return false;
    int64_t choice_index = static_cast<int64_t>(el.index) - 1;
    bool index_known = false;
    std::string_view finish;
    size_t delta_at = std::string_view::npos;
    JsonMember m;
    while (s.next_member(m)) {
      const std::string_view k = plain_key(t, m);
      bool ok = true;
      if (k == "index") {
        ok = read_count(s, choice_index);
        index_known = true;
      } else if (k == "delta" || k == "message") {
        if (index_known) {
          ok = decode_delta(s, choice_index, sink);
        } else {
          delta_at = s.pos();
          ok = s.skip_value();
        }
      } else if (k == "finish_reason") {
        ok = read_raw(s, finish);
      } else {
        ok = s.skip_value();
      }
      if (!ok) return false;
    }
    if (!s.ok()) return false;
    if (delta_at != std::string_view::npos) {
      JsonScanner d(t);
      d.seek(delta_at);
      if (!decode_delta(d, choice_index, sink)) return false;
    }
    if (!finish.empty()) {
      StreamEvent e;
      e.kind = StreamEvent::Kind::kFinish;
      e.finish = parse_chat_finish(finish);
      sink(e);
    }
  }
  return s.ok();
}

bool ChatStreamDecoder::decode_same_shape(std::string_view data, EventSink sink) {
  const std::string_view prefix = shape_.prefix.view();
  const std::string_view suffix = shape_.suffix.view();
  if (data.size() < prefix.size() + suffix.size()) return false;
  if (std::memcmp(data.data(), prefix.data(), prefix.size()) != 0) return false;
  if (std::memcmp(data.data() + data.size() - suffix.size(), suffix.data(), suffix.size()) != 0) {
    return false;
  }
  const std::string_view body =
      data.substr(prefix.size(), data.size() - prefix.size() - suffix.size());
  if (!wire::is_string_body(body)) return false;
  if (body.empty()) return true;  // an empty fragment: nothing to say (as on the full path)
  StreamEvent e;
  e.kind = shape_.kind;
  e.index = shape_.index;
  e.text = body;
  sink(e);
  return true;
}

void ChatStreamDecoder::learn_shape(std::string_view data, const StreamEvent& only) {
  const char* const begin = only.text.data();
  if (only.text.empty() || begin <= data.data() ||
      begin + only.text.size() >= data.data() + data.size()) {
    return;  // not a view of this chunk's bytes (e.g. held-back tool arguments)
  }
  const size_t at = static_cast<size_t>(begin - data.data());
  const std::string_view prefix = data.substr(0, at);
  const std::string_view suffix = data.substr(at + only.text.size());
  if (prefix.back() != '"' || suffix.front() != '"') return;
  shape_.kind = only.kind;
  shape_.index = only.index;
  // A prefix or suffix too long to keep inline is not learned (its chunks take the full path).
  shape_.valid = shape_.prefix.assign(prefix) && shape_.suffix.assign(suffix);
}

void ChatStreamDecoder::feed(std::string_view data, EventSink sink) {
  if (data == "[DONE]") {
    done_ = true;
    return;
  }
  if (shape_.valid && decode_same_shape(data, sink)) {
    ++same_shape_chunks_;
    return;
  }
  // The full path, counting what it emits: a chunk that said exactly one text fragment
  // teaches the shape of the next ones.
  int emitted = 0;
  StreamEvent only;
  auto counting = [&](const StreamEvent& e) {
    ++emitted;
    only = e;
    sink(e);
  };
  const size_t malformed_before = malformed_;
  decode_chunk(data, EventSink(counting));
  if (learn_shapes_ && emitted == 1 && malformed_ == malformed_before && !failure_ &&
      (only.kind == StreamEvent::Kind::kText || only.kind == StreamEvent::Kind::kThinking ||
       only.kind == StreamEvent::Kind::kToolArgs)) {
    learn_shape(data, only);
  }
}

void ChatStreamDecoder::decode_chunk(std::string_view data, EventSink sink) {
  JsonScanner s(data);
  JsonMember m;
  // Chunks of one stream usually repeat the same members before `choices` (id, object,
  // created, model): when this one does, the scan starts at the choices value.
  const std::string_view envelope = envelope_.view();
  const bool same_envelope = learn_shapes_ && !envelope.empty() && data.size() > envelope.size() &&
                             std::memcmp(data.data(), envelope.data(), envelope.size()) == 0;
  if (same_envelope) {
    ++same_envelope_chunks_;
    s.seek(envelope.size());
    m.index = envelope_members_;
  } else if (s.peek_kind() != JsonKind::kObject || !s.enter_object()) {
    ++malformed_;
    return;
  }
  if (!started_) {
    // The answer's id and model are injected by the client encoders, so the start needs
    // nothing from the chunk.
    started_ = true;
    StreamEvent e;
    e.kind = StreamEvent::Kind::kStart;
    sink(e);
  }
  bool ok = same_envelope ? decode_choices(s, sink) : true;
  bool only_skipped = !same_envelope;  // every member so far was skipped unread
  size_t choices_at = std::string_view::npos;
  size_t choices_members = 0;
  while (ok && s.next_member(m)) {
    const std::string_view k = plain_key(data, m);
    if (k == "choices") {
      if (only_skipped) {
        choices_at = m.value_begin;
        choices_members = m.index;
      }
      only_skipped = false;
      ok = decode_choices(s, sink);
    } else if (k == "usage" && s.peek_kind() == JsonKind::kObject) {
      only_skipped = false;
      Usage u;
      ok = read_usage(s, u);
      if (ok) {
        usage_ = u;
        StreamEvent e;
        e.kind = StreamEvent::Kind::kUsage;
        e.usage = &usage_;
        sink(e);
      }
    } else if (k == "error" && s.peek_kind() == JsonKind::kObject) {
      only_skipped = false;
      ok = read_error(s);
    } else {
      ok = s.skip_value();
    }
  }
  if (!ok || !s.ok()) {
    ++malformed_;
    return;
  }
  if (choices_at != std::string_view::npos && !failure_) {
    envelope_.assign(data.substr(0, choices_at));
    envelope_members_ = choices_members;
  }
}

// An `{"error":{...}}` chunk: the stream failed upstream.
bool ChatStreamDecoder::read_error(JsonScanner& s) {
  const std::string_view t = s.text();
  std::string message = "The Copilot API reported an error mid-stream";
  if (!s.enter_object()) return false;
  JsonMember m;
  while (s.next_member(m)) {
    if (plain_key(t, m) == "message" && s.peek_kind() == JsonKind::kString) {
      std::string text;
      if (!s.read_string(text)) return false;
      message += ": " + text.substr(0, 500);
    } else if (!s.skip_value()) {
      return false;
    }
  }
  if (!s.ok()) return false;
  if (!failure_) failure_ = ApiError::bad_gateway(message + ".");
  done_ = true;
  return true;
}

}  // namespace cg::translate
