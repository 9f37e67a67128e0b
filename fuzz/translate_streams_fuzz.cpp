// Fuzz target: stream translation on raw upstream bytes. The input is an upstream SSE body
// (framed with sse::Framer, as the relay does); an input without any `data:` event is read as
// one data payload per line instead, so plain JSON chunk lines reach the decoders too. The
// events go through ChatStreamDecoder and ResponsesStreamDecoder, each into the
// AnthropicStreamEncoder and the ResponsesStreamEncoder (stream_pipeline.h), ending normally and,
// for some inputs, with the upstream connection breaking part way.
// Properties: every produced event is well-formed SSE with valid JSON data; the Anthropic output
// obeys the SDK event order (message_start first, blocks sequential and closed, message_stop or
// error last); the Responses output has sequential sequence numbers, announced unique items and
// a terminal event last.
#include "fuzz_util.h"
#include "sse/framer.h"
#include "stream_pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string_view input = cg::fuzz::as_text(data, size);
  std::vector<cg::fuzz::UpstreamEvent> events;
  cg::sse::Framer framer;
  bool any_data = false;
  auto on = [&](const cg::sse::Event& e) {
    any_data = any_data || !e.data.empty();
    if (!e.is_comment_only) events.push_back({std::string(e.event), std::string(e.data)});
  };
  framer.feed(input, on);
  framer.finish(on);
  if (!any_data) {
    events.clear();
    for (size_t at = 0; at <= size;) {
      size_t nl = input.find('\n', at);
      if (nl == std::string_view::npos) nl = size;
      events.push_back({"", std::string(input.substr(at, nl - at))});
      at = nl + 1;
    }
  }
  cg::fuzz::run_pipelines(events);
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : input)
    h = (h ^ c) * 1099511628211ull;
  if (h % 4 == 0) cg::fuzz::run_pipelines(events, {true, (h >> 8) % (events.size() + 1)});
  return 0;
}
