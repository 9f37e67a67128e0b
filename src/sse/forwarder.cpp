// See forwarder.h. Pure.
#include "sse/forwarder.h"

namespace cg::sse {

void Forwarder::abandon(std::string& out) {
  if (streaming_) out.append("\n\n");
  streaming_ = keep_ = skip_lf_ = false;
  kept_.clear();
  framer_.reset();
}

void Forwarder::begin_streamed(std::string_view held) {
  streaming_ = true;
  comment_ = !held.empty() && held.front() == ':';
  name_.clear();
  if (held.starts_with("event:")) {
    const char* s = held.data() + 6;
    const char* end = find_eol(s, held.data() + held.size());
    if (s < end && *s == ' ') ++s;
    if (end < held.data() + held.size()) name_.assign(s, end);  // the whole line has arrived
  }
  // The framer holds an incomplete event, so its bytes never end in the blank line.
  const char last = held.empty() ? '\n' : held.back();
  line_start_ = last == '\n' || last == '\r';
  pending_cr_ = last == '\r';
}

size_t Forwarder::stream_part(std::string_view bytes, std::string& out) {
  const char* const p = bytes.data();
  const char* const end = p + bytes.size();
  const char* s = p;
  const char* stop = end;  // end of this event's bytes in `bytes`
  if (pending_cr_) {
    pending_cr_ = false;
    if (*s == '\n') ++s;
  }
  while (s < end) {
    const char* e = find_eol(s, end);
    if (e == end) {
      line_start_ = false;
      break;
    }
    if (e == s && line_start_) {  // a blank line: the event ends with it
      stop = e + 1;
      if (*e == '\r') {
        if (stop == end) {
          skip_lf_ = true;
        } else if (*stop == '\n') {
          ++stop;
        }
      }
      streaming_ = false;
      break;
    }
    line_start_ = true;
    s = e + 1;
    if (*e == '\r') {
      if (s == end) {
        pending_cr_ = true;
      } else if (*s == '\n') {
        ++s;
      }
    }
  }
  const auto part = std::string_view(p, static_cast<size_t>(stop - p));
  out.append(part);
  if (keep_) {
    if (kept_.size() + part.size() <= max_) {
      kept_.append(part);
    } else {
      keep_ = false;  // too large to keep: reported without its data
      kept_.clear();
      kept_.shrink_to_fit();
    }
  }
  return part.size();
}

void Forwarder::take_streamed(Event& ev) {
  if (keep_ && framer_.parse_event(kept_, ev)) {
    ev.raw = {};
  } else {
    ev = Event{};
    ev.event = name_;
    ev.is_comment_only = comment_;
  }
  keep_ = false;
}

}  // namespace cg::sse
