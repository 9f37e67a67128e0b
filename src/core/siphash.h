// SipHash-2-4 (Aumasson & Bernstein): a fast keyed pseudo-random function over short inputs,
// written from the paper's description. Used where a secret-keyed digest is enough (comparing
// client keys in constant time without a cryptographic hash per request). Pure; any thread.
#pragma once
#include <cstdint>
#include <string_view>

namespace cg {

struct SipKey {
  uint64_t k0 = 0, k1 = 0;
};

// The 64-bit SipHash-2-4 of `data` under `key` (key bytes 0..7 little-endian = k0, 8..15 = k1).
uint64_t siphash24(const SipKey& key, std::string_view data);

}  // namespace cg
