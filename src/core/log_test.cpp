// Tests for core/log.h: every line is one valid JSON object, the level filter works, values are
// escaped, and concurrent lines never interleave. Test thread only.
#include "core/log.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cg::log {
namespace {

namespace json = boost::json;

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    set_sink_for_tests([this](std::string_view line) {
      std::lock_guard lock(mu_);
      lines_.emplace_back(line);
    });
    set_level(Level::kDebug);
  }
  void TearDown() override {
    set_sink_for_tests({});
    set_level(Level::kInfo);
  }
  json::object parse_line(size_t i) {
    EXPECT_LT(i, lines_.size());
    boost::system::error_code ec;
    json::value v = json::parse(lines_.at(i), ec);
    EXPECT_FALSE(ec) << lines_[i];
    EXPECT_TRUE(v.is_object()) << lines_[i];
    return v.is_object() ? v.as_object() : json::object{};
  }

  std::mutex mu_;
  std::vector<std::string> lines_;
};

TEST_F(LogTest, EmitsOneJsonObjectWithFields) {
  info("listening")
      .str("host", "127.0.0.1")
      .num("port", 4141)
      .real("ratio", 0.25)
      .boolean("tls", false);
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0].find('\n'), std::string::npos);
  json::object o = parse_line(0);
  EXPECT_EQ(o.at("level").as_string(), "info");
  EXPECT_EQ(o.at("msg").as_string(), "listening");
  EXPECT_EQ(o.at("host").as_string(), "127.0.0.1");
  EXPECT_EQ(o.at("port").as_int64(), 4141);
  EXPECT_DOUBLE_EQ(o.at("ratio").as_double(), 0.25);
  EXPECT_EQ(o.at("tls").as_bool(), false);
  // Field order: ts, level, msg first.
  EXPECT_EQ(lines_[0].rfind("{\"ts\":\"", 0), 0u);
}

TEST_F(LogTest, TimestampIsIso8601UtcWithMillis) {
  info("x");
  json::object o = parse_line(0);
  std::string ts(o.at("ts").as_string());
  ASSERT_EQ(ts.size(), 24u) << ts;  // 2026-11-22T03:04:05.123Z
  EXPECT_EQ(ts[4], '-');
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts[19], '.');
  EXPECT_EQ(ts[23], 'Z');
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22}) {
    EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(ts[i]))) << ts;
  }
}

TEST_F(LogTest, LevelFilter) {
  set_level(Level::kWarn);
  EXPECT_FALSE(enabled(Level::kDebug));
  EXPECT_FALSE(enabled(Level::kInfo));
  EXPECT_TRUE(enabled(Level::kWarn));
  EXPECT_TRUE(enabled(Level::kError));
  debug("d").str("k", "v");
  info("i").num("n", 1);
  warn("w");
  error("e");
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_EQ(parse_line(0).at("level").as_string(), "warn");
  EXPECT_EQ(parse_line(1).at("level").as_string(), "error");
}

TEST_F(LogTest, ParseLevel) {
  EXPECT_EQ(parse_level("debug"), Level::kDebug);
  EXPECT_EQ(parse_level("INFO"), Level::kInfo);
  EXPECT_EQ(parse_level("warn"), Level::kWarn);
  EXPECT_EQ(parse_level("warning"), Level::kWarn);
  EXPECT_EQ(parse_level("error"), Level::kError);
  EXPECT_EQ(parse_level("verbose"), std::nullopt);
  EXPECT_EQ(parse_level(""), std::nullopt);
  EXPECT_EQ(level_name(Level::kWarn), "warn");
}

TEST_F(LogTest, EscapesStrings) {
  // (Keys are identifiers from the source and are copied as they are.)
  const std::string nasty = "quote\" backslash\\ newline\n tab\t ctl\x01 utf8 \xc3\xa9";
  error(nasty).str("path", nasty).str("we_ird", "v");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0].find('\n'), std::string::npos);
  json::object o = parse_line(0);
  EXPECT_EQ(o.at("msg").as_string(), nasty);
  EXPECT_EQ(o.at("path").as_string(), nasty);
  EXPECT_EQ(o.at("we_ird").as_string(), "v");
}

TEST_F(LogTest, TokensAreCopiedAsStrings) {
  info("x").token("request_id", "0b5c2f3e-1a2b-4c3d-8e9f-001122334455").token("method", "POST");
  json::object o = parse_line(0);
  EXPECT_EQ(o.at("request_id").as_string(), "0b5c2f3e-1a2b-4c3d-8e9f-001122334455");
  EXPECT_EQ(o.at("method").as_string(), "POST");
}

TEST_F(LogTest, NonFiniteRealsBecomeNull) {
  info("x").real("nan", std::nan("")).real("inf", std::numeric_limits<double>::infinity());
  json::object o = parse_line(0);
  EXPECT_TRUE(o.at("nan").is_null());
  EXPECT_TRUE(o.at("inf").is_null());
}

