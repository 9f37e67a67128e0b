// Tests for the id generators: UUID v4 layout and uniqueness, token id alphabet and length.
#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace cg {
namespace {

TEST(Ids, UuidHasVersion4Layout) {
  for (int i = 0; i < 1000; ++i) {
    const std::string u = new_uuid();
    ASSERT_EQ(u.size(), 36u);
    for (size_t k = 0; k < u.size(); ++k) {
      if (k == 8 || k == 13 || k == 18 || k == 23) {
        ASSERT_EQ(u[k], '-') << u;
      } else {
        ASSERT_TRUE((u[k] >= '0' && u[k] <= '9') || (u[k] >= 'a' && u[k] <= 'f')) << u;
      }
    }
    ASSERT_EQ(u[14], '4') << u;
    ASSERT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
  }
}

TEST(Ids, UuidsAreUniqueAndUseEveryDigitPosition) {
  std::set<std::string> seen;
  std::string ored(36, '0');
  for (int i = 0; i < 10000; ++i) {
    std::string u = new_uuid();
    for (size_t k = 0; k < u.size(); ++k)
      if (u[k] != '0' && u[k] != '-') ored[k] = 'x';
    seen.insert(std::move(u));
  }
  EXPECT_EQ(seen.size(), 10000u);
  // Every random position took a non-zero digit at least once (no position stuck at '0').
  for (size_t k = 0; k < ored.size(); ++k) {
    if (k != 8 && k != 13 && k != 18 && k != 23) {
      EXPECT_EQ(ored[k], 'x') << k;
    }
  }
}

TEST(Ids, TokenIdHasPrefixLengthAndAlphabet) {
  const std::string id = new_token_id("chatcmpl-", 24);
  ASSERT_EQ(id.size(), 9u + 24u);
  EXPECT_EQ(id.rfind("chatcmpl-", 0), 0u);
  for (char c : id.substr(9))
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << id;
}

}  // namespace
}  // namespace cg
