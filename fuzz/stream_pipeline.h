// The stream translation pipelines of the gateway, as the server's TranslatingRelay drives them
// (every upstream event fed to the decoder, whose canonical events go to the encoder; at the end
// fail() with the decoder's failure, else finish(); or fail() mid-stream when the upstream
// connection breaks), and the checks of what the encoders produce. Fuzz targets only.
#pragma once
#include <string>
#include <vector>

#include "core/api_error.h"
#include "fuzz_util.h"
#include "translate/anthropic_stream_decoder.h"
#include "translate/anthropic_stream_encoder.h"
#include "translate/chat_stream_decoder.h"
#include "translate/chat_stream_encoder.h"
#include "translate/responses_stream_decoder.h"
#include "translate/responses_stream_encoder.h"

namespace cg::fuzz {

// One upstream SSE event (its `event:` name and `data:` payload).
struct UpstreamEvent {
  std::string event, data;
};

// How the upstream stream ends: normally, or broken after `break_after` events.
struct StreamEnd {
  bool broken = false;
  size_t break_after = 0;
};

template <class Decoder, class Encoder>
std::string relay(const std::vector<UpstreamEvent>& events, Encoder& enc, StreamEnd end) {
  Decoder dec;
  std::string out;
  auto sink = [&](const translate::StreamEvent& e) { enc.on(e, out); };
  for (size_t i = 0; i < events.size(); ++i) {
    if (end.broken && i == end.break_after) {
      enc.fail(ApiError::bad_gateway("The connection to the Copilot API broke."), out);
      return out;
    }
    dec.feed(events[i].event, events[i].data, sink);
  }
  if (end.broken) {
    enc.fail(ApiError::bad_gateway("The connection to the Copilot API broke."), out);
    return out;
  }
  if constexpr (requires { dec.failure(); }) {
    if (dec.failure()) {
      enc.fail(*dec.failure(), out);
      return out;
    }
  }
  enc.finish(out);
  return out;
}

// A chat stream as chat.completion.chunk SSE: every event `data:` with valid JSON, `[DONE]`
// last unless the stream ended in an error event; nothing after either.
inline void check_chat_stream(const std::string& out) {
  size_t at = 0;
  bool ended = false;
  while (at < out.size()) {
    size_t end = out.find("\n\n", at);
    CG_FUZZ_CHECK(end != std::string::npos, out);
    const std::string_view ev(out.data() + at, end - at);
    CG_FUZZ_CHECK(!ended, out);
    CG_FUZZ_CHECK(ev.substr(0, 6) == "data: ", out);
    const std::string_view data = ev.substr(6);
    if (data == "[DONE]") {
      ended = true;
    } else {
      boost::json::value v;
      CG_FUZZ_CHECK(json_valid(data, &v) && v.is_object(), out);
      if (v.get_object().if_contains("error")) ended = true;
    }
    at = end + 2;
  }
  CG_FUZZ_CHECK(ended, out);
}

// Every decoder into every encoder; every output checked against its protocol rules.
inline void run_pipelines(const std::vector<UpstreamEvent>& events, StreamEnd end = {}) {
  {
    translate::ChatStreamEncoder enc({"chatcmpl-fuzz", 1700000000, "gpt-5"}, true);
    check_chat_stream(relay<translate::ResponsesStreamDecoder>(events, enc, end));
  }
  {
    translate::ChatStreamEncoder enc({"chatcmpl-fuzz", 1700000000, "gpt-5"}, false);
    check_chat_stream(relay<translate::AnthropicStreamDecoder>(events, enc, end));
  }
  {
    translate::AnthropicStreamEncoder enc("msg_fuzz", "claude-sonnet-4-5");
    check_anthropic_stream(relay<translate::AnthropicStreamDecoder>(events, enc, end), true);
  }
  {
    translate::ResponsesStreamEncoder enc({"resp_fuzz", 1700000000, "gpt-5"});
    check_responses_stream(relay<translate::AnthropicStreamDecoder>(events, enc, end), true);
  }
  {
    translate::AnthropicStreamEncoder enc("msg_fuzz", "claude-sonnet-4-5");
    check_anthropic_stream(relay<translate::ChatStreamDecoder>(events, enc, end), true);
  }
  {
    translate::ResponsesStreamEncoder enc({"resp_fuzz", 1700000000, "gpt-5"});
    check_responses_stream(relay<translate::ChatStreamDecoder>(events, enc, end), true);
  }
  {
    translate::AnthropicStreamEncoder enc("msg_fuzz", "claude-sonnet-4-5");
    check_anthropic_stream(relay<translate::ResponsesStreamDecoder>(events, enc, end), true);
  }
  {
    translate::Request req;
    req.model = "gpt-5.1-codex";
    req.reasoning_effort = "low";
    translate::ResponsesStreamEncoder enc({"resp_fuzz", 1700000000, "gpt-5.1-codex"}, &req);
    check_responses_stream(relay<translate::ResponsesStreamDecoder>(events, enc, end), true);
  }
}

}  // namespace cg::fuzz
