// Building blocks of a metrics shard: counter and histogram cells, and LabeledFamily, a
// fixed-capacity table of label sets -> cells.
// Threading: exactly one writer thread per shard (the owning worker) calls get()/add()/observe();
// any thread may read concurrently through size()/labels()/cell()/overflow(). No locks and no
// atomic read-modify-write: cells are std::atomic values updated with relaxed load+store (only the
// owner writes), a new label set is published by filling its slot and then storing the slot
// count with release order; readers load the count with acquire and only read published slots,
// whose label strings never change again.
#pragma once
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace cg::metrics {

// Series per family and shard before new label sets fold into the "other" overflow series.
inline constexpr size_t kMaxSeries = 128;
// Label values longer than this are truncated (defence against unbounded client strings).
inline constexpr size_t kMaxLabelBytes = 128;

inline void relaxed_add(std::atomic<uint64_t>& a, uint64_t n) {
  a.store(a.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

struct CounterCell {
  std::atomic<uint64_t> value{0};
  void add(uint64_t n) { relaxed_add(value, n); }
  uint64_t load() const { return value.load(std::memory_order_relaxed); }
};

// Non-cumulative bucket counts (index i counts values <= bounds[i] and > bounds[i-1]; the last
// index counts values above every bound, i.e. le="+Inf"). Cumulated at render time.
template <size_t NBounds>
struct HistogramCell {
  std::array<std::atomic<uint64_t>, NBounds + 1> buckets{};
  std::atomic<double> sum{0.0};

  void observe(double v, const std::array<double, NBounds>& bounds) {
    size_t i = 0;
    while (i < NBounds && v > bounds[i])
      ++i;
    relaxed_add(buckets[i], 1);
    sum.store(sum.load(std::memory_order_relaxed) + v, std::memory_order_relaxed);
  }
};

template <size_t NLabels, class Cell, size_t Capacity = kMaxSeries>
class LabeledFamily {
 public:
  using Labels = std::array<std::string_view, NLabels>;

  // Owner thread only. Finds or creates the series for `labels`; allocation-free once the label
  // set exists. Returns the overflow cell when the table is full.
  Cell& get(const Labels& raw) {
    Labels labels;
    for (size_t i = 0; i < NLabels; ++i)
      labels[i] = raw[i].substr(0, kMaxLabelBytes);
    const uint64_t h = hash(labels);
    const uint32_t n = count_.load(std::memory_order_relaxed);
    size_t pos = h & (kIndexSize - 1);
    for (;; pos = (pos + 1) & (kIndexSize - 1)) {
      const uint16_t entry = index_[pos];
      if (entry == 0) break;
      Slot& s = slots_[entry - 1];
      if (s.hash == h && equal(s.labels, labels)) return s.cell;
    }
    if (n == Capacity) return overflow_;
    Slot& s = slots_[n];
    for (size_t i = 0; i < NLabels; ++i)
      s.labels[i].assign(labels[i]);
    s.hash = h;
    index_[pos] = static_cast<uint16_t>(n + 1);
    count_.store(n + 1, std::memory_order_release);  // publish the slot
    return s.cell;
  }

  // Any thread.
  uint32_t size() const { return count_.load(std::memory_order_acquire); }
  // REQUIRES: i < size() as read by this thread.
  const std::array<std::string, NLabels>& labels(uint32_t i) const { return slots_[i].labels; }
  const Cell& cell(uint32_t i) const { return slots_[i].cell; }
  const Cell& overflow() const { return overflow_; }

 private:
  static constexpr size_t kIndexSize = 2 * Capacity;  // power of two, load factor <= 0.5
  static_assert((kIndexSize & (kIndexSize - 1)) == 0 && Capacity < 65535);

  struct Slot {
    std::array<std::string, NLabels> labels;
    uint64_t hash = 0;
    Cell cell;
  };

  // Word-at-a-time multiplicative hash; the index only needs a good spread, not security.
  static uint64_t hash(const Labels& labels) {
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (std::string_view l : labels) {
      const char* p = l.data();
      size_t n = l.size();
      for (; n >= 8; n -= 8, p += 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
      }
      uint64_t tail = 0;
      std::memcpy(&tail, p, n);
      h = (h ^ tail ^ (uint64_t(l.size()) << 56)) * 0xc4ceb9fe1a85ec53ull;  // length separates
    }
    return h ^ (h >> 32);
  }
  static bool equal(const std::array<std::string, NLabels>& a, const Labels& b) {
    for (size_t i = 0; i < NLabels; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

  std::array<Slot, Capacity> slots_{};
  Cell overflow_{};
  std::array<uint16_t, kIndexSize> index_{};  // owner thread only; slot index + 1, 0 = empty
  std::atomic<uint32_t> count_{0};
};

}  // namespace cg::metrics
