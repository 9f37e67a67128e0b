// SipHash-2-4 against the reference test vectors (key 00 01 .. 0f, messages 00 01 .. n-1).
#include "core/siphash.h"

#include <gtest/gtest.h>

#include <string>

namespace cg {
namespace {

SipKey reference_key() {
  // Bytes 00..0f read little-endian.
  return SipKey{0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
}

std::string counting_message(size_t n) {
  std::string m;
  for (size_t i = 0; i < n; ++i)
    m.push_back(static_cast<char>(i));
  return m;
}

TEST(SipHash, MatchesReferenceVectors) {
  const SipKey k = reference_key();
  EXPECT_EQ(siphash24(k, counting_message(0)), 0x726fdb47dd0e0e31ull);
  EXPECT_EQ(siphash24(k, counting_message(15)), 0xa129ca6149be45e5ull);
}

TEST(SipHash, DependsOnKeyAndEveryByte) {
  const SipKey k = reference_key();
  const std::string a = "sk-gateway-key-0123456789";
  std::string b = a;
  b.back() = '8';
  EXPECT_NE(siphash24(k, a), siphash24(k, b));
  EXPECT_NE(siphash24(k, a), siphash24(SipKey{1, 2}, a));
  EXPECT_NE(siphash24(k, "a"), siphash24(k, std::string_view("a\0", 2)));
}

}  // namespace
}  // namespace cg
