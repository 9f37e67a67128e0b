// The x-quota-snapshot-* header parser on good, partial and garbage input.
#include "pool/quota_header.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "pool/dates.h"

namespace cg::pool {
namespace {

TEST(QuotaHeader, ParsesAllFields) {
  const QuotaHeader h =
      parse_quota_header("ent=300&ov=0.0&ovPerm=false&rem=85.5&rst=2026-12-01T00:00:00Z");
  EXPECT_EQ(h.entitlement, 300);
  EXPECT_EQ(h.overage_used, 0.0);
  EXPECT_EQ(h.overage_permitted, false);
  EXPECT_EQ(h.percent_remaining, 85.5);
  EXPECT_EQ(h.reset_ms, parse_date_ms("2026-12-01"));
  EXPECT_FALSE(h.empty());
}

TEST(QuotaHeader, DecodesUrlEncoding) {
  const QuotaHeader h = parse_quota_header(
      "ent=1500&ov=12.5&ovPerm=TRUE&rem=%2B42&rst=2026-12-01T06%3A30%3A00%2B00%3A00");
  EXPECT_EQ(h.entitlement, 1500);
  EXPECT_EQ(h.overage_used, 12.5);
  EXPECT_EQ(h.overage_permitted, true);
  EXPECT_EQ(h.percent_remaining, 42);
  EXPECT_EQ(h.reset_ms, *parse_date_ms("2026-12-01") + 6 * kHourMs + 30 * kMinuteMs);
  // Encoded keys, `+` as space (trimmed), `;` separators, a plain date.
  const QuotaHeader g = parse_quota_header("%65nt=50;+rem+=+10+;rst=2027-01-01");
  EXPECT_EQ(g.entitlement, 50);
  EXPECT_EQ(g.percent_remaining, 10);
  EXPECT_EQ(g.reset_ms, parse_date_ms("2027-01-01"));
}

TEST(QuotaHeader, UnlimitedAndClamping) {
  EXPECT_EQ(parse_quota_header("ent=-1&rem=100").entitlement, -1);
  EXPECT_FALSE(parse_quota_header("ent=-2").entitlement);
  EXPECT_EQ(parse_quota_header("rem=150").percent_remaining, 100);
  EXPECT_EQ(parse_quota_header("rem=-3").percent_remaining, 0);
}

TEST(QuotaHeader, PartialInputKeepsWhatParses) {
  const QuotaHeader h = parse_quota_header("rem=12.5");
  EXPECT_EQ(h.percent_remaining, 12.5);
  EXPECT_FALSE(h.entitlement);
  EXPECT_FALSE(h.reset_ms);
  EXPECT_FALSE(h.overage_permitted);

  const QuotaHeader g = parse_quota_header("ent=abc&ov=&ovPerm=maybe&rem=50&rst=soon&x=1&&=&ent");
  EXPECT_FALSE(g.entitlement);
  EXPECT_FALSE(g.overage_used);
  EXPECT_FALSE(g.overage_permitted);
  EXPECT_EQ(g.percent_remaining, 50);
  EXPECT_FALSE(g.reset_ms);

  // A repeated key keeps the last valid value.
  EXPECT_EQ(parse_quota_header("ent=10&ent=20&ent=bad").entitlement, 20);
}

TEST(QuotaHeader, GarbageGivesEmpty) {
  for (const char* bad : {"", "&&&", "====", "ent", "%", "%zz=1", "ent=1e999", "ent=nan", "ent=inf",
                          "rem=0x10", "ent= 5 0", "\xff\xfe=\x01"}) {
    const QuotaHeader h = parse_quota_header(bad);
    EXPECT_TRUE(h.empty()) << bad;
  }
  // Values longer than the decode buffer are skipped, not truncated.
  EXPECT_FALSE(parse_quota_header("ent=" + std::string(200, '1')).entitlement);
  // A truncated escape stays literal and fails the number.
  EXPECT_FALSE(parse_quota_header("ent=30%").entitlement);
}

TEST(QuotaHeader, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  const std::string alphabet = "entovPrmstrs=&;%+-.0123456789TZ:abcdef\xff";
  for (int round = 0; round < 20000; ++round) {
    std::string s(rng() % 80, ' ');
    for (char& c : s)
      c = alphabet[rng() % alphabet.size()];
    const QuotaHeader h = parse_quota_header(s);
    if (h.percent_remaining) {
      ASSERT_GE(*h.percent_remaining, 0);
      ASSERT_LE(*h.percent_remaining, 100);
    }
    if (h.entitlement) {
      ASSERT_TRUE(*h.entitlement >= 0 || *h.entitlement == -1);
    }
  }
}

}  // namespace
}  // namespace cg::pool
