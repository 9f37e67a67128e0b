// RelayHandlers that translate a stream between wire formats: each upstream event goes through a
// decoder (upstream format -> canonical events) into an encoder (canonical -> client format),
// text staying JSON-escaped all the way. Also the pass-through relay for native Anthropic
// streams. Worker thread only (one instance per relayed stream).
#pragma once
#include <string>

#include "server/request_context.h"
#include "server/stream_relay.h"
#include "translate/canonical.h"

namespace cg::server {

// Decoder: feed(std::string_view event_name, std::string_view data, EventSink), `done()` and
// `failure()` (an error the upstream reported in the stream).
// Encoder: on(const StreamEvent&, std::string&), finish(std::string&), fail(const ApiError&,
// std::string&), usage().
template <class Decoder, class Encoder>
class TranslatingRelay final : public RelayHandler {
 public:
  TranslatingRelay(RequestContext& ctx, Encoder encoder)
      : ctx_(ctx), encoder_(std::move(encoder)) {}

  void on_event(const sse::Event& e, std::string& out) override {
    auto sink = [&](const translate::StreamEvent& ev) { encoder_.on(ev, out); };
    decoder_.feed(e.event, e.data, sink);
  }
  void on_end(std::string& out) override {
    if (decoder_.failure()) {
      ctx_.error = decoder_.failure()->message.substr(0, 200);
      encoder_.fail(*decoder_.failure(), out);
    } else {
      encoder_.finish(out);
    }
    report();
  }
  void on_fail(const ApiError& e, std::string& out) override {
    encoder_.fail(e, out);
    report();
  }

 private:
  void report() {
    const translate::Usage& u = encoder_.usage();
    if (!u.known) return;
    ctx_.prompt_tokens = u.input_tokens;
    ctx_.completion_tokens = u.output_tokens;
  }

  RequestContext& ctx_;
  Decoder decoder_;
  Encoder encoder_;
};

// Native Anthropic stream to an Anthropic client: events pass unchanged (forwarded by the relay);
// usage is read from message_start / message_delta for the access log; a failure becomes an
// Anthropic error event.
class AnthropicPassThrough final : public RelayHandler {
 public:
  explicit AnthropicPassThrough(RequestContext& ctx) : ctx_(ctx) {}
  bool forwards_bytes() const override { return true; }
  bool wants_data(std::string_view event) const override;
  void on_event(const sse::Event& e, std::string& out) override;
  void on_end(std::string& out) override;
  void on_fail(const ApiError& e, std::string& out) override;

 private:
  RequestContext& ctx_;
  bool saw_stop_ = false;
};

// Native Responses stream to a Responses client: events pass unchanged (forwarded by the relay;
// usage read from the terminal event for the access log); a failure becomes a Responses error event
// numbered after the last event passed on.
class ResponsesPassThrough final : public RelayHandler {
 public:
  explicit ResponsesPassThrough(RequestContext& ctx) : ctx_(ctx) {}
  bool forwards_bytes() const override { return true; }
  bool wants_data(std::string_view event) const override;
  void on_event(const sse::Event& e, std::string& out) override;
  void on_end(std::string& out) override;
  void on_fail(const ApiError& e, std::string& out) override;

 private:
  RequestContext& ctx_;
  int64_t events_ = 0;
  bool saw_terminal_ = false;
};

}  // namespace cg::server
