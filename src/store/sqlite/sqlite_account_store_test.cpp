// Tests for SqliteAccountStore's AccountStore calls: every field round-trips (also across a
// reopen), duplicates and invalid fields are refused with clear messages and nothing written,
// partial updates, list order, remove, enable/disable, errors, quota snapshots, meta, and no
// token in any error message or log line. Test thread only.
#include "store/sqlite/sqlite_account_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/sqlite/test_util.h"

namespace cg::store::sqlite {
namespace {

using ::testing::HasSubstr;
using testing::kSecretToken;
using ::testing::Not;
using testing::sample_account;
using testing::TempDir;

constexpr int64_t kStartMs = 1'700'000'000'000;

void expect_same(const Account& want, const Account& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.github_login, got.github_login);
  EXPECT_EQ(want.alias, got.alias);
  EXPECT_TRUE(want.github_token == got.github_token) << "github_token differs";
  EXPECT_EQ(want.account_type, got.account_type);
  EXPECT_EQ(want.ghe_domain, got.ghe_domain);
  EXPECT_EQ(want.plan, got.plan);
  EXPECT_EQ(want.enabled, got.enabled);
  EXPECT_EQ(want.priority, got.priority);
  EXPECT_EQ(want.weight, got.weight);
  EXPECT_EQ(want.max_concurrency, got.max_concurrency);
  EXPECT_EQ(want.max_vision_concurrency, got.max_vision_concurrency);
  EXPECT_EQ(want.egress_proxy, got.egress_proxy);
  EXPECT_EQ(want.created_at, got.created_at);
  EXPECT_EQ(want.updated_at, got.updated_at);
  EXPECT_EQ(want.last_error, got.last_error);
  EXPECT_EQ(want.disabled_reason, got.disabled_reason);
}

class SqliteAccountStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen() {
    store_.reset();
    SqliteStoreOptions options;
    options.now_ms = [this] { return now_ += 1000; };
    auto opened = SqliteAccountStore::open(path_, std::move(options));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  Account add_ok(const Account& a) {
    auto r = store_->add(a);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : Account{};
  }

  Account get_ok(int64_t id) {
    auto r = store_->get(id);
    EXPECT_TRUE(r.ok() && r->has_value()) << "account " << id;
    return r.ok() && r->has_value() ? **r : Account{};
  }

  size_t count() {
    auto r = store_->list();
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->size() : 0;
  }

