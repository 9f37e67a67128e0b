// RankTable: byte string -> BPE rank for one encoding, a flat open-addressing hash over the
// token bytes linked into the binary (tables.h), plus direct tables for single bytes and byte
// pairs. Built once on first use (function-local statics); immutable after, so any thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace cg::tokenize {

inline constexpr uint32_t kNoRank = UINT32_MAX;

class RankTable {
 public:
  // `blob`: a ranks file written by gen/gen_tables.mjs. Aborts on a malformed one.
  explicit RankTable(std::span<const uint8_t> blob);

  // Rank of the token whose bytes are p[0..n), or kNoRank.
  uint32_t find(const uint8_t* p, size_t n) const;
  uint32_t byte_rank(uint8_t b) const { return byte_rank_[b]; }
  uint32_t pair_rank(uint8_t a, uint8_t b) const { return pair_rank_[size_t(a) << 8 | b]; }

  size_t size() const { return count_; }
  size_t longest() const { return longest_; }
  // Bytes of the token of rank r (< size()).
  std::string_view token(uint32_t r) const;

 private:
  const uint8_t* offsets_;  // u32[count_ + 1], little-endian
  const uint8_t* bytes_;
  size_t count_ = 0;
  size_t longest_ = 0;
  size_t mask_ = 0;
  struct Slot {
    uint64_t head;  // the token's first 8 bytes (zero-padded), so short tokens need no other read
    uint32_t rank;  // kNoRank when free
    uint32_t meta;  // length << 24 | 24 bits of the hash
  };
  std::vector<Slot> slots_;
  std::vector<uint32_t> byte_rank_;
  std::vector<uint32_t> pair_rank_;  // 65536 entries
};

const RankTable& o200k_base_table();
const RankTable& cl100k_base_table();

}  // namespace cg::tokenize
