// Tests for RankTable: every token of both encodings is found at its own rank, and byte
// strings that are not tokens are not found. Test thread only.
#include "tokenize/rank_table.h"

#include <gtest/gtest.h>

#include <string>

namespace cg::tokenize {
namespace {

const uint8_t* bytes_of(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

void expect_round_trip(const RankTable& table, size_t expected_size) {
  ASSERT_EQ(table.size(), expected_size);
  size_t mismatches = 0;
  for (uint32_t r = 0; r < table.size(); ++r) {
    const std::string_view tok = table.token(r);
    mismatches += table.find(bytes_of(tok), tok.size()) != r;
    if (tok.size() == 1) {
      EXPECT_EQ(table.byte_rank(bytes_of(tok)[0]), r);
    } else if (tok.size() == 2) {
      EXPECT_EQ(table.pair_rank(bytes_of(tok)[0], bytes_of(tok)[1]), r);
    }
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(table.longest(), 128u);
}

TEST(TokenizeRankTable, O200kEveryTokenAtItsRank) {
  expect_round_trip(o200k_base_table(), 199998);
}

TEST(TokenizeRankTable, Cl100kEveryTokenAtItsRank) {
  expect_round_trip(cl100k_base_table(), 100256);
}

TEST(TokenizeRankTable, NonTokensAreNotFound) {
  const RankTable& table = o200k_base_table();
  const std::string absent[] = {"", "\xff\xfe\xfd\xfc", "qqqqqqqqqqqqqqqqqqqqqqqqqq",
                                std::string(129, 'a'), std::string(300, ' ')};
  for (const std::string& s : absent)
    EXPECT_EQ(table.find(bytes_of(s), s.size()), kNoRank) << s;
  const std::string hello = " hello";
  EXPECT_NE(table.find(bytes_of(hello), hello.size()), kNoRank);
}

}  // namespace
}  // namespace cg::tokenize
