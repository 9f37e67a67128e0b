// Throughput on the corpus' ~100 KB agent-like request body (JSON: system prompt, tool schemas,
// code, tool output). Prints MB/s; asserts only a generous floor (sanitizer builds are slow).
// Test thread only.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "tokenize/bpe.h"
#include "tokenize/reference_data.h"

namespace cg::tokenize {
namespace {

TEST(TokenizeSpeed, AgentBody) {
  std::string body;
  size_t want = 0;
  for (const auto& e : testing::load_reference()) {
    if (e.name.starts_with("agent#")) {
      body = e.bytes;
      want = e.o200k.size();
    }
  }
  ASSERT_GT(body.size(), 90'000u);
  ASSERT_EQ(count_o200k(body), want);  // also builds the tables before timing

  using Clock = std::chrono::steady_clock;
  auto mbps = [&](auto&& fn) {
    int rounds = 0;
    const auto start = Clock::now();
    auto elapsed = Clock::now() - start;
    do {
      fn();
      ++rounds;
      elapsed = Clock::now() - start;
    } while (elapsed < std::chrono::milliseconds(300));
    const double secs = std::chrono::duration<double>(elapsed).count();
    return double(body.size()) * rounds / secs / 1e6;
  };
  size_t sink = 0;
  const double count_mbps = mbps([&] { sink += count_o200k(body); });
  const double encode_mbps = mbps([&] { sink += encode_o200k(body).size(); });
  const double cl100k_mbps = mbps([&] { sink += count_cl100k(body); });
  std::printf(
      "[ speed ] %zu-byte body, %zu o200k tokens: count_o200k %.1f MB/s (%.2f ms), "
      "encode_o200k %.1f MB/s, count_cl100k %.1f MB/s\n",
      body.size(), want, count_mbps, body.size() / count_mbps / 1e3, encode_mbps, cl100k_mbps);
  EXPECT_GT(sink, 0u);
  EXPECT_GT(count_mbps, 0.5);
}

}  // namespace
}  // namespace cg::tokenize
