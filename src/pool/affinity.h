// Conversation affinity: which account served a conversation last, so its next turn goes to the
// same account (reasoning signatures are tied to one account, prompt caches are per account).
// AffinityMap is a bounded table key -> account with a TTL refreshed on every use; the key helpers
// derive the 64-bit key from what a request carries (pure, any thread).
// AffinityMap is single-threaded: owned by the Pool and touched only by its owner thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pool/fixed_table.h"
#include "pool/types.h"

namespace cg::pool {

// Affinity keys. Each kind hashes under its own key, so equal strings of different kinds do not
// collide; the result is never 0 (0 means "no affinity" in a SelectRequest).
// From a client session id or an Anthropic `metadata.user_id`.
uint64_t affinity_key_from_session(std::string_view session_id);
// From an OpenAI `prompt_cache_key`.
uint64_t affinity_key_from_cache_key(std::string_view prompt_cache_key);
// From the conversation's start: its system prompt and first message (as they appear in the body;
// the caller picks a stable rendering, e.g. the raw JSON text of both).
uint64_t affinity_key_from_prompt(std::string_view system_prompt, std::string_view first_message);

class AffinityMap {
 public:
  struct Entry {
    TimeMs expires = 0;
    AccountIndex account = kNoAccount;
  };

  // At most `max_entries` keys, each kept `ttl_ms` after its last use. `seed` mixes the table's
  // slot choice (pass a random value when keys come from clients).
  AffinityMap(size_t max_entries, int64_t ttl_ms, uint64_t seed = 0);

  // The live entry of `key`, or null (an expired one is erased). The caller may refresh it with
  // touch() or point it elsewhere with assign(); the pointer is valid until the next non-const
  // call.
  Entry* find(uint64_t key, TimeMs now);
  void touch(Entry& e, TimeMs now) const { e.expires = now + ttl_ms_; }
  void assign(Entry& e, AccountIndex account, TimeMs now) const {
    e.account = account;
    e.expires = now + ttl_ms_;
  }
  // Remembers `key` -> `account` (REQUIRES: find(key) returned null). At the size limit it first
  // sweeps a few slots for expired entries, then evicts the entry under its sweep hand.
  void insert(uint64_t key, AccountIndex account, TimeMs now);

  bool erase(uint64_t key) { return table_.erase(key); }
  size_t size() const { return table_.size(); }
  int64_t ttl_ms() const { return ttl_ms_; }

 private:
  // Looks at up to `budget` slots from the sweep hand, erasing expired entries.
  void sweep(size_t budget, TimeMs now);

  FixedTable<Entry> table_;
  int64_t ttl_ms_;
  size_t hand_ = 0;
};

}  // namespace cg::pool
