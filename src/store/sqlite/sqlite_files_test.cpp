// Tests for what SqliteAccountStore does to the file system and the connection: owner-only
// directories and files (also -wal/-shm), fixing an existing file others could read, leaving
// existing directories alone, WAL and the other pragmas, refusing a file that is not a
// database, and default_store_path. Test thread only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "store/sqlite/default_path.h"
#include "store/sqlite/sqlite_account_store.h"
#include "store/sqlite/test_util.h"

namespace cg::store::sqlite {
namespace {

using testing::exists;
using ::testing::HasSubstr;
using testing::mode_of;
using testing::RawDb;
using testing::sample_account;
using testing::TempDir;

// Sets the process umask for the scope (the tests run on one thread).
class Umask {
 public:
  explicit Umask(mode_t mask) : old_(::umask(mask)) {}
  ~Umask() { ::umask(old_); }

 private:
  mode_t old_;
};

std::unique_ptr<SqliteAccountStore> open_ok(const std::string& path,
                                            SqliteStoreOptions options = {}) {
  auto r = SqliteAccountStore::open(path, std::move(options));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : nullptr;
}

TEST(SqliteFilesTest, CreatesMissingDirectoriesAndTheFilesOwnerOnly) {
  TempDir dir;
  const std::string path = dir.file("a/b/gateway.db");
  Umask loose(0);  // the modes must not depend on the umask
  auto store = open_ok(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->add(sample_account()).ok());  // the WAL and its index exist from here on

  EXPECT_EQ(mode_of(dir.file("a")), 0700);
  EXPECT_EQ(mode_of(dir.file("a/b")), 0700);
  EXPECT_EQ(mode_of(path), 0600);
  ASSERT_TRUE(exists(path + "-wal"));
  ASSERT_TRUE(exists(path + "-shm"));
  EXPECT_EQ(mode_of(path + "-wal"), 0600);
  EXPECT_EQ(mode_of(path + "-shm"), 0600);
}

TEST(SqliteFilesTest, ModesHoldUnderARestrictiveUmaskToo) {
  TempDir dir;
  const std::string path = dir.file("x/gateway.db");
  Umask strict(0277);  // would leave the owner without write permission
  auto store = open_ok(path);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->add(sample_account()).ok());
  EXPECT_EQ(mode_of(dir.file("x")), 0700);
  EXPECT_EQ(mode_of(path), 0600);
}

TEST(SqliteFilesTest, ExistingDirectoriesAreLeftAsTheyAre) {
  TempDir dir;
  ASSERT_EQ(::mkdir(dir.file("shared").c_str(), 0755), 0);
  ASSERT_EQ(::chmod(dir.file("shared").c_str(), 0755), 0);
  auto store = open_ok(dir.file("shared/gateway.db"));
  ASSERT_TRUE(store);
  EXPECT_EQ(mode_of(dir.file("shared")), 0755);
  EXPECT_EQ(mode_of(dir.file("shared/gateway.db")), 0600);
}

TEST(SqliteFilesTest, AnExistingFileOthersCanReadIsMadeOwnerOnlyWithAWarning) {
  TempDir dir;
  const std::string path = dir.file("gateway.db");
  int64_t id = 0;
  {
    auto store = open_ok(path);
    ASSERT_TRUE(store);
    auto a = store->add(sample_account());
    ASSERT_TRUE(a.ok());
    id = a->id;
  }
  ASSERT_FALSE(exists(path + "-wal")) << "the last connection removes the WAL on close";
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  std::ofstream(path + "-wal").flush();  // a stale, empty WAL others could read
  ASSERT_EQ(::chmod((path + "-wal").c_str(), 0640), 0);

  std::unique_ptr<SqliteAccountStore> store;
  std::vector<std::string> lines;
  {
    testing::LogCapture log;
    store = open_ok(path);
    lines = std::move(log.lines);
  }
  ASSERT_TRUE(store);

  EXPECT_EQ(mode_of(path), 0600);
  EXPECT_EQ(mode_of(path + "-wal"), 0600);
  auto a = store->get(id);
  ASSERT_TRUE(a.ok() && a->has_value()) << "the data is kept";

  // One warning per file fixed: the database, the stale WAL, and the WAL index that the first
  // read created with the database's mode at that moment.
  std::vector<std::string> warned;
  for (const std::string& l : lines) {
    if (l.find("\"level\":\"warn\"") == std::string::npos) continue;
    EXPECT_THAT(l, HasSubstr("owner-only"));
    for (const char* suffix : {"-shm", "-wal", ""}) {
      if (l.find("\"path\":\"" + path + suffix + "\"") != std::string::npos) {
        warned.push_back(suffix);
        // SQLite itself gives an empty WAL it opens the database's mode, so only the database's
        // old mode is certain.
        if (std::string(suffix).empty()) {
          EXPECT_THAT(l, HasSubstr("\"old_mode\":\"0644\""));
        }
        break;
      }
    }
  }
  EXPECT_THAT(warned, ::testing::UnorderedElementsAre("", "-wal", "-shm"));
  EXPECT_EQ(mode_of(path + "-shm"), 0600);
}

TEST(SqliteFilesTest, TheDatabaseRunsInWalModeWithTheConfiguredPragmas) {
  TempDir dir;
  const std::string path = dir.file("gateway.db");
  SqliteStoreOptions options;
  options.busy_timeout_ms = 1234;
  auto store = open_ok(path, options);
  ASSERT_TRUE(store);

  auto s = store->settings();
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->journal_mode, "wal");
  EXPECT_EQ(s->synchronous, 1) << "NORMAL";
  EXPECT_TRUE(s->foreign_keys);
  EXPECT_EQ(s->busy_timeout_ms, 1234);
  EXPECT_EQ(s->schema_version, 2);

