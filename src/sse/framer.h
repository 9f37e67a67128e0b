// sse::Framer: incremental Server-Sent-Events splitter. Fed upstream body fragments with arbitrary
// boundaries, it calls back once per complete event with views of the event's raw bytes and its
// parsed `event:` / `data:` fields. Events that are complete inside one fragment are parsed in
// place (no copy); only an incomplete tail is kept in one compacted buffer, bounded by
// max_event_bytes. Pure; one Framer belongs to one stream (one thread).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace cg::sse {

// First '\n' or '\r' in [s, end), or end.
const char* find_eol(const char* s, const char* end);

struct Event {
  std::string_view raw;    // the whole event text including its terminating blank line, as received
  std::string_view event;  // "event:" field or empty
  std::string_view data;   // data field(s); multiple data lines joined by '\n'
  bool is_comment_only = false;  // only ":" comment lines (keep-alives)
};

class Framer {
 public:
  static constexpr size_t kDefaultMaxEventBytes = size_t{16} << 20;

  explicit Framer(size_t max_event_bytes = kDefaultMaxEventBytes) : max_(max_event_bytes) {}

  // Feeds the next fragment; calls on_event(const Event&) for each complete event (views valid
  // only during the call). Returns false once an event grew beyond max_event_bytes; the framer
  // then stays failed (everything is dropped) until reset().
  template <class F>
  bool feed(std::string_view bytes, F&& on_event) {
    if (failed_) return false;
    if (skip_lf_ && !bytes.empty()) {
      skip_lf_ = false;
      if (bytes.front() == '\n') bytes.remove_prefix(1);  // second half of a "\r\n" terminator
    }
    if (buf_.empty()) {
      size_t used = drain(bytes.data(), bytes.size(), on_event);
      if (failed_) return false;
      if (used < bytes.size()) buf_.assign(bytes.data() + used, bytes.size() - used);
    } else {
      buf_.append(bytes);
      size_t used = drain(buf_.data(), buf_.size(), on_event);
      if (failed_) return fail();
      buf_.erase(0, used);
    }
    if (buf_.size() > max_) return fail();
    return true;
  }

  // End of stream: delivers a final event that was not terminated by a blank line, then resets.
  template <class F>
  void finish(F&& on_event) {
    if (!failed_ && !buf_.empty()) {
      Event ev;
      if (parse_event(buf_, ev)) on_event(static_cast<const Event&>(ev));
    }
    reset();
  }

  // Buffered bytes of the incomplete event.
  std::string_view pending() const { return buf_; }
  bool failed() const { return failed_; }
  void reset();

 private:
  template <class F>
  size_t drain(const char* p, size_t n, F& on_event) {
    size_t used = 0;
    while (size_t len = find_event_end(p + used, n - used)) {
      if (len > max_) {
        fail();
        return used;
      }
      Event ev;
      if (parse_event(std::string_view(p + used, len), ev, single_line_))
        on_event(static_cast<const Event&>(ev));
      used += len;
    }
    return used;
  }

  // Length of the event starting at p (terminator included), or 0 when incomplete. Resumes the
  // search where the previous call stopped (line_start_/scan_ are relative to p).
  size_t find_event_end(const char* p, size_t n);
  // Parses the lines of `raw`; false when it holds no line at all (stray blank line).
  // `single_line`: find_event_end saw exactly one line before the blank one.
  bool parse_event(std::string_view raw, Event& ev, bool single_line = false);
  bool fail();

  friend class Forwarder;  // parses the events it kept; forwards the '\n' skip_lf_ drops

  size_t max_;
  std::string buf_;           // incomplete event bytes
  std::string data_;          // scratch for multi-line data
  size_t line_start_ = 0;     // start of the current line, relative to the event start
  size_t scan_ = 0;           // where the search for the next line end resumes
  size_t lines_ = 0;          // non-blank lines seen in the current event
  bool single_line_ = false;  // the event find_event_end just returned had one line
  bool skip_lf_ = false;      // the last event ended with '\r' at the end of a fragment
  bool failed_ = false;
};

}  // namespace cg::sse