TEST_F(LogTest, NestedLineOnSameThreadStaysIntact) {
  {
    Line outer(Level::kInfo, "outer");
    outer.str("a", "1");
    info("inner").str("b", "2");
    outer.str("c", "3");
  }
  ASSERT_EQ(lines_.size(), 2u);
  json::object inner = parse_line(0), outer = parse_line(1);
  EXPECT_EQ(inner.at("msg").as_string(), "inner");
  EXPECT_FALSE(inner.contains("a"));
  EXPECT_EQ(outer.at("a").as_string(), "1");
  EXPECT_EQ(outer.at("c").as_string(), "3");
  EXPECT_FALSE(outer.contains("b"));
}

TEST_F(LogTest, ConcurrentThreadsProduceWholeLines) {
  constexpr int kThreads = 4, kPerThread = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kPerThread; ++i)
        info("tick").num("thread", t).num("i", i);
    });
  }
  for (auto& th : threads)
    th.join();
  ASSERT_EQ(lines_.size(), size_t{kThreads * kPerThread});
  std::vector<int> next(kThreads, 0);
  for (size_t i = 0; i < lines_.size(); ++i) {
    json::object o = parse_line(i);
    int t = static_cast<int>(o.at("thread").as_int64());
    EXPECT_EQ(o.at("i").as_int64(), next[t]++);  // per-thread order preserved
  }
}

TEST(LogStderr, WritesToStderrWhenNoSink) {
  set_level(Level::kInfo);
  ::testing::internal::CaptureStderr();
  info("to stderr").num("n", 7);
  std::string out = ::testing::internal::GetCapturedStderr();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  json::value v = json::parse(out.substr(0, out.size() - 1));
  EXPECT_EQ(v.at("n").as_int64(), 7);
}

// Batching writes to the real stderr: these tests point fd 2 at a pipe for their duration.
class StderrPipe {
 public:
  StderrPipe() {
    EXPECT_EQ(::pipe(fds_), 0);
    saved_ = ::dup(STDERR_FILENO);
    ::dup2(fds_[1], STDERR_FILENO);
    ::fcntl(fds_[0], F_SETFL, O_NONBLOCK);
  }
  ~StderrPipe() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  // Everything written so far (non-blocking).
  std::string drain() {
    std::string out;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(fds_[0], buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int fds_[2] = {-1, -1};
  int saved_ = -1;
};

TEST(LogBatching, InfoLinesWaitForFlushAndWarnLinesKeepOrder) {
  set_level(Level::kInfo);
  int first_pending_calls = 0;
  StderrPipe err;
  set_thread_batching(
      true, [](void* n) { ++*static_cast<int*>(n); }, &first_pending_calls);
  info("one").num("n", 1);
  info("two").num("n", 2);
  EXPECT_EQ(err.drain(), "");  // batched
  EXPECT_TRUE(thread_has_pending());
  EXPECT_EQ(first_pending_calls, 1);  // only when the batch became non-empty
  warn("three");                      // written at once, after the batch
  const std::string out = err.drain();
  EXPECT_FALSE(thread_has_pending());
  const size_t one = out.find("\"msg\":\"one\""), two = out.find("\"msg\":\"two\""),
               three = out.find("\"msg\":\"three\"");
  ASSERT_NE(one, std::string::npos);
  ASSERT_NE(two, std::string::npos);
  ASSERT_NE(three, std::string::npos);
  EXPECT_LT(one, two);
  EXPECT_LT(two, three);
  info("four");
  EXPECT_EQ(first_pending_calls, 2);
  EXPECT_TRUE(flush_thread());
  EXPECT_NE(err.drain().find("\"msg\":\"four\""), std::string::npos);
  EXPECT_FALSE(flush_thread());  // nothing left
  set_thread_batching(false);
}

TEST(LogBatching, BatchesAreWholeLinesOfAtMostKBatchBytes) {
  set_level(Level::kInfo);
  StderrPipe err;
  set_thread_batching(true);
  const std::string filler(300, 'x');
  for (int i = 0; i < 100; ++i)
    info("line").num("i", i).str("filler", filler);
  std::string out = err.drain();  // batches written as the buffer filled
  EXPECT_FALSE(out.empty());
  set_thread_batching(false);  // flushes the rest
  out += err.drain();
  size_t lines = 0, start = 0;
  for (size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    const auto v = json::parse(std::string_view(out).substr(start, nl - start));
    EXPECT_EQ(v.at("i").as_int64(), static_cast<int64_t>(lines));
    ++lines;
  }
  EXPECT_EQ(lines, 100u);
  EXPECT_EQ(start, out.size());
}

TEST(LogBatching, ThreadsThatDidNotOptInWriteAtOnce) {
  set_level(Level::kInfo);
  StderrPipe err;
  info("direct");
  EXPECT_NE(err.drain().find("\"msg\":\"direct\""), std::string::npos);
}

}  // namespace
}  // namespace cg::log