  TempDir dir_;
  std::string path_ = dir_.file("data/gateway.db");
  int64_t now_ = kStartMs;
  std::unique_ptr<SqliteAccountStore> store_;
};

TEST_F(SqliteAccountStoreTest, AddStoresEveryFieldAndAssignsIdAndTimestamps) {
  Account in = sample_account("octocat", "work");
  in.account_type = AccountType::kEnterprise;
  in.ghe_domain = "octocorp.ghe.com";
  in.plan = "enterprise";
  in.enabled = false;
  in.priority = -4;
  in.weight = 7;
  in.max_concurrency = 12;
  in.max_vision_concurrency = 3;
  in.last_error = "upstream 429";
  in.disabled_reason = "paused by admin";
  in.id = 999;        // ignored
  in.created_at = 5;  // ignored
  in.updated_at = 6;  // ignored

  const Account out = add_ok(in);
  EXPECT_GT(out.id, 0);
  EXPECT_NE(out.id, 999);
  EXPECT_EQ(out.created_at, kStartMs + 1000);
  EXPECT_EQ(out.updated_at, out.created_at);

  Account want = in;
  want.id = out.id;
  want.created_at = want.updated_at = kStartMs + 1000;
  expect_same(want, out);
  expect_same(want, get_ok(out.id));
}

TEST_F(SqliteAccountStoreTest, DefaultsAreStoredAsGiven) {
  Account in;
  in.github_login = "plain";
  in.github_token = "gho_plain";
  const Account out = add_ok(in);
  const Account got = get_ok(out.id);
  EXPECT_EQ(got.alias, "");
  EXPECT_EQ(got.account_type, AccountType::kIndividual);
  EXPECT_EQ(got.ghe_domain, "");
  EXPECT_EQ(got.plan, "");
  EXPECT_TRUE(got.enabled);
  EXPECT_EQ(got.priority, 0);
  EXPECT_EQ(got.weight, 1);
  EXPECT_EQ(got.max_concurrency, 0);
  EXPECT_EQ(got.max_vision_concurrency, 0);
  EXPECT_EQ(got.egress_proxy, "");
  EXPECT_EQ(got.last_error, "");
  EXPECT_EQ(got.disabled_reason, "");
}

TEST_F(SqliteAccountStoreTest, GetOfMissingIdIsEmptyNotAnError) {
  auto r = store_->get(42);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_F(SqliteAccountStoreTest, DataSurvivesReopen) {
  const Account a = add_ok(sample_account("alice", "a"));
  Account b_in = sample_account("bob", "b", "gho_bob");
  b_in.ghe_domain = "corp.ghe.com";
  const Account b = add_ok(b_in);
  ASSERT_TRUE(store_->put_quota({a.id, 300, 120.5, false, true, "2026-12-01", kStartMs}).ok());
  ASSERT_TRUE(store_->set_meta("cursor", "17").ok());

  ASSERT_NO_FATAL_FAILURE(reopen());

  auto all = store_->list();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  expect_same(a, (*all)[0]);
  expect_same(b, (*all)[1]);
  auto q = store_->get_quota(a.id);
  ASSERT_TRUE(q.ok() && q->has_value());
  EXPECT_EQ((*q)->premium_remaining, 120.5);
  auto m = store_->get_meta("cursor");
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ(**m, "17");
}

TEST_F(SqliteAccountStoreTest, DuplicateLoginOnSameDomainIsRefused) {
  const Account first = add_ok(sample_account("octocat"));
  auto dup = store_->add(sample_account("OctoCat", "", "gho_other"));  // logins ignore case
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().message,
            "an account for login 'OctoCat' on github.com already exists (id " +
                std::to_string(first.id) + ")");
  EXPECT_EQ(count(), 1u);

  // The same login on a GHE.com domain is another account; a second one there is refused.
  Account ghe = sample_account("octocat");
  ghe.ghe_domain = "octocorp.ghe.com";
  add_ok(ghe);
  ghe.ghe_domain = "OCTOCORP.ghe.com";
  auto dup_ghe = store_->add(ghe);
  ASSERT_FALSE(dup_ghe.ok());
  EXPECT_EQ(dup_ghe.error().code, ErrorCode::kConflict);
  EXPECT_THAT(dup_ghe.error().message, HasSubstr("on OCTOCORP.ghe.com already exists"));
  EXPECT_EQ(count(), 2u);
}

TEST_F(SqliteAccountStoreTest, DuplicateAliasIsRefusedButEmptyAliasesAreNot) {
  const Account first = add_ok(sample_account("a1", "work"));
  auto dup = store_->add(sample_account("a2", "WORK"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().message,
            "alias 'WORK' is already used by account " + std::to_string(first.id));
  add_ok(sample_account("a3", ""));
  add_ok(sample_account("a4", ""));
  EXPECT_EQ(count(), 3u);
}

TEST_F(SqliteAccountStoreTest, InvalidFieldsAreRefusedAndNothingIsWritten) {
  struct Case {
    const char* name;
    void (*change)(Account&);
    const char* message;
  };
  const Case cases[] = {
      {"empty login", [](Account& a) { a.github_login.clear(); }, "github_login is required"},
      {"empty token", [](Account& a) { a.github_token.clear(); }, "github_token is required"},
      {"token with newline", [](Account& a) { a.github_token += "\r\nX-Evil: 1"; },
       "github_token must not contain whitespace or control characters"},
      {"alias with space", [](Account& a) { a.alias = "my work"; },
       "alias must not contain whitespace or control characters"},
      {"domain with scheme", [](Account& a) { a.ghe_domain = "https://corp.ghe.com"; },
       "ghe_domain must be a bare host name such as octocorp.ghe.com"},
      {"weight 0", [](Account& a) { a.weight = 0; }, "weight must be at least 1"},
      {"negative concurrency", [](Account& a) { a.max_concurrency = -1; },
       "max_concurrency must be 0 or more"},
      {"negative vision concurrency", [](Account& a) { a.max_vision_concurrency = -2; },
       "max_vision_concurrency must be 0 or more"},
      {"socks proxy", [](Account& a) { a.egress_proxy = "socks5://h:1"; },
       "egress_proxy must be an http:// or https:// URL"},
  };
  for (const Case& c : cases) {
    Account a = sample_account();
    c.change(a);
    auto r = store_->add(a);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_EQ(r.error().message, c.message) << c.name;
  }
  EXPECT_EQ(count(), 0u);
}

TEST_F(SqliteAccountStoreTest, FindByAliasAndByLoginIgnoreCase) {
  const Account a = add_ok(sample_account("Mona", "Work"));
  Account ghe_in = sample_account("mona", "", "gho_ghe");
  ghe_in.ghe_domain = "corp.ghe.com";
  const Account ghe = add_ok(ghe_in);

  auto by_alias = store_->find_by_alias("work");
  ASSERT_TRUE(by_alias.ok() && by_alias->has_value());
  EXPECT_EQ((*by_alias)->id, a.id);
  auto none = store_->find_by_alias("");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value()) << "an empty alias names no account";
  auto unknown = store_->find_by_alias("play");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());

