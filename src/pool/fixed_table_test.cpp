// FixedTable: agrees with std::unordered_map under random inserts and erases (backward-shift
// deletion keeps every key findable), grows only up to its limit.
#include "pool/fixed_table.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

namespace cg::pool {
namespace {

TEST(FixedTable, MatchesAReferenceMapUnderChurn) {
  for (uint64_t seed : {0ull, 0x1234567ull}) {
    FixedTable<int> t(500, seed);
    std::unordered_map<uint64_t, int> ref;
    std::mt19937_64 rng(seed + 1);
    for (int step = 0; step < 200000; ++step) {
      // Small key space: many hits, erases and clusters. Key 0 is an ordinary key.
      const uint64_t key = rng() % 900;
      const int op = static_cast<int>(rng() % 3);
      if (op == 0 && !t.full() && !ref.count(key)) {
        t.insert(key, step);
        ref[key] = step;
      } else if (op == 1) {
        ASSERT_EQ(t.erase(key), ref.erase(key) == 1);
      } else {
        int* v = t.find(key);
        auto it = ref.find(key);
        ASSERT_EQ(v != nullptr, it != ref.end()) << key;
        if (v) {
          ASSERT_EQ(*v, it->second);
        }
      }
      ASSERT_EQ(t.size(), ref.size());
    }
    for (const auto& [k, v] : ref)
      ASSERT_NE(t.find(k), nullptr);
  }
}

TEST(FixedTable, SequentialKeysAndSlotSweep) {
  FixedTable<int> t(1000);
  for (int i = 0; i < 1000; ++i)
    t.insert(static_cast<uint64_t>(i), i);
  EXPECT_TRUE(t.full());
  EXPECT_LE(t.slot_count(), 2048u);  // never grows past twice the limit (rounded to a power of 2)
  // Erase the even values by a slot sweep (re-checking a slot after erasing it).
  for (size_t i = 0; i < t.slot_count();) {
    if (t.slot_used(i) && t.slot_value(i) % 2 == 0) {
      t.erase_slot(i);
      continue;
    }
    ++i;
  }
  EXPECT_EQ(t.size(), 500u);
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(t.find(static_cast<uint64_t>(i)) != nullptr, i % 2 == 1) << i;
  t.clear();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.find(1), nullptr);
}

}  // namespace
}  // namespace cg::pool
