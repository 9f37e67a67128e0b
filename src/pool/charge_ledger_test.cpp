// ChargeLedger: a request id is charged once while remembered; the oldest ids are forgotten first.
#include "pool/charge_ledger.h"

#include <gtest/gtest.h>

namespace cg::pool {
namespace {

TEST(ChargeLedger, OncePerIdFifoForgetting) {
  ChargeLedger l(4);
  EXPECT_TRUE(l.first_charge(11));
  EXPECT_FALSE(l.first_charge(11));
  EXPECT_TRUE(l.first_charge(12));
  EXPECT_TRUE(l.first_charge(13));
  EXPECT_TRUE(l.first_charge(14));
  EXPECT_EQ(l.size(), 4u);
  EXPECT_TRUE(l.first_charge(15));  // forgets 11, the oldest
  EXPECT_EQ(l.size(), 4u);
  EXPECT_FALSE(l.first_charge(12));
  EXPECT_FALSE(l.first_charge(15));
  EXPECT_TRUE(l.first_charge(11));
  // Id 0 = no id: never remembered.
  EXPECT_TRUE(l.first_charge(0));
  EXPECT_TRUE(l.first_charge(0));
  EXPECT_FALSE(l.contains(0));
}

TEST(ChargeLedger, LongRunStaysBounded) {
  ChargeLedger l(1000);
  for (uint64_t id = 1; id <= 100'000; ++id) {
    ASSERT_TRUE(l.first_charge(id));
    ASSERT_FALSE(l.first_charge(id));
    if (id > 1000) {
      ASSERT_FALSE(l.contains(id - 1000));
    }
    if (id > 999) {
      ASSERT_TRUE(l.contains(id - 999));
    }
  }
  EXPECT_EQ(l.size(), 1000u);
}

}  // namespace
}  // namespace cg::pool