  auto by_login = store_->find_by_login("MONA", "");
  ASSERT_TRUE(by_login.ok() && by_login->has_value());
  EXPECT_EQ((*by_login)->id, a.id);
  auto by_ghe = store_->find_by_login("mona", "Corp.GHE.com");
  ASSERT_TRUE(by_ghe.ok() && by_ghe->has_value());
  EXPECT_EQ((*by_ghe)->id, ghe.id);
  auto other_domain = store_->find_by_login("mona", "other.ghe.com");
  ASSERT_TRUE(other_domain.ok());
  EXPECT_FALSE(other_domain->has_value());
}

TEST_F(SqliteAccountStoreTest, ListIsOrderedByPriorityThenId) {
  const int priorities[] = {5, 1, 5, 0, 1};
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    Account a = sample_account("user" + std::to_string(i));
    a.priority = priorities[i];
    ids.push_back(add_ok(a).id);
  }
  auto all = store_->list();
  ASSERT_TRUE(all.ok());
  std::vector<int64_t> got;
  for (const Account& a : *all)
    got.push_back(a.id);
  EXPECT_EQ(got, (std::vector<int64_t>{ids[3], ids[1], ids[4], ids[0], ids[2]}));
}

TEST_F(SqliteAccountStoreTest, UpdateChangesOnlyTheGivenFields) {
  const Account before = add_ok(sample_account("octocat", "work"));
  AccountUpdate u;
  u.priority = 9;
  u.alias = "play";
  auto r = store_->update(before.id, u);
  ASSERT_TRUE(r.ok()) << r.error().message;

  Account want = before;
  want.priority = 9;
  want.alias = "play";
  want.updated_at = before.updated_at + 1000;
  expect_same(want, *r);
  expect_same(want, get_ok(before.id));
}

TEST_F(SqliteAccountStoreTest, UpdateCanSetEverySettableField) {
  const Account before = add_ok(sample_account("octocat", "work"));
  AccountUpdate u;
  u.github_login = "hubot";
  u.alias = "";
  u.github_token = "ghu_rotated";
  u.account_type = AccountType::kEnterprise;
  u.ghe_domain = "corp.ghe.com";
  u.plan = "enterprise";
  u.priority = -1;
  u.weight = 5;
  u.max_concurrency = 0;
  u.max_vision_concurrency = 9;
  u.egress_proxy = "";
  auto r = store_->update(before.id, u);
  ASSERT_TRUE(r.ok()) << r.error().message;

  Account want = before;
  u.apply_to(want);
  want.updated_at = before.updated_at + 1000;
  expect_same(want, get_ok(before.id));
  EXPECT_EQ(want.github_token, "ghu_rotated");
}

TEST_F(SqliteAccountStoreTest, EmptyUpdateWritesNothing) {
  const Account before = add_ok(sample_account());
  auto r = store_->update(before.id, AccountUpdate{});
  ASSERT_TRUE(r.ok());
  expect_same(before, *r);
  expect_same(before, get_ok(before.id));
}

TEST_F(SqliteAccountStoreTest, UpdateRefusesConflictsInvalidValuesAndMissingIds) {
  const Account a = add_ok(sample_account("alice", "a"));
  const Account b = add_ok(sample_account("bob", "b"));

  AccountUpdate take_alias;
  take_alias.alias = "A";
  auto r1 = store_->update(b.id, take_alias);
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r1.error().message, "alias 'A' is already used by account " + std::to_string(a.id));

  AccountUpdate take_login;
  take_login.github_login = "ALICE";
  auto r2 = store_->update(b.id, take_login);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, ErrorCode::kConflict);
  EXPECT_THAT(r2.error().message, HasSubstr("login 'ALICE' on github.com already exists"));

  AccountUpdate bad;
  bad.weight = 0;
  bad.plan = "pro";
  auto r3 = store_->update(b.id, bad);
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.error().code, ErrorCode::kInvalidArgument);

  expect_same(b, get_ok(b.id));  // nothing of the refused updates was written

  AccountUpdate same_alias;  // an account keeps its own alias and login
  same_alias.alias = "B";
  same_alias.github_login = "Bob";
  ASSERT_TRUE(store_->update(b.id, same_alias).ok());

  auto r4 = store_->update(12345, same_alias);
  ASSERT_FALSE(r4.ok());
  EXPECT_EQ(r4.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r4.error().message, "no account with id 12345");
}

