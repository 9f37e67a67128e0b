// InlineBytes: keeps what fits, refuses (and empties) what does not. Test thread only.
#include "core/inline_bytes.h"

#include <gtest/gtest.h>

#include <string>

namespace cg {
namespace {

TEST(InlineBytes, KeepsWhatFitsAndRefusesTheRest) {
  InlineBytes<8> b;
  EXPECT_TRUE(b.empty());
  EXPECT_TRUE(b.assign("12345678"));
  EXPECT_EQ(b.view(), "12345678");
  EXPECT_FALSE(b.assign("123456789"));
  EXPECT_TRUE(b.empty());
  EXPECT_TRUE(b.assign(""));
  EXPECT_EQ(b.size(), 0u);
}

}  // namespace
}  // namespace cg
