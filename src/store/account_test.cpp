// Tests for the store's shared record code: account type names, AccountUpdate, the field checks,
// note sanitizing, quota checks and the admin API rendering of errors. Test thread only.
#include "store/account.h"

#include <gtest/gtest.h>

#include <limits>

namespace cg::store {
namespace {

Account valid() {
  Account a;
  a.github_login = "octocat";
  a.github_token = "ghu_token";
  return a;
}

TEST(AccountTypeTest, NamesRoundTrip) {
  for (AccountType t : {AccountType::kIndividual, AccountType::kBusiness, AccountType::kEnterprise})
    EXPECT_EQ(parse_account_type(account_type_name(t)), t);
  EXPECT_EQ(account_type_name(AccountType::kBusiness), "business");
  EXPECT_FALSE(parse_account_type("Business").has_value());
  EXPECT_FALSE(parse_account_type("").has_value());
}

TEST(AccountUpdateTest, EmptyAndApplyCoverEveryField) {
  EXPECT_TRUE(AccountUpdate{}.empty());
  AccountUpdate u;
  u.max_vision_concurrency = 4;
  EXPECT_FALSE(u.empty());

  Account a = valid();
  a.alias = "keep";
  u.plan = "individual_pro";
  u.apply_to(a);
  EXPECT_EQ(a.max_vision_concurrency, 4);
  EXPECT_EQ(a.plan, "individual_pro");
  EXPECT_EQ(a.alias, "keep");
  EXPECT_EQ(a.github_login, "octocat");
}

TEST(ValidateAccountTest, AcceptsAMinimalAndAFullAccount) {
  EXPECT_TRUE(validate_account(valid()).ok());
  Account a = valid();
  a.alias = "work-1";
  a.ghe_domain = "octocorp.ghe.com";
  a.plan = "enterprise";
  a.priority = -3;
  a.weight = 10;
  a.max_concurrency = 5;
  a.max_vision_concurrency = 1;
  a.egress_proxy = "https://u:p@proxy:443";
  a.last_error = "upstream 429";
  a.disabled_reason = "quota exhausted";
  EXPECT_TRUE(validate_account(a).ok());
}

TEST(ValidateAccountTest, RefusesBadFieldsWithoutQuotingSecrets) {
  Account a = valid();
  a.alias = std::string(65, 'x');
  EXPECT_EQ(validate_account(a).error().message, "alias is longer than 64 bytes");

  a = valid();
  a.ghe_domain = "corp.ghe.com/";
  EXPECT_EQ(validate_account(a).error().code, ErrorCode::kInvalidArgument);
  a.ghe_domain = ".ghe.com";
  EXPECT_FALSE(validate_account(a).ok());

  a = valid();
  a.egress_proxy = "http://user:hunter2@proxy with space";
  auto r = validate_account(a);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find("hunter2"), std::string::npos);

  a = valid();
  a.github_token = "ghu_abc\x01";
  r = validate_account(a);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find("ghu_abc"), std::string::npos);

  a = valid();
  a.last_error = "line\nbreak";
  EXPECT_EQ(validate_account(a).error().message, "last_error must not contain control characters");
}

TEST(SanitizeNoteTest, ReplacesControlCharactersAndCutsOnACharacterBoundary) {
  EXPECT_EQ(sanitize_note("a\tb\nc\x7f"), "a b c ");
  const std::string euro = "\xE2\x82\xAC";  // 3 bytes
  std::string text(4095, 'x');
  text += euro;  // the euro sign straddles byte 4096
  const std::string cut = sanitize_note(text);
  EXPECT_EQ(cut, std::string(4095, 'x'));
  EXPECT_EQ(sanitize_note(std::string(5000, 'y')).size(), 4096u);
}

TEST(ValidateQuotaTest, ChecksDateAndRemaining) {
  QuotaSnapshot q;
  EXPECT_TRUE(validate_quota(q).ok());
  q.reset_date = "2026-12-01";
  EXPECT_TRUE(validate_quota(q).ok());
  for (const char* bad : {"2026-12-1", "2026/12/01", "20261201xx", "2026-12-0a"}) {
    q.reset_date = bad;
    EXPECT_FALSE(validate_quota(q).ok()) << bad;
  }
  q.reset_date = "";
  q.premium_remaining = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(validate_quota(q).ok());
}

TEST(StoreErrorTest, RendersForTheAdminApi) {
  EXPECT_EQ(to_api_error(invalid_argument("x")).status, 400);
  EXPECT_EQ(to_api_error(not_found("x")).status, 404);
  const ApiError c = to_api_error(conflict("alias taken"));
  EXPECT_EQ(c.status, 409);
  EXPECT_EQ(c.code, "conflict");
  EXPECT_EQ(c.message, "alias taken");
  EXPECT_EQ(to_api_error(incompatible("x")).status, 500);
  EXPECT_EQ(to_api_error(io_error("x")).status, 500);
  EXPECT_EQ(error_code_name(ErrorCode::kConflict), "conflict");
}

}  // namespace
}  // namespace cg::store
