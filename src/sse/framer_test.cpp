// Tests for sse::Framer and the SSE writers.
#include "sse/framer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sse/writer.h"

namespace cg::sse {
namespace {

struct Got {
  std::string raw, event, data;
  bool comment = false;
  bool operator==(const Got&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << "{raw=" << testing::PrintToString(g.raw) << " event=" << g.event
            << " data=" << testing::PrintToString(g.data) << " comment=" << g.comment << "}";
}

struct Collector {
  std::vector<Got> events;
  void operator()(const Event& e) {
    events.push_back(
        {std::string(e.raw), std::string(e.event), std::string(e.data), e.is_comment_only});
  }
};

std::vector<Got> feed_parts(const std::vector<std::string_view>& parts, bool finish = true) {
  Framer f;
  Collector c;
  for (auto p : parts)
    EXPECT_TRUE(f.feed(p, c));
  if (finish) f.finish(c);
  return c.events;
}

const std::string kMixed =
    "data: {\"a\":1}\n\n"
    "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
    ": keep-alive\n\n"
    "data: line1\r\ndata: line2\r\ndata:line3\r\n\r\n"
    "event:ping\rdata\r\r"
    "id: 7\nretry: 100\ndata:  two spaces\n\n"
    "data: [DONE]\n\n";

const std::vector<Got> kMixedExpected = {
    {"data: {\"a\":1}\n\n", "", "{\"a\":1}", false},
    {"event: message_start\ndata: {\"type\":\"message_start\"}\n\n", "message_start",
     "{\"type\":\"message_start\"}", false},
    {": keep-alive\n\n", "", "", true},
    {"data: line1\r\ndata: line2\r\ndata:line3\r\n\r\n", "", "line1\nline2\nline3", false},
    {"event:ping\rdata\r\r", "ping", "", false},
    {"id: 7\nretry: 100\ndata:  two spaces\n\n", "", " two spaces", false},
    {"data: [DONE]\n\n", "", "[DONE]", false},
};

// A fragment ending between the '\r' and '\n' of a "\r\n\r\n" terminator dispatches the event at
// the '\r' (no stall waiting for the next fragment); the '\n' is then swallowed, so that one
// event's raw lacks it.
std::vector<Got> expected_with_splits(const std::vector<size_t>& splits) {
  auto expected = kMixedExpected;
  const size_t crlf_end = kMixed.find("\r\n\r\n") + 4;
  if (std::find(splits.begin(), splits.end(), crlf_end - 1) != splits.end()) {
    expected[3].raw.pop_back();
  }
  return expected;
}

TEST(SseFramer, WholeInput) {
  EXPECT_EQ(feed_parts({kMixed}), kMixedExpected);
}

TEST(SseFramer, EverySingleSplitPoint) {
  for (size_t i = 0; i <= kMixed.size(); ++i) {
    std::string_view s = kMixed;
    EXPECT_EQ(feed_parts({s.substr(0, i), s.substr(i)}), expected_with_splits({i}))
        << "split at " << i;
  }
}

TEST(SseFramer, EveryPairOfSplitPoints) {
  std::string_view s = kMixed;
  for (size_t i = 0; i <= s.size(); ++i) {
    for (size_t j = i; j <= s.size(); ++j) {
      auto got = feed_parts({s.substr(0, i), s.substr(i, j - i), s.substr(j)});
      ASSERT_EQ(got, expected_with_splits({i, j})) << "splits at " << i << "," << j;
    }
  }
}

TEST(SseFramer, ByteByByte) {
  std::vector<std::string_view> parts;
  std::string_view s = kMixed;
  std::vector<size_t> splits;
  for (size_t i = 0; i < s.size(); ++i) {
    parts.push_back(s.substr(i, 1));
    splits.push_back(i);
  }
  EXPECT_EQ(feed_parts(parts), expected_with_splits(splits));
}

TEST(SseFramer, EventsCompleteInOneFragmentAreNotBuffered) {
  Framer f;
  Collector c;
  ASSERT_TRUE(f.feed("data: 1\n\ndata: 2\n\ndata: 3", c));
  EXPECT_EQ(c.events.size(), 2u);
  EXPECT_EQ(f.pending(), "data: 3");
  ASSERT_TRUE(f.feed("\n\n", c));
  ASSERT_EQ(c.events.size(), 3u);
  EXPECT_EQ(c.events[2].raw, "data: 3\n\n");
  EXPECT_EQ(f.pending(), "");
}

TEST(SseFramer, DataSplitAcrossFeeds) {
  auto got =
      feed_parts({"da", "ta: {\"choices\":[{\"delta\":{\"content\":\"hel", "lo\"}}]}\n", "\n"});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, "{\"choices\":[{\"delta\":{\"content\":\"hello\"}}]}");
}

TEST(SseFramer, CrAtFragmentEndCompletesEventAndSwallowsFollowingLf) {
  Framer f;
  Collector c;
  ASSERT_TRUE(f.feed("data: a\r\n\r", c));
  ASSERT_EQ(c.events.size(), 1u);  // dispatched without waiting for a possible '\n'
  EXPECT_EQ(c.events[0].data, "a");
  ASSERT_TRUE(f.feed("\ndata: b\r\n\r\n", c));
  ASSERT_EQ(c.events.size(), 2u);
  EXPECT_EQ(c.events[1].raw, "data: b\r\n\r\n");
  EXPECT_EQ(c.events[1].data, "b");
}

TEST(SseFramer, CrLineEndWaitsForPossibleLf) {
  Framer f;
  Collector c;
  ASSERT_TRUE(f.feed("data: a\r", c));
  ASSERT_TRUE(f.feed("\n", c));
  EXPECT_TRUE(c.events.empty());
  ASSERT_TRUE(f.feed("\r\n", c));
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(c.events[0].raw, "data: a\r\n\r\n");
}

// A data line ended by "\r\n" and the event by a bare "\n" (mixed line ends, found by the
// sse_forwarder fuzzer): the "\r" belongs to the line end, not to the data.
TEST(SseFramer, MixedLineEndsKeepCarriageReturnOutOfData) {
  for (std::string_view input : {"data: x\r\n\n", "data: x\r\r", "data: x\n\r\n"}) {
    const std::vector<Got> got = feed_parts({input});
    ASSERT_EQ(got.size(), 1u) << testing::PrintToString(input);
    EXPECT_EQ(got[0].data, "x") << testing::PrintToString(input);
  }
}

TEST(SseFramer, StrayBlankLinesAreIgnored) {
  auto got = feed_parts({"\n\n\ndata: x\n\n\n"});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, "x");
}

TEST(SseFramer, FieldWithoutValueAndUnknownFields) {
  auto got = feed_parts({"event\ndata\ndata\nfoo: bar\n\n"});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].event, "");
  EXPECT_EQ(got[0].data, "\n");  // two empty data lines
  EXPECT_FALSE(got[0].comment);
}

