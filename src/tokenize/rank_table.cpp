// RankTable construction and lookup (see rank_table.h). Built once per encoding on first use;
// read-only afterwards, any thread.
#include "tokenize/rank_table.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>

#include "tokenize/tables.h"

namespace cg::tokenize {
namespace {

constexpr size_t kHeader = 16;

// The first min(n, 8) bytes of p as a little-endian integer, zero-padded, without reading past
// p + n (two overlapping loads instead of a byte loop).
inline uint64_t load_head(const uint8_t* p, size_t n) {
  if (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  if (n >= 4) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return uint64_t(lo) | uint64_t(hi) << (8 * (n - 4));
  }
  if (n == 0) return 0;
  return uint64_t(p[0]) | uint64_t(p[n / 2]) << (8 * (n / 2)) | uint64_t(p[n - 1]) << (8 * (n - 1));
}

// Hash of the n bytes at p whose head (load_head) is `head`: multiply-xorshift mixing.
inline uint64_t hash_bytes(uint64_t head, const uint8_t* p, size_t n) {
  constexpr uint64_t k1 = 0x9E3779B97F4A7C15ull, k2 = 0xC2B2AE3D27D4EB4Full;
  uint64_t h = (head ^ (n * k1)) * k2;
  for (size_t i = 8; i < n; i += 8) {
    h ^= h >> 29;
    h = (h ^ load_head(p + i, std::min<size_t>(8, n - i))) * k1;
  }
  h ^= h >> 32;
  h *= k1;
  return h ^ (h >> 29);
}

// Slot tag: the length in the top byte, 24 bits of the hash below.
inline uint32_t meta_of(uint64_t h, size_t n) {
  return uint32_t(n) << 24 | uint32_t(h >> 40);
}

}  // namespace

RankTable::RankTable(std::span<const uint8_t> blob) {
  if (blob.size() < kHeader || std::memcmp(blob.data(), "CGBP", 4) != 0) std::abort();
  count_ = load_u32(blob.data() + 4);
  const size_t total = load_u32(blob.data() + 8);
  longest_ = load_u32(blob.data() + 12);
  if (blob.size() != kHeader + 4 * (count_ + 1) + total) std::abort();
  offsets_ = blob.data() + kHeader;
  bytes_ = offsets_ + 4 * (count_ + 1);

  // Power-of-two capacity, at most ~40% full, so probe chains stay short.
  mask_ = std::bit_ceil(count_ * 5 / 2) - 1;
  slots_.assign(mask_ + 1, Slot{0, kNoRank, 0});
  byte_rank_.assign(256, kNoRank);
  pair_rank_.assign(65536, kNoRank);
  for (uint32_t r = 0; r < count_; ++r) {
    const std::string_view tok = token(r);
    const auto* p = reinterpret_cast<const uint8_t*>(tok.data());
    if (tok.size() == 1) byte_rank_[p[0]] = r;
    if (tok.size() == 2) pair_rank_[size_t(p[0]) << 8 | p[1]] = r;
    if (tok.size() > 255) std::abort();  // the slot keeps the length in one byte
    const uint64_t head = load_head(p, tok.size());
    const uint64_t h = hash_bytes(head, p, tok.size());
    size_t i = h & mask_;
    while (slots_[i].rank != kNoRank)
      i = (i + 1) & mask_;
    slots_[i] = Slot{head, r, meta_of(h, tok.size())};
  }
  for (uint32_t r : byte_rank_)
    if (r == kNoRank) std::abort();  // every byte must be a token: BPE always terminates in ranks
}

std::string_view RankTable::token(uint32_t r) const {
  const uint32_t begin = load_u32(offsets_ + 4 * size_t(r));
  const uint32_t end = load_u32(offsets_ + 4 * (size_t(r) + 1));
  return {reinterpret_cast<const char*>(bytes_ + begin), end - begin};
}

uint32_t RankTable::find(const uint8_t* p, size_t n) const {
  if (n > longest_ || n == 0) return kNoRank;
  const uint64_t head = load_head(p, n);
  const uint64_t h = hash_bytes(head, p, n);
  const uint32_t meta = meta_of(h, n);
  for (size_t i = h & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.rank == kNoRank) return kNoRank;
    if (slot.meta != meta || slot.head != head) continue;
    // Equal length and first 8 bytes; longer tokens compare the rest.
    if (n <= 8 || std::memcmp(token(slot.rank).data() + 8, p + 8, n - 8) == 0) return slot.rank;
  }
}

const RankTable& o200k_base_table() {
  static const RankTable table(o200k_base_blob());
  return table;
}

const RankTable& cl100k_base_table() {
  static const RankTable table(cl100k_base_blob());
  return table;
}

}  // namespace cg::tokenize