  // WAL is a property of the file: another connection sees it too.
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
}

TEST(SqliteFilesTest, TwoStoresOnOneFileSeeEachOthersWrites) {
  TempDir dir;
  const std::string path = dir.file("gateway.db");
  auto first = open_ok(path);
  auto second = open_ok(path);
  ASSERT_TRUE(first && second);
  auto a = first->add(sample_account("alice"));
  ASSERT_TRUE(a.ok());
  auto seen = second->get(a->id);
  ASSERT_TRUE(seen.ok() && seen->has_value());
  EXPECT_EQ((*seen)->github_login, "alice");
  auto dup = second->add(sample_account("alice"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
}

TEST(SqliteFilesTest, AFileThatIsNotADatabaseIsRefusedAndKept) {
  TempDir dir;
  const std::string path = dir.file("gateway.db");
  const std::string text = "this is a text file, not a database, long enough to have a header\n";
  std::ofstream(path) << text;
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);

  auto r = SqliteAccountStore::open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  EXPECT_THAT(r.error().message, HasSubstr("not a database"));
  EXPECT_EQ(testing::read_bytes(path), text);
}

TEST(SqliteFilesTest, AnEmptyPathIsRefused) {
  auto r = SqliteAccountStore::open("");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(DefaultStorePathTest, PrefersAnAbsoluteXdgDataHomeThenHome) {
  EXPECT_EQ(*default_store_path("/xdg", "/home/u"), "/xdg/copilot-gateway/gateway.db");
  EXPECT_EQ(*default_store_path("/xdg/", "/home/u"), "/xdg/copilot-gateway/gateway.db");
  EXPECT_EQ(*default_store_path("", "/home/u"), "/home/u/.local/share/copilot-gateway/gateway.db");
  EXPECT_EQ(*default_store_path("relative/dir", "/home/u/"),
            "/home/u/.local/share/copilot-gateway/gateway.db");
  auto none = default_store_path("", "");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
}

TEST(DefaultStorePathTest, ReadsTheProcessEnvironment) {
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  const std::string saved = old_xdg ? old_xdg : "";
  ASSERT_EQ(::setenv("XDG_DATA_HOME", "/srv/data", 1), 0);
  auto p = default_store_path();
  if (old_xdg) {
    ::setenv("XDG_DATA_HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("XDG_DATA_HOME");
  }
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, "/srv/data/copilot-gateway/gateway.db");
}

}  // namespace
}  // namespace cg::store::sqlite
