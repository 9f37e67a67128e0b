// Tests for find_bytes against std::string_view::find on fixed and generated inputs.
#include "core/find_bytes.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace cg {
namespace {

TEST(FindBytes, MatchesStdFindOnEdgeCases) {
  const std::string_view hay = R"({"id":"x","choices":[],"usage":{"prompt_tokens":3}})";
  EXPECT_EQ(find_bytes(hay, "\"usage\""), hay.find("\"usage\""));
  EXPECT_EQ(find_bytes(hay, "\"nope\""), std::string_view::npos);
  EXPECT_EQ(find_bytes(hay, ""), 0u);
  EXPECT_EQ(find_bytes("", "a"), std::string_view::npos);
  EXPECT_EQ(find_bytes("ab", "abc"), std::string_view::npos);
  EXPECT_EQ(find_bytes("abc", "abc"), 0u);
  EXPECT_EQ(find_bytes("xxabc", "c"), 4u);
  EXPECT_EQ(find_bytes("xxabc", "bc"), 3u);
  // A match that ends exactly at the end of a long haystack (the vector loop's boundary).
  std::string long_hay(100, 'a');
  long_hay += "\"usage\"";
  EXPECT_EQ(find_bytes(long_hay, "\"usage\""), 100u);
  // First and last bytes match often, the middle does not.
  std::string tricky;
  for (int i = 0; i < 40; ++i)
    tricky += "\"usagX\"";
  EXPECT_EQ(find_bytes(tricky, "\"usage\""), std::string_view::npos);
  tricky += "\"usage\"";
  EXPECT_EQ(find_bytes(tricky, "\"usage\""), tricky.size() - 7);
}

TEST(FindBytes, AgreesWithStdFindOnRandomInputs) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> letter(0, 3);
  for (int round = 0; round < 5000; ++round) {
    std::string hay(static_cast<size_t>(rng() % 140), ' ');
    for (char& c : hay)
      c = static_cast<char>('a' + letter(rng));
    std::string needle(static_cast<size_t>(1 + rng() % 5), ' ');
    for (char& c : needle)
      c = static_cast<char>('a' + letter(rng));
    ASSERT_EQ(find_bytes(hay, needle), std::string_view(hay).find(needle))
        << "hay=" << hay << " needle=" << needle;
    ASSERT_EQ(detail::find_bytes_portable(hay, needle), std::string_view(hay).find(needle))
        << "hay=" << hay << " needle=" << needle;
  }
}

}  // namespace
}  // namespace cg
