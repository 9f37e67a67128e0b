// Fuzz target: sse::Framer on arbitrary bytes, fed whole and then split into fragments at
// points derived from the input (every single split for small inputs, pseudo-random
// fragmentations, one byte at a time), with the default and with a small max_event_bytes.
// Property: the same events (event name, data, comment-only flag, raw bytes) and the same
// failure state whatever the fragmentation. The raw bytes may differ in one way: an event whose
// blank line is "\r" at the very end of a fragment ends there (the "\n" of a following "\r\n"
// is then dropped from the next fragment), so its raw text lacks that "\n" (and an event one
// byte over max_event_bytes then fits the limit).
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "sse/framer.h"

namespace {

struct Ev {
  std::string raw, event, data;
  bool comment_only = false;
};

struct Run {
  std::vector<Ev> events;
  bool failed = false;
};

template <class Pieces>
Run feed(const Pieces& pieces, size_t max_event) {
  cg::sse::Framer framer(max_event);
  Run run;
  auto on = [&](const cg::sse::Event& e) {
    run.events.push_back(
        Ev{std::string(e.raw), std::string(e.event), std::string(e.data), e.is_comment_only});
  };
  for (std::string_view p : pieces) {
    if (!framer.feed(p, on)) run.failed = true;
  }
  CG_FUZZ_CHECK(framer.failed() == run.failed, "failed() differs from feed()'s result");
  const size_t before = run.events.size();
  framer.finish(on);  // delivers an unterminated last event unless failed; resets either way
  CG_FUZZ_CHECK(!run.failed || run.events.size() == before, "an event after the failure");
  CG_FUZZ_CHECK(framer.pending().empty() && !framer.failed(), "finish() must reset");
  return run;
}

std::string describe(const Run& r) {
  std::string s = r.failed ? "failed\n" : "ok\n";
  for (const Ev& e : r.events) {
    s += "event=[" + e.event + "] data=[" + e.data + "] raw=[" + e.raw + "]";
    s += e.comment_only ? " comment\n" : "\n";
  }
  return s;
}

void expect_same(const Run& whole, const Run& split, std::string_view input, size_t max_event) {
  std::string detail =
      "input:\n" + std::string(input) + "\nwhole: " + describe(whole) + "split: " + describe(split);
  if (whole.failed && !split.failed) {
    // The one tolerated difference: an event of max_event + 1 bytes ending "\r\n" is cut to
    // max_event bytes when a fragment ends between that "\r" and "\n" (see the top comment).
    bool edge = false;
    for (const Ev& e : split.events)
      edge = edge || (e.raw.size() == max_event && e.raw.ends_with('\r'));
    if (edge) return;
  }
  CG_FUZZ_CHECK(whole.failed == split.failed, detail);
  if (whole.failed) return;  // what is delivered before a failure depends on the fragments
  CG_FUZZ_CHECK(whole.events.size() == split.events.size(), detail);
  for (size_t i = 0; i < whole.events.size(); ++i) {
    const Ev& a = whole.events[i];
    const Ev& b = split.events[i];
    CG_FUZZ_CHECK(a.event == b.event && a.data == b.data && a.comment_only == b.comment_only,
                  detail);
    CG_FUZZ_CHECK(a.raw == b.raw || (b.raw.ends_with('\r') && a.raw == b.raw + "\n"), detail);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = cg::fuzz::as_text(data, size);
  for (size_t max_event : {cg::sse::Framer::kDefaultMaxEventBytes, size_t{64}}) {
    const Run whole = feed(std::vector<std::string_view>{input}, max_event);
    for (const Ev& e : whole.events) {
      CG_FUZZ_CHECK(e.raw.size() <= max_event, describe(whole));
      CG_FUZZ_CHECK(!(e.comment_only && (!e.data.empty() || !e.event.empty())), describe(whole));
    }
    // Every split into two fragments (small inputs), else 64 evenly spread ones.
    const size_t step = size <= 256 ? 1 : size / 64;
    for (size_t at = 0; at <= size; at += step) {
      expect_same(
          whole,
          feed(std::vector<std::string_view>{input.substr(0, at), input.substr(at)}, max_event),
          input, max_event);
    }
    // Pseudo-random fragmentations (fragments of 0..16 bytes).
    uint64_t h = cg::fuzz::seed_of(input);
    for (int round = 0; round < 4; ++round) {
      const auto pieces = cg::fuzz::pseudo_random_pieces(input, h, 16);
      expect_same(whole, feed(pieces, max_event), input, max_event);
    }
    // One byte at a time.
    std::vector<std::string_view> bytes;
    for (size_t i = 0; i < size; ++i)
      bytes.push_back(input.substr(i, 1));
    expect_same(whole, feed(bytes, max_event), input, max_event);
  }
  return 0;
}
