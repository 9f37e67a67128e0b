// Tests for sse::Forwarder: the bytes that go out are exactly the bytes that came in, however the
// stream is cut into fragments; events are reported as sse::Framer frames them (names always,
// data when small or wanted); large events go out before they end; failures end cleanly.
#include "sse/forwarder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cg::sse {
namespace {

struct Seen {
  std::string event, data;
  bool comment = false;
  bool operator==(const Seen&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Seen& s) {
  return os << "{event=" << s.event << " data=" << testing::PrintToString(s.data)
            << " comment=" << s.comment << "}";
}

// Events as the Framer reports them from the whole input (the reference).
std::vector<Seen> framed(std::string_view input) {
  Framer f;
  std::vector<Seen> out;
  auto cb = [&](const Event& e) {
    out.push_back({std::string(e.event), std::string(e.data), e.is_comment_only});
  };
  f.feed(input, cb);
  f.finish(cb);
  return out;
}

struct Forwarded {
  std::string out;
  std::vector<Seen> seen;
};

// Feeds `parts` through a Forwarder that streams events above `above` bytes and wants the data
// of events named `wanted`.
Forwarded forward(const std::vector<std::string_view>& parts, size_t above, std::string_view wanted,
                  bool finish = true, size_t max_event = Framer::kDefaultMaxEventBytes) {
  Forwarder fw(above, max_event);
  Forwarded r;
  auto wants = [&](std::string_view name) { return name == wanted; };
  auto cb = [&](const Event& e) {
    r.seen.push_back({std::string(e.event), std::string(e.data), e.is_comment_only});
  };
  for (auto p : parts)
    fw.feed(p, r.out, wants, cb);
  if (finish) {
    fw.finish(r.out, cb);
    EXPECT_FALSE(fw.mid_event());
  }
  return r;
}

std::string big_event(std::string_view name, size_t n, std::string_view eol = "\n") {
  std::string s;
  if (!name.empty()) s.append("event: ").append(name).append(eol);
  s.append("data: {\"pad\":\"");
  for (size_t i = 0; i < n; ++i)
    s.push_back(static_cast<char>('a' + i % 26));
  s.append("\"}").append(eol).append(eol);
  return s;
}

// What the reference reports. Events over `above` bytes that are not wanted are reported without
// data when they were streamed, which depends on where the fragments were cut: `check` accepts
// both for them.
std::vector<Seen> expected(std::string_view input) {
  return framed(input);
}

::testing::AssertionResult same_events(const std::vector<Seen>& got, const std::vector<Seen>& want,
                                       size_t above, std::string_view wanted) {
  if (got.size() != want.size()) {
    return ::testing::AssertionFailure() << got.size() << " events instead of " << want.size()
                                         << ": " << testing::PrintToString(got);
  }
  for (size_t i = 0; i < got.size(); ++i) {
    const bool may_blank = want[i].data.size() > above - 20 && want[i].event != wanted;
    if (got[i] == want[i]) continue;
    if (may_blank && got[i].event == want[i].event && got[i].comment == want[i].comment &&
        got[i].data.empty()) {
      continue;
    }
    return ::testing::AssertionFailure()
           << "event " << i << ": " << got[i] << " instead of " << want[i];
  }
  return ::testing::AssertionSuccess();
}

const std::string kStream = "event: response.created\ndata: {\"a\":1}\n\n" +
                            big_event("response.in_progress", 300) + ": keep-alive\n\n" +
                            "event: response.output_text.delta\ndata: {\"d\":\"x\"}\n\n" +
                            big_event("response.completed", 400) + "data: [DONE]\n\n";

TEST(Forwarder, EveryTwoWaySplitForwardsTheSameBytesAndReportsTheSameEvents) {
  const auto want = expected(kStream);
  ASSERT_EQ(want.size(), 6u);
  size_t streamed = 0;
  for (size_t cut = 0; cut <= kStream.size(); ++cut) {
    std::string_view s = kStream;
    Forwarded r = forward({s.substr(0, cut), s.substr(cut)}, 64, "response.completed");
    ASSERT_EQ(r.out, kStream) << "cut " << cut;
    ASSERT_TRUE(same_events(r.seen, want, 64, "response.completed")) << "cut " << cut;
    ASSERT_NE(r.seen[4].data, "") << "cut " << cut;  // big and wanted: always with its data
    if (r.seen[1].data.empty()) ++streamed;          // big, not wanted, streamed
  }
  EXPECT_GT(streamed, 250u);  // every cut inside its bytes past the first 64
}

TEST(Forwarder, ByteByByteAndThreeWaySplits) {
  const auto want = expected(kStream);
  std::vector<std::string_view> bytes;
  for (size_t i = 0; i < kStream.size(); ++i)
    bytes.push_back(std::string_view(kStream).substr(i, 1));
  Forwarded r = forward(bytes, 64, "response.completed");
  EXPECT_EQ(r.out, kStream);
  EXPECT_TRUE(same_events(r.seen, want, 64, "response.completed"));
  EXPECT_EQ(r.seen[1].data, "");  // streamed: fed a byte at a time
  for (size_t a = 0; a < kStream.size(); a += 7) {
    for (size_t b = a; b < kStream.size(); b += 13) {
      std::string_view s = kStream;
      Forwarded t =
          forward({s.substr(0, a), s.substr(a, b - a), s.substr(b)}, 64, "response.completed");
      ASSERT_EQ(t.out, kStream) << a << "/" << b;
      ASSERT_TRUE(same_events(t.seen, want, 64, "response.completed")) << a << "/" << b;
    }
  }
}

TEST(Forwarder, CarriageReturnLineEndsAtEverySplit) {
  for (std::string_view eol : {"\r\n", "\r"}) {
    const std::string input = std::string("data: small") + std::string(eol) + std::string(eol) +
                              big_event("response.completed", 200, eol) +
                              big_event("other", 150, eol) + "data: last" + std::string(eol) +
                              std::string(eol);
    const auto want = expected(input);
    ASSERT_EQ(want.size(), 4u);
    for (size_t cut = 0; cut <= input.size(); ++cut) {
      std::string_view s = input;
      for (size_t cut2 = cut; cut2 <= input.size(); cut2 += 29) {
        Forwarded r = forward({s.substr(0, cut), s.substr(cut, cut2 - cut), s.substr(cut2)}, 32,
                              "response.completed");
        ASSERT_EQ(r.out, input) << testing::PrintToString(eol) << " " << cut << "/" << cut2;
        ASSERT_TRUE(same_events(r.seen, want, 32, "response.completed"))
            << testing::PrintToString(eol) << " " << cut << "/" << cut2;
      }
    }
  }
}

TEST(Forwarder, LargeEventGoesOutBeforeItEnds) {
  const std::string ev = big_event("response.created", 100000);
  Forwarder fw(16 << 10);
  std::string out;
  std::vector<Seen> seen;
  auto wants = [](std::string_view) { return false; };
  auto cb = [&](const Event& e) { seen.push_back({std::string(e.event), std::string(e.data)}); };
  size_t fed = 0;
  for (; fed + 8192 < ev.size(); fed += 8192) {
    fw.feed(std::string_view(ev).substr(fed, 8192), out, wants, cb);
    // Never more than the threshold plus one fragment held back.
    ASSERT_GE(out.size() + (16 << 10) + 8192, fed + 8192);
  }
  EXPECT_TRUE(fw.mid_event());
  EXPECT_TRUE(seen.empty());
  EXPECT_GT(out.size(), ev.size() / 2);
  fw.feed(std::string_view(ev).substr(fed), out, wants, cb);
  EXPECT_FALSE(fw.mid_event());
  EXPECT_EQ(out, ev);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].event, "response.created");
  EXPECT_EQ(seen[0].data, "");
}

