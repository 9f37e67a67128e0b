// Equivalence with the reference: every token id of every corpus string (gen/corpus.mjs: prose,
// code, JSON, scripts, emoji, whitespace, numbers, contractions, long runs, random code points and
// random bytes) must equal what the tiktoken npm package produced at build time, and count_*()
// must equal encode_*().size(). Test thread only.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tokenize/bpe.h"
#include "tokenize/reference_data.h"

namespace cg::tokenize {
namespace {

using testing::load_reference;
using testing::ReferenceEntry;

const std::vector<ReferenceEntry>& reference() {
  static const std::vector<ReferenceEntry> entries = load_reference();
  return entries;
}

// First differing token, for a readable failure.
std::string first_difference(const std::vector<uint32_t>& got, const std::vector<uint32_t>& want) {
  size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i])
    ++i;
  return "first difference at token " + std::to_string(i) + " of " + std::to_string(want.size()) +
         " (got " + (i < got.size() ? std::to_string(got[i]) : "end") + ", want " +
         (i < want.size() ? std::to_string(want[i]) : "end") + ")";
}

template <typename Encode>
void compare_all(Encode encode, std::vector<uint32_t> ReferenceEntry::*expected, const char* what) {
  size_t strings = 0, tokens = 0, bytes = 0, failures = 0;
  for (const ReferenceEntry& e : reference()) {
    const std::vector<uint32_t> got = encode(e.bytes);
    const std::vector<uint32_t>& want = e.*expected;
    ++strings;
    tokens += want.size();
    bytes += e.bytes.size();
    if (got != want && ++failures <= 20)
      ADD_FAILURE() << what << " " << e.name << ": " << first_difference(got, want);
  }
  EXPECT_EQ(failures, 0u);
  EXPECT_GT(strings, 5000u);
  std::printf("[ %s ] %zu strings, %zu bytes, %zu reference tokens compared, %zu mismatching\n",
              what, strings, bytes, tokens, failures);
}

TEST(TokenizeReference, O200kMatchesTiktoken) {
  compare_all([](std::string_view s) { return encode_o200k(s); }, &ReferenceEntry::o200k,
              "o200k_base");
}

TEST(TokenizeReference, Cl100kMatchesTiktoken) {
  compare_all([](std::string_view s) { return encode_cl100k(s); }, &ReferenceEntry::cl100k,
              "cl100k_base");
}

TEST(TokenizeReference, CountEqualsEncodeSize) {
  size_t strings = 0;
  for (const ReferenceEntry& e : reference()) {
    ASSERT_EQ(count_o200k(e.bytes), encode_o200k(e.bytes).size()) << e.name;
    ASSERT_EQ(count_cl100k(e.bytes), encode_cl100k(e.bytes).size()) << e.name;
    ++strings;
  }
  std::printf("[ count ] %zu strings x 2 encodings\n", strings);
}

TEST(TokenizeReference, CorpusCoversEveryCategory) {
  for (const char* category :
       {"prose#", "code#", "script#", "contraction#", "number#", "whitespace#", "repeat#",
        "package#", "salad#", "ascii#", "codepoint#", "probe#", "bytes#", "agent#"}) {
    size_t n = 0;
    for (const ReferenceEntry& e : reference())
      n += e.name.starts_with(category);
    EXPECT_GT(n, 0u) << category;
  }
}

}  // namespace
}  // namespace cg::tokenize
