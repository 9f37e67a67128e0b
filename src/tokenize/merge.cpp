// Byte-pair merge (see merge.h): a whole-piece lookup first (most words are one token), then the
// quadratic scan over a small stack buffer for ordinary pieces, and a heap of candidate pairs
// for long ones (runs of one character, long identifiers) so they stay O(n log n). Pure; any
// thread.
#include "tokenize/merge.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <utility>

namespace cg::tokenize {
namespace {

// Pieces up to this many bytes use the scan; longer ones the heap.
constexpr size_t kSmall = 128;

// Parts k = 0..m-1 cover p[pos[k], pos[k + 1]); self[k] is part k's rank and pair[k] the rank of
// part k joined with part k + 1 (kNoRank if none). Each round merges the lowest pair.
size_t merge_small(const RankTable& table, const uint8_t* p, size_t n, std::vector<uint32_t>* out) {
  uint32_t pos[kSmall + 1], self[kSmall], pair[kSmall];
  for (size_t k = 0; k < n; ++k) {
    pos[k] = uint32_t(k);
    self[k] = table.byte_rank(p[k]);
    pair[k] = k + 1 < n ? table.pair_rank(p[k], p[k + 1]) : kNoRank;
  }
  pos[n] = uint32_t(n);
  size_t m = n;
  while (m > 1) {
    size_t best = 0;
    uint32_t best_rank = pair[0];
    for (size_t k = 1; k + 1 < m; ++k) {
      if (pair[k] < best_rank) {
        best_rank = pair[k];
        best = k;
      }
    }
    if (best_rank == kNoRank) break;
    // Part best absorbs part best + 1.
    self[best] = best_rank;
    std::memmove(pos + best + 1, pos + best + 2, (m - best - 1) * sizeof pos[0]);
    std::memmove(self + best + 1, self + best + 2, (m - best - 2) * sizeof self[0]);
    std::memmove(pair + best + 1, pair + best + 2, (m - best - 2) * sizeof pair[0]);
    --m;
    pair[best] = best + 1 < m ? table.find(p + pos[best], pos[best + 2] - pos[best]) : kNoRank;
    if (best > 0) pair[best - 1] = table.find(p + pos[best - 1], pos[best + 1] - pos[best - 1]);
  }
  if (out) out->insert(out->end(), self, self + m);
  return m;
}

// The same merges with a linked list of parts (identified by their start offset, which never
// changes) and a min-heap of (pair rank, start): the smallest entry is the lowest pair, leftmost
// on ties. Entries go stale when their part was absorbed or its pair changed; a pair's span only
// grows, so an entry is current exactly when its rank still equals the part's pair rank.
size_t merge_large(const RankTable& table, const uint8_t* p, size_t n, std::vector<uint32_t>* out) {
  struct Part {
    uint32_t next;  // start of the next part; n for the last
    uint32_t prev;  // start of the previous part; UINT32_MAX for the first
    uint32_t self;
    uint32_t pair;
  };
  std::vector<Part> parts(n);
  using Entry = std::pair<uint32_t, uint32_t>;  // (rank, start)
  std::vector<Entry> heap;
  heap.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    const uint32_t pr = k + 1 < n ? table.pair_rank(p[k], p[k + 1]) : kNoRank;
    parts[k] = {uint32_t(k + 1), k ? uint32_t(k - 1) : UINT32_MAX, table.byte_rank(p[k]), pr};
    if (pr != kNoRank) heap.emplace_back(pr, uint32_t(k));
  }
  const auto later = std::greater<Entry>();
  std::make_heap(heap.begin(), heap.end(), later);
  // The rank of part s joined with its next part.
  auto pair_of = [&](uint32_t s) {
    const uint32_t nx = parts[s].next;
    if (nx >= n) return kNoRank;
    const uint32_t end = parts[nx].next;
    return table.find(p + s, end - s);
  };
  auto set_pair = [&](uint32_t s) {
    parts[s].pair = pair_of(s);
    if (parts[s].pair != kNoRank) {
      heap.emplace_back(parts[s].pair, s);
      std::push_heap(heap.begin(), heap.end(), later);
    }
  };
  size_t m = n;
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const auto [rank, s] = heap.back();
    heap.pop_back();
    Part& part = parts[s];
    if (part.pair != rank) continue;  // stale (absorbed parts have pair == kNoRank)
    const uint32_t absorbed = part.next;
    part.self = rank;
    part.next = parts[absorbed].next;
    parts[absorbed].pair = kNoRank;
    if (part.next < n) parts[part.next].prev = s;
    --m;
    set_pair(s);
    if (part.prev != UINT32_MAX) set_pair(part.prev);
  }
  if (out) {
    for (uint32_t s = 0; s < n; s = parts[s].next)
      out->push_back(parts[s].self);
  }
  return m;
}

}  // namespace

size_t encode_piece(const RankTable& table, const uint8_t* p, size_t n,
                    std::vector<uint32_t>* out) {
  uint32_t whole = n == 1 ? table.byte_rank(p[0]) : table.find(p, n);
  if (whole != kNoRank) {
    if (out) out->push_back(whole);
    return 1;
  }
  return n <= kSmall ? merge_small(table, p, n, out) : merge_large(table, p, n, out);
}

}  // namespace cg::tokenize
