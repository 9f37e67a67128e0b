// Tests for the schema migrations on real files: a version-1 database written by hand (from a
// frozen copy of the version-1 SQL, as shipped) is upgraded with its rows intact and ends with
// the same schema as a new database; a newer schema, another application's database and a
// migration that fails are refused, and the file is left as it was. Test thread only.
#include "store/sqlite/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/sqlite/sqlite_account_store.h"
#include "store/sqlite/test_util.h"

namespace cg::store::sqlite {
namespace {

using testing::exists;
using ::testing::HasSubstr;
using testing::mode_of;
using testing::RawDb;
using testing::read_bytes;
using testing::TempDir;

// Schema version 1 exactly as it shipped. Never change this text: databases in the field were
// built from it, and the upgrade test must keep proving that they still open.
constexpr const char* kFrozenV1 = R"sql(
PRAGMA application_id = 1128748868;

CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

CREATE TABLE accounts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  github_login    TEXT    NOT NULL COLLATE NOCASE CHECK (github_login <> ''),
  ghe_domain      TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
  alias           TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
  github_token    TEXT    NOT NULL CHECK (github_token <> ''),
  account_type    TEXT    NOT NULL DEFAULT 'individual'
                          CHECK (account_type IN ('individual', 'business', 'enterprise')),
  plan            TEXT    NOT NULL DEFAULT '',
  enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  priority        INTEGER NOT NULL DEFAULT 0,
  weight          INTEGER NOT NULL DEFAULT 1 CHECK (weight >= 1),
  max_concurrency INTEGER NOT NULL DEFAULT 0 CHECK (max_concurrency >= 0),
  egress_proxy    TEXT    NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  last_error      TEXT    NOT NULL DEFAULT '',
  disabled_reason TEXT    NOT NULL DEFAULT '',
  UNIQUE (github_login, ghe_domain)
);

CREATE UNIQUE INDEX accounts_alias ON accounts (alias) WHERE alias <> '';
CREATE INDEX accounts_order ON accounts (priority, id);
)sql";

// Builds a version-1 database at `path` holding two accounts and a meta row.
void make_v1_database(const std::string& path) {
  RawDb raw(path);
  ASSERT_EQ(raw.exec(kFrozenV1), "");
  ASSERT_EQ(raw.exec("INSERT INTO accounts (github_login, ghe_domain, alias, github_token,"
                     " account_type, plan, enabled, priority, weight, max_concurrency,"
                     " egress_proxy, created_at, updated_at, last_error, disabled_reason) VALUES"
                     " ('alice', '', 'a', 'ghu_alice', 'business', 'business', 1, 2, 3, 4,"
                     "  'http://proxy:8080', 1000, 2000, 'upstream 500', ''),"
                     " ('bob', 'corp.ghe.com', '', 'ghu_bob', 'enterprise', 'enterprise', 0, 0,"
                     "  1, 0, '', 3000, 4000, '', 'disabled by admin');"
                     "INSERT INTO meta (key, value) VALUES ('rr_cursor', '1');"
                     "PRAGMA user_version = 1;"),
            "");
}

// Every schema object with its SQL, for comparing two databases.
std::string schema_of(const std::string& path) {
  RawDb raw(path);
  return raw.rows("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name");
}

TEST(MigrationsTest, VersionsAreConsecutiveFromOne) {
  int want = 1;
  for (const Migration& m : migrations())
    EXPECT_EQ(m.version, want++);
  EXPECT_EQ(latest_schema_version(), 2);
}

TEST(MigrationsTest, AVersion1DatabaseIsUpgradedWithItsRowsIntact) {
  TempDir dir;
  const std::string path = dir.file("gateway.db");
  make_v1_database(path);

  auto opened = SqliteAccountStore::open(path);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto& store = *opened;
  auto settings = store->settings();
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->schema_version, 2);

  auto all = store->list();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  const Account& bob = (*all)[0];  // priority 0 before priority 2
  const Account& alice = (*all)[1];
  EXPECT_EQ(alice.id, 1);
  EXPECT_EQ(alice.github_login, "alice");
  EXPECT_EQ(alice.alias, "a");
  EXPECT_EQ(alice.github_token, "ghu_alice");
  EXPECT_EQ(alice.account_type, AccountType::kBusiness);
  EXPECT_EQ(alice.ghe_domain, "");
  EXPECT_EQ(alice.plan, "business");
  EXPECT_TRUE(alice.enabled);
  EXPECT_EQ(alice.priority, 2);
  EXPECT_EQ(alice.weight, 3);
  EXPECT_EQ(alice.max_concurrency, 4);
  EXPECT_EQ(alice.max_vision_concurrency, 0) << "the new column's default";
  EXPECT_EQ(alice.egress_proxy, "http://proxy:8080");
  EXPECT_EQ(alice.created_at, 1000);
  EXPECT_EQ(alice.updated_at, 2000);
  EXPECT_EQ(alice.last_error, "upstream 500");
  EXPECT_EQ(alice.disabled_reason, "");
  EXPECT_EQ(bob.id, 2);
  EXPECT_EQ(bob.ghe_domain, "corp.ghe.com");
  EXPECT_EQ(bob.account_type, AccountType::kEnterprise);
  EXPECT_FALSE(bob.enabled);
  EXPECT_EQ(bob.disabled_reason, "disabled by admin");
  EXPECT_EQ(bob.max_vision_concurrency, 0);

  auto meta = store->get_meta("rr_cursor");
  ASSERT_TRUE(meta.ok() && meta->has_value());
  EXPECT_EQ(**meta, "1");

  // What version 2 added works on the upgraded file.
  ASSERT_TRUE(store->put_quota({alice.id, 300, 12, false, false, "2026-12-01", 5}).ok());
  AccountUpdate u;
  u.max_vision_concurrency = 2;
  ASSERT_TRUE(store->update(bob.id, u).ok());
  auto next = store->add(testing::sample_account("carol"));
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->id, 3);
}