TEST_F(SqliteAccountStoreTest, RemoveDeletesTheAccountAndItsQuotaAndIdsAreNotReused) {
  const Account a = add_ok(sample_account("alice"));
  const Account b = add_ok(sample_account("bob"));
  ASSERT_TRUE(store_->put_quota({b.id, 300, 1, false, false, "", kStartMs}).ok());

  ASSERT_TRUE(store_->remove(b.id).ok());
  auto gone = store_->get(b.id);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto quota = store_->get_quota(b.id);
  ASSERT_TRUE(quota.ok());
  EXPECT_FALSE(quota->has_value());
  EXPECT_EQ(count(), 1u);
  get_ok(a.id);

  auto again = store_->remove(b.id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);

  const Account c = add_ok(sample_account("carol"));
  EXPECT_GT(c.id, b.id);
}

TEST_F(SqliteAccountStoreTest, SetEnabledKeepsAReasonOnlyWhileDisabled) {
  const Account a = add_ok(sample_account());
  ASSERT_TRUE(store_->set_enabled(a.id, false, "402 from upstream\nsubscription lapsed").ok());
  Account got = get_ok(a.id);
  EXPECT_FALSE(got.enabled);
  EXPECT_EQ(got.disabled_reason, "402 from upstream subscription lapsed");
  EXPECT_EQ(got.updated_at, a.updated_at + 1000);

  ASSERT_TRUE(store_->set_enabled(a.id, true, "ignored").ok());
  got = get_ok(a.id);
  EXPECT_TRUE(got.enabled);
  EXPECT_EQ(got.disabled_reason, "");

  auto missing = store_->set_enabled(777, false, "x");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(SqliteAccountStoreTest, RecordErrorStoresAndClearsTheLastError) {
  const Account a = add_ok(sample_account());
  ASSERT_TRUE(store_->record_error(a.id, "upstream 503 service unavailable").ok());
  EXPECT_EQ(get_ok(a.id).last_error, "upstream 503 service unavailable");
  ASSERT_TRUE(store_->record_error(a.id, "").ok());
  EXPECT_EQ(get_ok(a.id).last_error, "");

  const std::string huge(10000, 'x');
  ASSERT_TRUE(store_->record_error(a.id, huge).ok());
  EXPECT_EQ(get_ok(a.id).last_error.size(), 4096u);

  auto missing = store_->record_error(777, "x");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(SqliteAccountStoreTest, TheAccountsTokenIsRedactedFromStoredNotes) {
  const Account a = add_ok(sample_account());
  const std::string leaked = std::string("401 for Authorization: token ") + kSecretToken;
  ASSERT_TRUE(store_->record_error(a.id, leaked).ok());
  ASSERT_TRUE(store_->set_enabled(a.id, false, leaked).ok());
  const Account got = get_ok(a.id);
  EXPECT_EQ(got.last_error, "401 for Authorization: token [redacted]");
  EXPECT_EQ(got.disabled_reason, "401 for Authorization: token [redacted]");
}

TEST_F(SqliteAccountStoreTest, QuotaSnapshotsRoundTripAndAreReplaced) {
  const Account a = add_ok(sample_account("alice"));
  const Account b = add_ok(sample_account("bob"));
  auto none = store_->get_quota(a.id);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  const QuotaSnapshot qa{a.id, 300, 287.25, false, true, "2026-12-01", kStartMs + 5};
  const QuotaSnapshot qb{b.id, -1, -1, true, false, "", kStartMs + 6};
  ASSERT_TRUE(store_->put_quota(qb).ok());
  ASSERT_TRUE(store_->put_quota(qa).ok());
  auto got = store_->get_quota(a.id);
  ASSERT_TRUE(got.ok() && got->has_value());
  const QuotaSnapshot& g = **got;
  EXPECT_EQ(g.account_id, a.id);
  EXPECT_EQ(g.premium_entitlement, 300);
  EXPECT_EQ(g.premium_remaining, 287.25);
  EXPECT_FALSE(g.unlimited);
  EXPECT_TRUE(g.overage_permitted);
  EXPECT_EQ(g.reset_date, "2026-12-01");
  EXPECT_EQ(g.fetched_at, kStartMs + 5);

  QuotaSnapshot later = qa;
  later.premium_remaining = 10;
  later.overage_permitted = false;
  later.fetched_at = kStartMs + 60'000;
  ASSERT_TRUE(store_->put_quota(later).ok());
  auto all = store_->list_quotas();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].account_id, a.id);
  EXPECT_EQ((*all)[0].premium_remaining, 10);
  EXPECT_FALSE((*all)[0].overage_permitted);
  EXPECT_EQ((*all)[0].fetched_at, kStartMs + 60'000);
  EXPECT_EQ((*all)[1].account_id, b.id);
  EXPECT_TRUE((*all)[1].unlimited);
  EXPECT_EQ((*all)[1].premium_entitlement, -1);
}

TEST_F(SqliteAccountStoreTest, QuotaForAMissingAccountOrWithABadDateIsRefused) {
  auto missing = store_->put_quota({99, 300, 1, false, false, "", kStartMs});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "no account with id 99");

  const Account a = add_ok(sample_account());
  auto bad = store_->put_quota({a.id, 300, 1, false, false, "2026-1-01", kStartMs});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "reset_date must be YYYY-MM-DD");
}