TEST(SseFramer, FinishFlushesUnterminatedEvent) {
  Framer f;
  Collector c;
  ASSERT_TRUE(f.feed("data: 1\n\ndata: tail\ndata: more", c));
  ASSERT_EQ(c.events.size(), 1u);
  f.finish(c);
  ASSERT_EQ(c.events.size(), 2u);
  EXPECT_EQ(c.events[1].data, "tail\nmore");
  EXPECT_EQ(c.events[1].raw, "data: tail\ndata: more");
  EXPECT_EQ(f.pending(), "");
  f.finish(c);  // nothing left
  EXPECT_EQ(c.events.size(), 2u);
}

TEST(SseFramer, OversizeEventIsReported) {
  Framer f(64);
  Collector c;
  EXPECT_TRUE(f.feed("data: small\n\n", c));
  std::string big = "data: " + std::string(100, 'x');
  EXPECT_FALSE(f.feed(big, c));  // partial event already beyond the limit
  EXPECT_TRUE(f.failed());
  EXPECT_FALSE(f.feed("\n\ndata: after\n\n", c));
  EXPECT_EQ(c.events.size(), 1u);
  EXPECT_EQ(f.pending(), "");
  f.reset();
  EXPECT_TRUE(f.feed("data: after\n\n", c));
  EXPECT_EQ(c.events.size(), 2u);
}

TEST(SseFramer, OversizeCompleteEventInOneFragment) {
  Framer f(32);
  Collector c;
  std::string input = "data: ok\n\ndata: " + std::string(60, 'y') + "\n\n";
  EXPECT_FALSE(f.feed(input, c));
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(c.events[0].data, "ok");
}

TEST(SseFramer, BufferStaysCompactOverLongStream) {
  Framer f(1024);
  Collector c;
  std::string event = "data: " + std::string(200, 'z') + "\n\n";
  // 10k events split at a moving offset: the buffer never holds more than one partial event.
  std::string carry;
  for (int i = 0; i < 10000; ++i) {
    std::string chunk = carry + event;
    size_t cut = static_cast<size_t>(i % 150);
    carry = chunk.substr(chunk.size() - cut);
    ASSERT_TRUE(f.feed(std::string_view(chunk).substr(0, chunk.size() - cut), c));
    ASSERT_LE(f.pending().size(), event.size());
  }
  ASSERT_TRUE(f.feed(carry, c));
  EXPECT_EQ(c.events.size(), 10000u);
}

TEST(SseWriter, Frames) {
  std::string out;
  append_data_event(out, "{\"a\":1}");
  EXPECT_EQ(out, "data: {\"a\":1}\n\n");
  append_named_event(out, "message_stop", "{}");
  EXPECT_EQ(out, "data: {\"a\":1}\n\nevent: message_stop\ndata: {}\n\n");
  EXPECT_EQ(kDone, "data: [DONE]\n\n");
  // What the writer produces, the framer reads back.
  out += kDone;
  auto got = feed_parts({out});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].event, "message_stop");
  EXPECT_EQ(got[2].data, "[DONE]");
}

}  // namespace
}  // namespace cg::sse
