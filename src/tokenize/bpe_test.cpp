// Known token ids of o200k_base and cl100k_base (taken from the reference tiktoken package),
// invalid UTF-8, and concurrent first use. Test thread only.
#include "tokenize/bpe.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace cg::tokenize {
namespace {

using Ids = std::vector<uint32_t>;

struct Vector {
  std::string text;
  Ids o200k, cl100k;
};

const std::vector<Vector>& vectors() {
  static const std::vector<Vector> v = {
      {"", {}, {}},
      {"hello world", {24912, 2375}, {15339, 1917}},
      {"Hello, World!", {13225, 11, 5922, 0}, {9906, 11, 4435, 0}},
      // Special tokens are ordinary text.
      {"<|endoftext|>", {27, 91, 419, 1440, 919, 91, 29}, {27, 91, 8862, 728, 428, 91, 29}},
      {"I'M here, you're not.",
       {40, 95346, 2105, 11, 7163, 625, 13},
       {40, 28703, 1618, 11, 499, 2351, 539, 13}},
      {"    indented\n\n\tcode();  \n",
       {271, 1383, 23537, 279, 86873, 4177, 4066},
       {262, 1280, 16243, 271, 44443, 2178, 2355}},
      {"1234567 + 89 = 1234656",
       {7633, 19354, 22, 659, 220, 7479, 314, 220, 7633, 36575, 21},
       {4513, 10961, 22, 489, 220, 4578, 284, 220, 4513, 19988, 21}},
      {"日本語のテキスト",
       {9048, 40909, 3385, 16056, 18368, 38236},
       {9080, 22656, 45918, 252, 16144, 57933, 62903, 71634}},
      {"👨‍👩‍👧‍👦 family",
       {28823, 101, 2524, 28823, 102, 2524, 28823, 100, 2524, 28823, 99, 3502},
       {9468, 239, 101, 378, 235, 9468, 239, 102, 378, 235, 9468, 239, 100, 378, 235, 9468, 239, 99,
        3070}},
      {"naïve café", {1503, 9954, 737, 30469}, {3458, 38672, 588, 53050}},
      {"a\u0301", {64, 13430}, {64, 54939}},
      // Invalid UTF-8 reads as U+FFFD, one per maximal ill-formed subsequence.
      {"\xff", {3251}, {5809}},
      {"a\x80"
       "b",
       {64, 3251, 65},
       {64, 5809, 65}},
      {"\xe2\x82", {3251}, {5809}},        // truncated sequence: one U+FFFD
      {"\xed\xa0\x80", {72387}, {58432}},  // encoded surrogate: three U+FFFD
      {"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", {72387}, {58432}},  // the same, written out
  };
  return v;
}

TEST(TokenizeVectors, O200kKnownIds) {
  for (const Vector& v : vectors()) {
    EXPECT_EQ(encode_o200k(v.text), v.o200k) << v.text;
    EXPECT_EQ(count_o200k(v.text), v.o200k.size()) << v.text;
  }
}

TEST(TokenizeVectors, Cl100kKnownIds) {
  for (const Vector& v : vectors()) {
    EXPECT_EQ(encode_cl100k(v.text), v.cl100k) << v.text;
    EXPECT_EQ(count_cl100k(v.text), v.cl100k.size()) << v.text;
  }
}

TEST(TokenizeVectors, EveryByteValueAloneIsOneToken) {
  // Lone bytes >= 0x80 are all ill-formed: each becomes U+FFFD, itself a single token.
  const Ids replacement = encode_o200k("\xef\xbf\xbd");
  ASSERT_EQ(replacement.size(), 1u);
  for (int b = 0; b < 256; ++b) {
    const std::string s(1, char(b));
    const Ids ids = encode_o200k(s);
    ASSERT_EQ(ids.size(), 1u) << b;
    if (b >= 0x80) {
      EXPECT_EQ(ids, replacement) << b;
    }
  }
}

TEST(TokenizeVectors, LoadTablesIsIdempotent) {
  load_tables();
  load_tables();
  EXPECT_EQ(count_o200k("hello world"), 2u);
}

TEST(TokenizeVectors, ConcurrentFirstUseAgrees) {
  // The tables are built lazily; the first calls may race. All threads must see the same ids.
  const std::string text = "Concurrent first use: 42 threads' worth of tokens, ünïcödé and 日本.";
  std::vector<Ids> results(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = i % 2 ? encode_cl100k(text) : encode_o200k(text); });
  }
  for (auto& t : threads)
    t.join();
  for (size_t i = 2; i < results.size(); ++i)
    EXPECT_EQ(results[i], results[i % 2]);
  EXPECT_EQ(results[0], encode_o200k(text));
  EXPECT_EQ(results[1], encode_cl100k(text));
}

}  // namespace
}  // namespace cg::tokenize
