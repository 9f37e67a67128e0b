// See affinity.h. Key helpers: pure, any thread. AffinityMap: the Pool's owner thread only.
#include "pool/affinity.h"

#include "core/siphash.h"

namespace cg::pool {
namespace {

// Fixed, distinct keys per kind (not secrets: the table's seed is what resists crafted keys).
constexpr SipKey kSessionKey{0x6166662d73657373ull, 0x696f6e2d6b657931ull};
constexpr SipKey kCacheKey{0x6166662d63616368ull, 0x652d6b65792d6b32ull};
constexpr SipKey kSystemKey{0x6166662d73797374ull, 0x656d2d6b65792d33ull};

uint64_t nonzero(uint64_t h) {
  return h == 0 ? 1 : h;
}

// Entries swept per insert at the limit before one is evicted.
constexpr size_t kSweepBudget = 32;

}  // namespace

uint64_t affinity_key_from_session(std::string_view session_id) {
  return nonzero(siphash24(kSessionKey, session_id));
}

uint64_t affinity_key_from_cache_key(std::string_view prompt_cache_key) {
  return nonzero(siphash24(kCacheKey, prompt_cache_key));
}

uint64_t affinity_key_from_prompt(std::string_view system_prompt, std::string_view first_message) {
  // Chained: the system prompt's digest (and its length) key the hash of the first message, so
  // moving bytes between the two changes the key.
  const uint64_t h = siphash24(kSystemKey, system_prompt);
  return nonzero(siphash24(SipKey{h, system_prompt.size()}, first_message));
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