TEST(Forwarder, WantedEventOverTheLimitIsReportedWithoutData) {
  const std::string input = big_event("response.completed", 5000) + "data: after\n\n";
  std::string_view s = input;
  Forwarded r = forward({s.substr(0, 100), s.substr(100, 3000), s.substr(3100)}, 64,
                        "response.completed", true, 1000);
  EXPECT_EQ(r.out, input);
  ASSERT_EQ(r.seen.size(), 2u);
  EXPECT_EQ(r.seen[0].event, "response.completed");
  EXPECT_EQ(r.seen[0].data, "");
  EXPECT_EQ(r.seen[1].data, "after");
}

TEST(Forwarder, AbandonEndsAStreamedEventAndDropsAHeldOne) {
  const std::string ev = big_event("response.completed", 500);
  {
    Forwarder fw(64);
    std::string out;
    int events = 0;
    auto cb = [&](const Event&) { ++events; };
    fw.feed(
        std::string_view(ev).substr(0, 200), out, [](std::string_view) { return true; }, cb);
    ASSERT_TRUE(fw.mid_event());
    fw.abandon(out);
    EXPECT_EQ(out, ev.substr(0, 200) + "\n\n");
    EXPECT_FALSE(fw.mid_event());
    EXPECT_EQ(events, 0);
    // The stream can go on (the relay appends its error event and stops, but the state is clean).
    fw.feed(
        "data: x\n\n", out, [](std::string_view) { return true; }, cb);
    EXPECT_EQ(events, 1);
  }
  {
    Forwarder fw(64);
    std::string out;
    auto cb = [](const Event&) {};
    fw.feed(
        "data: complete\n\ndata: half", out, [](std::string_view) { return true; }, cb);
    fw.abandon(out);
    EXPECT_EQ(out, "data: complete\n\n");
  }
}

TEST(Forwarder, FinishTerminatesAnUnendedEvent) {
  {
    Forwarded r = forward({"data: a\n\ndata: tail"}, 64, "");
    EXPECT_EQ(r.out, "data: a\n\ndata: tail\n\n");
    ASSERT_EQ(r.seen.size(), 2u);
    EXPECT_EQ(r.seen[1].data, "tail");
  }
  {
    const std::string ev = big_event("response.completed", 300);
    const std::string cut = ev.substr(0, ev.size() - 2);  // without the blank line
    Forwarded r = forward({cut}, 64, "response.completed");
    EXPECT_EQ(r.out, cut + "\n\n");
    ASSERT_EQ(r.seen.size(), 1u);
    EXPECT_EQ(r.seen[0].event, "response.completed");
    EXPECT_TRUE(r.seen[0].data.starts_with("{\"pad\":\""));
  }
}

TEST(Forwarder, NameArrivingLateIsNotGuessed) {
  // A name line after a large data line: the event streams before its name is known.
  std::string input = "data: ";
  input.append(200, 'x');
  input.append("\nevent: response.completed\n\n");
  std::string_view s = input;
  Forwarded r = forward({s.substr(0, 150), s.substr(150)}, 64, "response.completed");
  EXPECT_EQ(r.out, input);
  ASSERT_EQ(r.seen.size(), 1u);
  EXPECT_EQ(r.seen[0].event, "");
  EXPECT_EQ(r.seen[0].data, "");
}

}  // namespace
}  // namespace cg::sse
