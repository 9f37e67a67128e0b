// See affinity.h. Key helpers: pure, any thread. AffinityMap: the Pool's owner thread only.
#include "pool/affinity.h"

#include <cstring>

namespace cg::pool {
namespace {

// Fixed, distinct seeds per kind. The keys need spread, not secrecy: the table's random seed is
// what resists crafted keys. So a multiply-and-shift hash over 8-byte words (a few instructions
// per word; SipHash cost ~4x as much on every request) rather than a keyed one.
constexpr uint64_t kSessionSeed = 0x6166662d73657373ull;
constexpr uint64_t kCacheSeed = 0x652d6b65792d6b32ull;
constexpr uint64_t kSystemSeed = 0x656d2d6b65792d33ull;

uint64_t hash64(uint64_t seed, std::string_view s) {
  constexpr uint64_t kMul = 0xc6a4a7935bd1e995ull;
  constexpr int kShift = 47;
  uint64_t h = seed ^ (s.size() * kMul);
  const char* p = s.data();
  size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t k;
    std::memcpy(&k, p, 8);
    k *= kMul;
    k ^= k >> kShift;
    k *= kMul;
    h = (h ^ k) * kMul;
  }
  if (n > 0) {
    uint64_t k = 0;
    std::memcpy(&k, p, n);
    h = (h ^ k) * kMul;
  }
  h ^= h >> kShift;
  h *= kMul;
  return h ^ (h >> kShift);
}

uint64_t nonzero(uint64_t h) {
  return h == 0 ? 1 : h;
}

// Entries swept per insert at the limit before one is evicted.
constexpr size_t kSweepBudget = 32;

}  // namespace

uint64_t affinity_key_from_session(std::string_view session_id) {
  return nonzero(hash64(kSessionSeed, session_id));
}

uint64_t affinity_key_from_cache_key(std::string_view prompt_cache_key) {
  return nonzero(hash64(kCacheSeed, prompt_cache_key));
}

uint64_t affinity_key_from_prompt(std::string_view system_prompt, std::string_view first_message) {
  // Chained: the system prompt's digest (and its length) key the hash of the first message, so
  // moving bytes between the two changes the key.
  const uint64_t h = hash64(kSystemSeed, system_prompt);
  return nonzero(hash64(h ^ (system_prompt.size() * 0x9e3779b97f4a7c15ull), first_message));
}

AffinityMap::AffinityMap(size_t max_entries, int64_t ttl_ms, uint64_t seed)
    : table_(max_entries, seed), ttl_ms_(ttl_ms) {}

AffinityMap::Entry* AffinityMap::find(uint64_t key, TimeMs now) {
  Entry* e = table_.find(key);
  if (e && e->expires <= now) {
    table_.erase(key);
    return nullptr;
  }
  return e;
}

void AffinityMap::insert(uint64_t key, AccountIndex account, TimeMs now) {
  if (table_.full()) {
    sweep(kSweepBudget, now);
    if (table_.full()) {
      // Nothing expired nearby: evict the first entry at or after the hand.
      const size_t n = table_.slot_count();
      for (size_t k = 0; k < n; ++k) {
        const size_t i = (hand_ + k) & (n - 1);
        if (table_.slot_used(i)) {
          table_.erase_slot(i);
          hand_ = (i + 1) & (n - 1);
          break;
        }
      }
    }
  } else if (table_.size() * 2 >= table_.max_entries()) {
    // Past half the limit, keep expired entries from piling up: a short sweep per insert.
    sweep(2, now);
  }
  table_.insert(key, Entry{now + ttl_ms_, account});
}

void AffinityMap::sweep(size_t budget, TimeMs now) {
  const size_t n = table_.slot_count();
  for (size_t k = 0; k < budget; ++k) {
    const size_t i = hand_ & (n - 1);
    if (table_.slot_used(i) && table_.slot_value(i).expires <= now) {
      table_.erase_slot(i);  // slot i may now hold a shifted entry: look at it again
      continue;
    }
    hand_ = (i + 1) & (n - 1);
  }
}

}  // namespace cg::pool