TEST_F(SqliteAccountStoreTest, MetaValuesAreSetReplacedAndRead) {
  auto none = store_->get_meta("rr_cursor");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(store_->set_meta("rr_cursor", "3").ok());
  ASSERT_TRUE(store_->set_meta("rr_cursor", "4").ok());
  auto got = store_->get_meta("rr_cursor");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, "4");
  auto empty_key = store_->set_meta("", "x");
  ASSERT_FALSE(empty_key.ok());
  EXPECT_EQ(empty_key.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SqliteAccountStoreTest, NoTokenOrProxyUrlInAnyErrorMessageOrLogLine) {
  testing::LogCapture log;
  std::vector<std::string> messages;
  auto keep = [&](const auto& r) {
    EXPECT_FALSE(r.ok());
    if (!r.ok()) messages.push_back(r.error().message);
  };

  ASSERT_NO_FATAL_FAILURE(reopen());  // logs "store opened"
  const Account a = add_ok(sample_account("octocat", "work"));
  keep(store_->add(sample_account("octocat", "other")));  // duplicate login
  keep(store_->add(sample_account("hubot", "work")));     // duplicate alias
  Account bad = sample_account("hubot");
  bad.weight = 0;
  keep(store_->add(bad));
  Account bad_proxy = sample_account("hubot");
  bad_proxy.egress_proxy = std::string("ftp://u:") + kSecretToken + "@h";
  keep(store_->add(bad_proxy));
  Account bad_token = sample_account("hubot", "", std::string(kSecretToken) + " ");
  keep(store_->add(bad_token));
  AccountUpdate u;
  u.github_token = std::string(kSecretToken) + "\n";
  keep(store_->update(a.id, u));
  u.github_token = kSecretToken;
  u.alias = "two words";
  keep(store_->update(a.id, u));

  ASSERT_EQ(messages.size(), 7u);
  for (const std::string& m : messages) {
    EXPECT_THAT(m, Not(HasSubstr("S3cr3tT0ken"))) << m;
    EXPECT_THAT(m, Not(HasSubstr("proxy.internal"))) << m;
    EXPECT_THAT(m, Not(HasSubstr("pw@"))) << m;
  }
  ASSERT_FALSE(log.lines.empty());
  for (const std::string& l : log.lines)
    EXPECT_THAT(l, Not(HasSubstr("S3cr3tT0ken"))) << l;
}

TEST(SqliteAccountStoreMemoryTest, InMemoryDatabaseWorksWithoutFiles) {
  auto store = SqliteAccountStore::open(":memory:");
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto added = (*store)->add(sample_account());
  ASSERT_TRUE(added.ok()) << added.error().message;
  auto s = (*store)->settings();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->journal_mode, "memory");
  EXPECT_EQ(s->schema_version, 2);
  EXPECT_FALSE(testing::exists(":memory:"));
}

}  // namespace
}  // namespace cg::store::sqlite
