// Tests for Copilot token parsing and the pure refresh/backoff timing rules.
#include "copilot/token.h"

#include <gtest/gtest.h>

namespace cg::copilot {
namespace {

constexpr int64_t kNow = 1'700'000'000;  // unix seconds

TEST(Token, ParseFullResponse) {
  auto t = parse_token_response(
      R"({"token":"tid=abc;exp=1700001800;sku=monthly_subscriber:sig","expires_at":1700001800,)"
      R"("refresh_in":1500,"sku":"monthly_subscriber","chat_enabled":true,)"
      R"("endpoints":{"api":"https://api.individual.githubcopilot.com/","proxy":"https://p"}})",
      kNow);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->token, "tid=abc;exp=1700001800;sku=monthly_subscriber:sig");
  EXPECT_EQ(t->expires_at, 1700001800);
  EXPECT_EQ(t->refresh_in, 1500);
  EXPECT_EQ(t->sku, "monthly_subscriber");
  EXPECT_EQ(t->api_base, "https://api.individual.githubcopilot.com");
  EXPECT_EQ(t->obtained_at, kNow);
}

TEST(Token, ParseDefaultsAndSkew) {
  auto minimal = parse_token_response(R"({"token":"t"})", kNow);
  ASSERT_TRUE(minimal.ok());
  EXPECT_EQ(minimal->refresh_in, 1500);
  EXPECT_EQ(minimal->expires_at, kNow + 1500 + 60);
  EXPECT_TRUE(minimal->api_base.empty());

  // expires_at already past by the local clock: derived from refresh_in instead.
  auto skewed =
      parse_token_response(R"({"token":"t","expires_at":1600000000,"refresh_in":100})", kNow);
  ASSERT_TRUE(skewed.ok());
  EXPECT_EQ(skewed->expires_at, kNow + 160);
}

TEST(Token, ParseErrorsDoNotLeakTheToken) {
  EXPECT_FALSE(parse_token_response("", kNow).ok());
  EXPECT_FALSE(parse_token_response("[1]", kNow).ok());
  auto no_token = parse_token_response(
      R"({"message":"Not Found","documentation_url":"https://docs.github.com"})", kNow);
  ASSERT_FALSE(no_token.ok());
  EXPECT_EQ(no_token.error().status, 502);
  EXPECT_NE(no_token.error().message.find("Not Found"), std::string::npos);
  auto wrong_type = parse_token_response(R"({"token":12345678})", kNow);
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.error().message.find("12345678"), std::string::npos);
}

CopilotToken token(int64_t obtained, int64_t expires, int64_t refresh_in) {
  CopilotToken t;
  t.obtained_at = obtained;
  t.expires_at = expires;
  t.refresh_in = refresh_in;
  return t;
}

TEST(Token, RefreshAt) {
  // Normal 30 min token: refresh_in (25 min) comes before expiry - 60 s.
  EXPECT_EQ(refresh_at_ms(token(kNow, kNow + 1800, 1500), 60'000), (kNow + 1500) * 1000);
  // refresh_in later than expiry - margin: the margin wins.
  EXPECT_EQ(refresh_at_ms(token(kNow, kNow + 1800, 1790), 60'000), (kNow + 1740) * 1000);
  // Short test token (lifetime 20 s < 2 x 60 s margin): not before half the lifetime.
  EXPECT_EQ(refresh_at_ms(token(kNow, kNow + 20, 15), 60'000), kNow * 1000 + 10'000);
  // Short token with an early refresh_in: still not before half the lifetime.
  EXPECT_EQ(refresh_at_ms(token(kNow, kNow + 20, 5), 60'000), kNow * 1000 + 10'000);
  // Already expired when obtained: refresh right away, never before obtained_at.
  EXPECT_EQ(refresh_at_ms(token(kNow, kNow - 10, 0), 60'000), kNow * 1000);
}

TEST(Token, Usable) {
  const auto t = token(kNow, kNow + 1800, 1500);
  const int64_t exp_ms = (kNow + 1800) * 1000;
  EXPECT_TRUE(usable(t, kNow * 1000));
  EXPECT_TRUE(usable(t, exp_ms - 5001));
  EXPECT_FALSE(usable(t, exp_ms - 5000));  // 5 s guard
  EXPECT_FALSE(usable(t, exp_ms + 1));
  // 20 s token: guard is 10% of the lifetime (2 s), not 5 s.
  const auto short_t = token(kNow, kNow + 20, 10);
  EXPECT_TRUE(usable(short_t, (kNow + 17) * 1000));
  EXPECT_FALSE(usable(short_t, (kNow + 18) * 1000));
}

TEST(Token, Backoff) {
  EXPECT_EQ(backoff_ms(0, 500, 30'000, 0.5), 500);  // 0.5 -> factor 1.0
  EXPECT_EQ(backoff_ms(1, 500, 30'000, 0.5), 1000);
  EXPECT_EQ(backoff_ms(3, 500, 30'000, 0.5), 4000);
  EXPECT_EQ(backoff_ms(10, 500, 30'000, 0.5), 30'000);    // capped
  EXPECT_EQ(backoff_ms(1000, 500, 30'000, 0.5), 30'000);  // no overflow
  EXPECT_EQ(backoff_ms(2, 500, 30'000, 0.0), 1600);       // -20%
  EXPECT_EQ(backoff_ms(2, 500, 30'000, 0.999999), 2400);  // about +20%
  EXPECT_LE(backoff_ms(10, 500, 30'000, 0.99), 30'000);   // jitter never exceeds the cap
  EXPECT_GE(backoff_ms(10, 500, 30'000, 0.0), 24'000);
  for (int a = 0; a < 8; ++a) {
    for (double j : {0.0, 0.25, 0.5, 0.75, 0.99}) {
      int64_t v = backoff_ms(a, 100, 5000, j);
      int64_t base = std::min<int64_t>(5000, 100LL << a);
      EXPECT_GE(v, base * 8 / 10);
      EXPECT_LE(v, std::min<int64_t>(5000, base * 12 / 10));
    }
  }
  EXPECT_EQ(backoff_ms(-3, 500, 30'000, 0.5), 500);
}

TEST(Token, DefaultBase) {
  EXPECT_EQ(default_copilot_base("individual"), "https://api.githubcopilot.com");
  EXPECT_EQ(default_copilot_base(""), "https://api.githubcopilot.com");
  EXPECT_EQ(default_copilot_base("business"), "https://api.business.githubcopilot.com");
  EXPECT_EQ(default_copilot_base("enterprise"), "https://api.enterprise.githubcopilot.com");
}

}  // namespace
}  // namespace cg::copilot
