// Tests for core/log.h: every line is one valid JSON object, the level filter works, values are
// escaped, and concurrent lines never interleave. Test thread only.
#include "core/log.h"

#include <gtest/gtest.h>

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

TEST_F(LogTest, EscapesStringsAndKeys) {
  const std::string nasty = "quote\" backslash\\ newline\n tab\t ctl\x01 utf8 \xc3\xa9";
  error(nasty).str("path", nasty).str("we\"ird", "v");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0].find('\n'), std::string::npos);
  json::object o = parse_line(0);
  EXPECT_EQ(o.at("msg").as_string(), nasty);
  EXPECT_EQ(o.at("path").as_string(), nasty);
  EXPECT_EQ(o.at("we\"ird").as_string(), "v");
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

}  // namespace
}  // namespace cg::log
