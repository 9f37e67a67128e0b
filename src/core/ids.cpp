// See ids.h. Uses a thread_local xoshiro-style generator seeded from std::random_device.
#include "core/ids.h"

#include <cstdint>
#include <cstring>
#include <random>

namespace cg {
namespace {

struct Rng {
  uint64_t s[2];
  Rng() {
    std::random_device rd;
    s[0] = (uint64_t(rd()) << 32) ^ rd();
    s[1] = (uint64_t(rd()) << 32) ^ rd() ^ 0x9e3779b97f4a7c15ull;
  }
  uint64_t next() {  // xorshift128+
    uint64_t a = s[0];
    const uint64_t b = s[1];
    s[0] = b;
    a ^= a << 23;
    s[1] = a ^ b ^ (a >> 17) ^ (b >> 26);
    return s[1] + b;
  }
};

Rng& rng() {
  thread_local Rng r;
  return r;
}

}  // namespace

std::string new_uuid() {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t hi = rng().next(), lo = rng().next();
  hi = (hi & ~0xf000ull) | 0x4000ull;                         // version 4
  lo = (lo & 0x3fffffffffffffffull) | 0x8000000000000000ull;  // variant 10
  std::string out(36, '-');
  char* p = out.data();
  // 8-4-4-4-12 hex digits: the dashes are already in place.
  static constexpr uint8_t kPos[32] = {0,  1,  2,  3,  4,  5,  6,  7,  9,  10, 11,
                                       12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25,
                                       26, 27, 28, 29, 30, 31, 32, 33, 34, 35};
  for (int i = 0; i < 16; ++i) {
    p[kPos[i]] = kHex[(hi >> (60 - 4 * i)) & 15];
    p[kPos[16 + i]] = kHex[(lo >> (60 - 4 * i)) & 15];
  }
  return out;
}

std::string new_token_id(std::string_view prefix, size_t n) {
  static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  Rng& r = rng();
  std::string out(prefix.size() + n, '\0');
  std::memcpy(out.data(), prefix.data(), prefix.size());
  char* p = out.data() + prefix.size();
  // Nine characters per 64-bit draw: 2^64 / 62^9 > 1364, so no character value is more than
  // 0.1% likelier than another.
  for (size_t i = 0; i < n; i += 9) {
    uint64_t v = r.next();
    for (size_t j = i; j < n && j < i + 9; ++j) {
      p[j] = kAlnum[v % 62];
      v /= 62;
    }
  }
  return out;
}

}  // namespace cg