TEST(MigrationsTest, AnUpgradedDatabaseHasTheSchemaOfANewOne) {
  TempDir dir;
  const std::string old_path = dir.file("old.db");
  const std::string new_path = dir.file("new.db");
  make_v1_database(old_path);
  ASSERT_TRUE(SqliteAccountStore::open(old_path).ok());
  ASSERT_TRUE(SqliteAccountStore::open(new_path).ok());
  const std::string fresh = schema_of(new_path);
  EXPECT_THAT(fresh, HasSubstr("quota_snapshots"));
  EXPECT_THAT(fresh, HasSubstr("max_vision_concurrency"));
  EXPECT_EQ(schema_of(old_path), fresh);
}

TEST(MigrationsTest, ReopeningTheLatestVersionChangesNothing) {
  TempDir dir;
  const std::string path = dir.file("gateway.db");
  ASSERT_TRUE(SqliteAccountStore::open(path).ok());
  const std::string before = schema_of(path);
  auto again = SqliteAccountStore::open(path);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(schema_of(path), before);
}

TEST(MigrationsTest, ANewerSchemaIsRefusedAndTheFileIsNotTouched) {
  TempDir dir;
  const std::string path = dir.file("gateway.db");
  make_v1_database(path);
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("PRAGMA user_version = 99"), "");
  }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  const std::string bytes = read_bytes(path);

  auto r = SqliteAccountStore::open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIncompatible);
  EXPECT_EQ(r.error().message,
            path +
                " has schema version 99, newer than the versions this copilot-gateway knows (up "
                "to 2); use a newer copilot-gateway. The file was not changed.");
  EXPECT_EQ(read_bytes(path), bytes);
  EXPECT_EQ(mode_of(path), 0644) << "not even the permissions are changed";
  EXPECT_FALSE(exists(path + "-wal"));
}

TEST(MigrationsTest, AnotherApplicationsDatabaseIsRefusedAndNotTouched) {
  TempDir dir;
  const std::string plain = dir.file("plain.db");
  {
    RawDb raw(plain);
    ASSERT_EQ(raw.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');"), "");
  }
  const std::string plain_bytes = read_bytes(plain);
  auto r1 = SqliteAccountStore::open(plain);
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().code, ErrorCode::kIncompatible);
  EXPECT_EQ(r1.error().message,
            plain + " is not a copilot-gateway database (it holds other tables)");
  EXPECT_EQ(read_bytes(plain), plain_bytes);

  const std::string tagged = dir.file("tagged.db");
  {
    RawDb raw(tagged);
    ASSERT_EQ(raw.exec("PRAGMA application_id = 42; CREATE TABLE t (x);"), "");
  }
  auto r2 = SqliteAccountStore::open(tagged);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, ErrorCode::kIncompatible);
  EXPECT_THAT(r2.error().message, HasSubstr("not a copilot-gateway database (application_id 42)"));
}

TEST(MigrationsTest, AFailedMigrationLeavesTheDatabaseAtItsLastVersion) {
  TempDir dir;
  const std::string path = dir.file("gateway.db");
  make_v1_database(path);
  {
    RawDb raw(path);  // a table in the way of version 2
    ASSERT_EQ(raw.exec("CREATE TABLE quota_snapshots (x INTEGER)"), "");
  }
  auto r = SqliteAccountStore::open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message,
              HasSubstr("migration to schema version 2 (accounts.max_vision_concurrency and "
                        "quota_snapshots): table quota_snapshots already exists"));

  RawDb raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "1");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM pragma_table_info('accounts')"
                       " WHERE name = 'max_vision_concurrency'"),
            "0")
      << "the ALTER TABLE of the failed step was rolled back";
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM accounts"), "2");
}

TEST(MigrationsTest, AnAppendedMigrationIsAppliedOnTopOfTheShippedOnes) {
  auto db = Db::open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(db.ok());
  auto first = migrate(*db);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->from, 0);
  EXPECT_EQ(first->to, 2);

  std::vector<Migration> steps(migrations().begin(), migrations().end());
  steps.push_back({3, "test table", "CREATE TABLE extra (x INTEGER);"});
  auto second = migrate(*db, steps);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->from, 2);
  EXPECT_EQ(second->to, 3);
  auto version = db->query_int("PRAGMA user_version", "read");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 3);
  auto schema = check_schema(*db, ":memory:");
  ASSERT_FALSE(schema.ok()) << "version 3 is newer than this binary's list";
}

}  // namespace
}  // namespace cg::store::sqlite
