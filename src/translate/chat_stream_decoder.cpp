// See chat_stream_decoder.h.
#include "translate/chat_stream_decoder.h"

#include "translate/from_chat_response.h"
#include "wire/json_scan.h"

namespace cg::translate {

namespace {

using wire::JsonKind;
using wire::JsonMember;
using wire::JsonScanner;
using wire::JsonString;

bool key_is(std::string_view text, const JsonMember& m, std::string_view k) {
  return !m.key.has_escapes && m.key.raw(text) == k;
}

// Reads a string value (raw view) or skips a non-string; returns false on a scan error.
bool read_raw(JsonScanner& s, std::string_view& out, bool& is_string) {
  is_string = s.peek_kind() == JsonKind::kString;
  if (!is_string) return s.skip_value();
  JsonString js;
  if (!s.read_string(js)) return false;
  out = js.raw(s.text());
  return true;
}

bool read_int(JsonScanner& s, int64_t& out) {
  if (s.peek_kind() != JsonKind::kNumber) return s.skip_value();
  std::string_view tok;
  if (!s.read_number(tok)) return false;
  if (!wire::parse_int64(tok, out)) out = 0;
  return true;
}

bool read_usage(JsonScanner& s, Usage& u) {
  if (s.peek_kind() != JsonKind::kObject) return s.skip_value();
  const std::string_view t = s.text();
  if (!s.enter_object()) return false;
  u.known = true;
  JsonMember m;
  while (s.next_member(m)) {
    if (key_is(t, m, "prompt_tokens")) {
      if (!read_int(s, u.input_tokens)) return false;
    } else if (key_is(t, m, "completion_tokens")) {
      if (!read_int(s, u.output_tokens)) return false;
    } else if ((key_is(t, m, "prompt_tokens_details") ||
                key_is(t, m, "completion_tokens_details")) &&
               s.peek_kind() == JsonKind::kObject) {
      if (!s.enter_object()) return false;
      JsonMember d;
      while (s.next_member(d)) {
        if (key_is(t, d, "cached_tokens")) {
          if (!read_int(s, u.cache_read_tokens)) return false;
        } else if (key_is(t, d, "cache_creation_input_tokens")) {
          if (!read_int(s, u.cache_creation_tokens)) return false;
        } else if (key_is(t, d, "reasoning_tokens")) {
          if (!read_int(s, u.reasoning_tokens)) return false;
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

void ChatStreamDecoder::feed(std::string_view data, EventSink sink) {
  if (data == "[DONE]") {
    done_ = true;
    return;
  }
  JsonScanner s(data);
  if (s.peek_kind() != JsonKind::kObject || !s.enter_object()) {
    ++malformed_;
    return;
  }
  std::string_view id, model;
  bool have_usage = false;
  Usage usage = usage_;
  // The top level is scanned once (id, model, usage, error; the offset of "choices"), then the
  // choices are walked from that offset, so kStart can precede their events wherever "id" is.
  JsonMember m;
  const std::string_view t = data;
  size_t choices_at = std::string_view::npos;
  bool is_str = false;
  while (s.next_member(m)) {
    if (key_is(t, m, "id")) {
      if (!read_raw(s, id, is_str)) break;
    } else if (key_is(t, m, "model")) {
      if (!read_raw(s, model, is_str)) break;
    } else if (key_is(t, m, "choices")) {
      choices_at = s.pos();
      if (!s.skip_value()) break;
    } else if (key_is(t, m, "error") && s.peek_kind() == JsonKind::kObject) {
      std::string message = "The Copilot API reported an error mid-stream";
      if (!s.enter_object()) break;
      JsonMember em;
      while (s.next_member(em)) {
        if (key_is(t, em, "message") && s.peek_kind() == JsonKind::kString) {
          std::string text;
          if (!s.read_string(text)) break;
          message += ": " + text.substr(0, 500);
        } else if (!s.skip_value()) {
          break;
        }
      }
      if (!s.ok()) break;
      if (!failure_) failure_ = ApiError::bad_gateway(message + ".");
      done_ = true;
    } else if (key_is(t, m, "usage")) {
      if (s.peek_kind() == JsonKind::kObject) {
        usage = Usage{};
        if (!read_usage(s, usage)) break;
        have_usage = true;
      } else if (!s.skip_value()) {
        break;
      }
    } else if (!s.skip_value()) {
      break;
    }
  }
  if (!s.ok()) {
    ++malformed_;
    return;
  }
  if (!started_) {
    started_ = true;
    StreamEvent e;
    e.kind = StreamEvent::Kind::kStart;
    e.id = id;
    e.name = model;
    sink(e);
  }
  if (choices_at != std::string_view::npos) {
    JsonScanner c(data);
    c.seek(choices_at);
    if (c.peek_kind() == JsonKind::kArray && c.enter_array()) {
      wire::JsonElement el;
      int choice_no = 0;
      while (c.next_element(el)) {
        if (c.peek_kind() != JsonKind::kObject) {
          if (!c.skip_value()) break;
          continue;
        }
        if (!c.enter_object()) break;
        int64_t choice_index = choice_no++;
        std::string_view finish;
        bool finish_is_str = false;
        size_t delta_at = std::string_view::npos;
        JsonMember cm;
        while (c.next_member(cm)) {
          if (key_is(t, cm, "index")) {
            if (!read_int(c, choice_index)) break;
          } else if (key_is(t, cm, "finish_reason")) {
            if (!read_raw(c, finish, finish_is_str)) break;
          } else if (key_is(t, cm, "delta") || key_is(t, cm, "message")) {
            delta_at = c.pos();
            if (!c.skip_value()) break;
          } else if (!c.skip_value()) {
            break;
          }
        }
        if (!c.ok()) break;
        if (delta_at != std::string_view::npos) {
          JsonScanner d(data);
          d.seek(delta_at);
          if (d.peek_kind() == JsonKind::kObject && d.enter_object()) {
            std::string_view content, reasoning, opaque;
            size_t tools_at = std::string_view::npos;
            JsonMember dm;
            bool str = false;
            while (d.next_member(dm)) {
              if (key_is(t, dm, "content")) {
                if (!read_raw(d, content, str)) break;
              } else if (key_is(t, dm, "reasoning_text") || key_is(t, dm, "reasoning_content")) {
                if (!read_raw(d, reasoning, str)) break;
              } else if (key_is(t, dm, "reasoning_opaque")) {
                if (!read_raw(d, opaque, str)) break;
              } else if (key_is(t, dm, "tool_calls")) {
                tools_at = d.pos();
                if (!d.skip_value()) break;
              } else if (!d.skip_value()) {
                break;
              }
            }
            if (!d.ok()) {
              ++malformed_;
              return;
            }
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
            if (tools_at != std::string_view::npos) {
              JsonScanner tc(data);
              tc.seek(tools_at);
              if (tc.peek_kind() == JsonKind::kArray && tc.enter_array()) {
                wire::JsonElement te;
                while (tc.next_element(te)) {
                  if (tc.peek_kind() != JsonKind::kObject) {
                    if (!tc.skip_value()) break;
                    continue;
                  }
                  if (!tc.enter_object()) break;
                  int64_t index = static_cast<int64_t>(te.index) - 1;
                  std::string_view cid, name, args;
                  JsonMember tm;
                  while (tc.next_member(tm)) {
                    if (key_is(t, tm, "index")) {
                      if (!read_int(tc, index)) break;
                    } else if (key_is(t, tm, "id")) {
                      if (!read_raw(tc, cid, str)) break;
                    } else if (key_is(t, tm, "function") && tc.peek_kind() == JsonKind::kObject) {
                      if (!tc.enter_object()) break;
                      JsonMember fm;
                      while (tc.next_member(fm)) {
                        if (key_is(t, fm, "name")) {
                          if (!read_raw(tc, name, str)) break;
                        } else if (key_is(t, fm, "arguments")) {
                          if (!read_raw(tc, args, str)) break;
                        } else if (!tc.skip_value()) {
                          break;
                        }
                      }
                      if (!tc.ok()) break;
                    } else if (!tc.skip_value()) {
                      break;
                    }
                  }
                  if (!tc.ok()) break;
                  const int key = static_cast<int>(choice_index * 1024 + (index & 1023));
                  Call& cl = call(key);
                  if (!cl.started) {
                    if (!cid.empty()) cl.id.assign(cid);
                    if (!name.empty()) cl.name.assign(name);
                    if (cl.id.empty() || cl.name.empty()) {
                      cl.pending_args.append(args);
                      continue;
                    }
                    cl.started = true;
                    e.kind = StreamEvent::Kind::kToolCall;
                    e.index = key;
                    e.id = cl.id;
                    e.name = cl.name;
                    e.text = {};
                    sink(e);
                    if (!cl.pending_args.empty()) {
                      e.kind = StreamEvent::Kind::kToolArgs;
                      e.text = cl.pending_args;
                      sink(e);
                      cl.pending_args.clear();
                    }
                  }
                  if (!args.empty()) {
                    e.kind = StreamEvent::Kind::kToolArgs;
                    e.index = key;
                    e.text = args;
                    sink(e);
                  }
                }
              }
              if (!tc.ok()) {
                ++malformed_;
                return;
              }
            }
          }
        }
        if (!finish.empty()) {
          StreamEvent e;
          e.kind = StreamEvent::Kind::kFinish;
          e.finish = parse_chat_finish(finish);
          sink(e);
        }
      }
      if (!c.ok()) ++malformed_;
    }
  }
  if (have_usage) {
    usage_ = usage;
    StreamEvent e;
    e.kind = StreamEvent::Kind::kUsage;
    e.usage = &usage_;
    sink(e);
  }
}

}  // namespace cg::translate
