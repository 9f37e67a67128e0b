// sse::Forwarder: passes an SSE stream through byte for byte while telling its owner about each
// event, without holding large events whole.
//
// Events that complete within `stream_above` bytes go to `out` whole, as sse::Framer frames them
// (so an upstream failure between events can end the stream with a clean error event). An event
// still incomplete past `stream_above` bytes is streamed instead: what arrived of it goes to `out`
// at once, and its remaining bytes as they arrive. Such events are real: Responses'
// response.created / in_progress / completed echo the request's instructions and tools, ~90 KB
// each for a coding agent. The owner says by event name whose data it needs (`wants`); only those
// streamed events are copied aside (up to max_event_bytes), to be parsed when they end. Memory per
// stream: stream_above plus the wanted events. Pure; one Forwarder per stream (one thread).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "sse/framer.h"

namespace cg::sse {

class Forwarder {
 public:
  static constexpr size_t kDefaultStreamAbove = size_t{16} << 10;

  explicit Forwarder(size_t stream_above = kDefaultStreamAbove,
                     size_t max_event_bytes = Framer::kDefaultMaxEventBytes)
      : stream_above_(stream_above), max_(max_event_bytes), framer_(SIZE_MAX) {}

  // Appends to `out` every byte of `bytes` that may go to the client now, and calls
  // on_event(const Event&) once each event has gone out completely. wants(std::string_view name)
  // says whether the data of a streamed event of that name is needed. For a streamed event,
  // `event` is the name of its first line when that is an `event:` line (as every upstream sends
  // it) and `data` is its data when wanted and within max_event_bytes, else empty. `raw` is never
  // to be appended by the owner: the bytes have gone out already.
  template <class Wants, class OnEvent>
  void feed(std::string_view bytes, std::string& out, Wants&& wants, OnEvent&& on_event) {
    if (skip_lf_ && !bytes.empty()) {
      skip_lf_ = false;
      if (bytes.front() == '\n') {  // second half of a streamed event's "\r\n" terminator
        out.push_back('\n');
        bytes.remove_prefix(1);
      }
    }
    while (!bytes.empty()) {
      if (streaming_) {
        bytes.remove_prefix(stream_part(bytes, out));
        if (streaming_) return;
        end_streamed(on_event);
        continue;
      }
      // The framer drops the '\n' completing a "\r\n" that ended its last event; it goes out.
      if (framer_.skip_lf_ && bytes.front() == '\n') out.push_back('\n');
      framer_.feed(bytes, [&](const Event& e) {
        out.append(e.raw);
        on_event(e);
      });
      if (framer_.pending().size() > stream_above_) start_streaming(out, wants);
      return;
    }
  }

  // End of the upstream body: an event left without its blank line goes out (terminated, so that
  // what the owner appends next is an event of its own) and is reported.
  template <class OnEvent>
  void finish(std::string& out, OnEvent&& on_event) {
    skip_lf_ = false;
    if (streaming_) {
      out.append("\n\n");
      streaming_ = pending_cr_ = false;
      end_streamed(on_event);
    } else {
      framer_.finish([&](const Event& e) {
        out.append(e.raw).append("\n\n");
        on_event(e);
      });
    }
  }

  // The upstream broke off: drops a held incomplete event, and ends a streamed one with a blank
  // line so that the owner's error event stays an event of its own. (The client then sees the
  // truncated event first; only events larger than stream_above can be cut this way.)
  void abandon(std::string& out);

  // True while an event is being streamed (part of it has gone out).
  bool mid_event() const { return streaming_; }

 private:
  // Moves the framer's held bytes out and switches to streaming the event.
  template <class Wants>
  void start_streaming(std::string& out, Wants& wants) {
    const std::string_view held = framer_.pending();
    out.append(held);
    begin_streamed(held);
    keep_ = wants(std::string_view(name_));
    if (keep_) kept_.assign(held);
    framer_.reset();
  }

  template <class OnEvent>
  void end_streamed(OnEvent& on_event) {
    Event ev;
    take_streamed(ev);
    on_event(static_cast<const Event&>(ev));
    kept_.clear();
  }

  // Records the name and line state of a streamed event from its held first bytes.
  void begin_streamed(std::string_view held);
  // Forwards (and keeps, when wanted) the bytes of the streamed event in `bytes`; returns how many
  // belonged to it. streaming_ is false afterwards when the event ended.
  size_t stream_part(std::string_view bytes, std::string& out);
  // The ended streamed event, as reported.
  void take_streamed(Event& ev);

  size_t stream_above_;
  size_t max_;
  Framer framer_;     // frames events while they are small (bounded by stream_above_ + one read)
  std::string kept_;  // the wanted streamed event's bytes
  std::string name_;  // the streamed event's name
  bool streaming_ = false;
  bool keep_ = false;
  bool comment_ = false;     // the streamed event starts with a comment line
  bool line_start_ = false;  // the next byte starts a line
  bool pending_cr_ = false;  // the last byte was '\r': a '\n' next belongs to the same line end
  bool skip_lf_ = false;     // a streamed event ended on '\r' at the end of a fragment
};

}  // namespace cg::sse
