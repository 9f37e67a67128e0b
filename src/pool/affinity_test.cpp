// AffinityMap (TTL refreshed on use, bounded size) and the affinity key helpers.
#include "pool/affinity.h"

#include <gtest/gtest.h>

#include "pool/test_clock.h"

namespace cg::pool {
namespace {

using testing::kStart;

TEST(AffinityKeys, StableDistinctAndNonZero) {
  EXPECT_EQ(affinity_key_from_session("user_abc_session_1"),
            affinity_key_from_session("user_abc_session_1"));
  EXPECT_NE(affinity_key_from_session("user_abc_session_1"),
            affinity_key_from_session("user_abc_session_2"));
  // Same text, different kinds: different keys.
  EXPECT_NE(affinity_key_from_session("k"), affinity_key_from_cache_key("k"));
  EXPECT_NE(affinity_key_from_cache_key("k"), affinity_key_from_prompt("k", ""));
  // Moving bytes between system prompt and first message changes the key.
  EXPECT_NE(affinity_key_from_prompt("ab", "c"), affinity_key_from_prompt("a", "bc"));
  EXPECT_EQ(affinity_key_from_prompt("You are helpful.", "hi"),
            affinity_key_from_prompt("You are helpful.", "hi"));
  EXPECT_NE(affinity_key_from_prompt("You are helpful.", "hi"),
            affinity_key_from_prompt("You are helpful.", "hi!"));
  EXPECT_NE(affinity_key_from_session(""), 0u);
}

TEST(AffinityMap, TtlIsRefreshedOnUse) {
  AffinityMap m(100, 10 * kMinuteMs);
  m.insert(42, 3, kStart);
  AffinityMap::Entry* e = m.find(42, kStart + 9 * kMinuteMs);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->account, 3);
  m.touch(*e, kStart + 9 * kMinuteMs);
  EXPECT_NE(m.find(42, kStart + 18 * kMinuteMs), nullptr);  // alive thanks to the touch
  EXPECT_EQ(m.find(42, kStart + 19 * kMinuteMs), nullptr);  // expired and erased
  EXPECT_EQ(m.size(), 0u);
}

TEST(AffinityMap, BoundedSizeEvictsExpiredFirst) {
  const size_t cap = 1000;
  AffinityMap m(cap, kMinuteMs);
  TimeMs now = kStart;
  // Twice the limit of distinct keys: the size never passes the limit.
  for (uint64_t k = 1; k <= 2 * cap; ++k) {
    m.insert(k, static_cast<AccountIndex>(k % 7), now);
    ASSERT_LE(m.size(), cap);
  }
  EXPECT_EQ(m.size(), cap);
  // Once the old entries have expired, new keys replace expired ones, not live ones.
  now += 2 * kMinuteMs;
  for (uint64_t k = 10'001; k <= 10'000 + cap; ++k)
    m.insert(k, 1, now);
  for (uint64_t k = 10'001; k <= 10'000 + cap; ++k)
    ASSERT_NE(m.find(k, now), nullptr) << k;
}

TEST(AffinityMap, ReassignMovesTheKey) {
  AffinityMap m(10, kMinuteMs);
  m.insert(7, 0, kStart);
  AffinityMap::Entry* e = m.find(7, kStart);
  ASSERT_NE(e, nullptr);
  m.assign(*e, 2, kStart + 30 * kSecondMs);
  EXPECT_EQ(m.find(7, kStart + 80 * kSecondMs)->account, 2);
  EXPECT_TRUE(m.erase(7));
  EXPECT_EQ(m.find(7, kStart), nullptr);
}

}  // namespace
}  // namespace cg::pool
