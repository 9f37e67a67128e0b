// Fuzz target: sse::Forwarder on arbitrary bytes, whole and split into fragments at points
// derived from the input (every split in two for small inputs, pseudo-random fragmentations, one
// byte at a time), streaming events above 8 and above 64 bytes, wanting the data of events whose
// name starts with "w". Properties, whatever the fragmentation: what went out frames into exactly
// the events of the input; the events reported are those events, in order; events no larger than
// the streaming threshold are reported exactly as the Framer reports them; a larger one (which
// may have been streamed) is reported with its data or none (and its name is the one of its first
// line); after finish() nothing is left mid-event.
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "sse/forwarder.h"

namespace {

struct Ev {
  std::string event, data;
  bool comment_only = false;
  size_t raw_size = 0;
};

std::vector<Ev> frame(std::string_view s) {
  cg::sse::Framer f;
  std::vector<Ev> out;
  auto on = [&](const cg::sse::Event& e) {
    out.push_back(Ev{std::string(e.event), std::string(e.data), e.is_comment_only, e.raw.size()});
  };
  f.feed(s, on);
  f.finish(on);
  return out;
}

std::string describe(const std::vector<Ev>& evs) {
  std::string s;
  for (const Ev& e : evs)
    s += "event=[" + e.event + "] data=[" + e.data + "]" + (e.comment_only ? " comment\n" : "\n");
  return s;
}

void check(const std::vector<std::string_view>& pieces, std::string_view input,
           const std::vector<Ev>& want, size_t above) {
  cg::sse::Forwarder fw(above);
  std::string out;
  std::vector<Ev> seen;
  auto wants = [](std::string_view name) { return name.starts_with("w"); };
  auto on = [&](const cg::sse::Event& e) {
    seen.push_back(Ev{std::string(e.event), std::string(e.data), e.is_comment_only});
  };
  for (std::string_view p : pieces)
    fw.feed(p, out, wants, on);
  fw.finish(out, on);
  CG_FUZZ_CHECK(!fw.mid_event(), "mid_event() after finish()");
  const std::string detail = "input:\n" + std::string(input) + "\nout:\n" + out + "\nwant:\n" +
                             describe(want) + "seen:\n" + describe(seen);
  const std::vector<Ev> got = frame(out);
  const std::string framed_detail = detail + "out framed:\n" + describe(got);
  CG_FUZZ_CHECK(got.size() == want.size(), framed_detail);
  for (size_t i = 0; i < want.size(); ++i) {
    CG_FUZZ_CHECK(got[i].event == want[i].event && got[i].data == want[i].data &&
                      got[i].comment_only == want[i].comment_only,
                  framed_detail);
  }
  CG_FUZZ_CHECK(seen.size() == want.size(), detail);
  for (size_t i = 0; i < want.size(); ++i) {
    const Ev& a = want[i];
    const Ev& b = seen[i];
    if (a.raw_size <= above) {  // never streamed
      CG_FUZZ_CHECK(b.event == a.event && b.data == a.data && b.comment_only == a.comment_only,
                    detail);
    } else {
      CG_FUZZ_CHECK(b.data == a.data || b.data.empty(), detail);
      // Wanted by the name it was streamed under: reported with its data.
      if (b.event.starts_with("w") && a.event == b.event) CG_FUZZ_CHECK(b.data == a.data, detail);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = cg::fuzz::as_text(data, size);
  const std::vector<Ev> want = frame(input);
  for (size_t above : {size_t{8}, size_t{64}}) {
    check({input}, input, want, above);
    const size_t step = size <= 256 ? 1 : size / 64;
    for (size_t at = 0; at <= size; at += step)
      check({input.substr(0, at), input.substr(at)}, input, want, above);
    uint64_t h = cg::fuzz::seed_of(input);
    for (int round = 0; round < 4; ++round) {
      const auto pieces = cg::fuzz::pseudo_random_pieces(input, h, 32);
      check(pieces, input, want, above);
    }
    std::vector<std::string_view> bytes;
    for (size_t i = 0; i < size; ++i)
      bytes.push_back(input.substr(i, 1));
    check(bytes, input, want, above);
  }
  return 0;
}
