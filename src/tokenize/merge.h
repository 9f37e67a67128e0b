// Byte-pair encoding of one pre-tokenized piece: repeatedly merges the adjacent pair of parts
// whose concatenation has the lowest rank (the leftmost one on ties), as tiktoken does. Pure;
// any thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tokenize/rank_table.h"

namespace cg::tokenize {

// Tokens of piece p[0..n) (n >= 1): appended to *out when out is not null. Returns their count.
size_t encode_piece(const RankTable& table, const uint8_t* p, size_t n, std::vector<uint32_t>* out);

}  // namespace cg::tokenize
