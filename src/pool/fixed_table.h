// FixedTable<V>: a bounded hash map from 64-bit keys to small values, open addressing with linear
// probing and backward-shift deletion (no tombstones). It grows by doubling up to the slot count
// its entry limit needs and never beyond, so once warm it does not allocate; callers evict before
// inserting at the limit. Keys are mixed with a seed, so a caller who keys it with client-derived
// hashes can pass a secret seed. Plain single-threaded container; no thread rules of its own.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cg::pool {

template <class V>
class FixedTable {
 public:
  // Holds at most `max_entries` (>= 1) at a load factor of at most 1/2.
  explicit FixedTable(size_t max_entries, uint64_t seed = 0)
      : max_entries_(max_entries < 1 ? 1 : max_entries), seed_(seed) {
    max_slots_ = 16;
    while (max_slots_ < 2 * max_entries_)
      max_slots_ *= 2;
    slots_.resize(max_slots_ < 64 ? max_slots_ : 64);
    mask_ = slots_.size() - 1;
  }

  size_t size() const { return size_; }
  size_t max_entries() const { return max_entries_; }
  bool full() const { return size_ >= max_entries_; }

  V* find(uint64_t key) {
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.key == key) return &s.value;
    }
  }

  // REQUIRES: `key` is absent and !full().
  V& insert(uint64_t key, const V& value) {
    if (2 * (size_ + 1) > slots_.size() && slots_.size() < max_slots_) grow();
    size_t i = home(key);
    while (slots_[i].used)
      i = (i + 1) & mask_;
    slots_[i].used = true;
    slots_[i].key = key;
    slots_[i].value = value;
    ++size_;
    return slots_[i].value;
  }

  bool erase(uint64_t key) {
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      if (!slots_[i].used) return false;
      if (slots_[i].key == key) {
        erase_slot(i);
        return true;
      }
    }
  }

  // Slot-level access for sweeps. erase_slot(i) may move a later entry into slot i, so a sweep
  // looks at slot i again after erasing it.
  size_t slot_count() const { return slots_.size(); }
  bool slot_used(size_t i) const { return slots_[i].used; }
  uint64_t slot_key(size_t i) const { return slots_[i].key; }
  V& slot_value(size_t i) { return slots_[i].value; }

  void erase_slot(size_t i) {
    // Backward shift: pull later entries of the same probe run into the hole when that does not
    // move them before their home slot.
    size_t hole = i;
    for (size_t j = (i + 1) & mask_; slots_[j].used; j = (j + 1) & mask_) {
      const size_t h = home(slots_[j].key);
      // Entry j may move to `hole` when its home is not within (hole, j] cyclically.
      const bool home_after_hole = ((j - h) & mask_) < ((j - hole) & mask_);
      if (home_after_hole) continue;
      slots_[hole] = slots_[j];
      hole = j;
    }
    slots_[hole].used = false;
    --size_;
  }

  void clear() {
    for (Slot& s : slots_)
      s.used = false;
    size_ = 0;
  }

 private:
  struct Slot {
    uint64_t key = 0;
    V value{};
    bool used = false;
  };

  size_t home(uint64_t key) const {
    // A 64-bit finalizer (xor-shift-multiply) so sequential keys spread over the slots.
    uint64_t x = key ^ seed_;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return static_cast<size_t>(x) & mask_;
  }

  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.resize(old.size() * 2);
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Slot& s : old)
      if (s.used) insert(s.key, s.value);
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
  size_t max_entries_;
  size_t max_slots_;
  uint64_t seed_;
};

}  // namespace cg::pool
