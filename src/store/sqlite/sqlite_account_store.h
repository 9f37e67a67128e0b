// SqliteAccountStore: the AccountStore on an embedded SQLite 3 database file, the default store.
//
// Opening: the directory is created 0700 when missing and the file 0600; an existing database
// file (or -wal/-shm file) that group or others may read is fixed to 0600 and a warning is
// logged (the tokens in it may have been exposed: rotate them). The connection runs in WAL mode
// with synchronous=NORMAL, foreign_keys=ON and a busy timeout, and the schema is brought to the
// latest version (store/sqlite/migrations.h). A database of another application, or with a schema
// newer than this binary knows, is refused with kIncompatible before anything is written to it.
//
// Threads: blocking calls, run on a store thread. One object is used by one thread at a time (it
// may be handed between threads with proper synchronization): the connection is opened with
// SQLITE_OPEN_NOMUTEX, SQLite's multi-thread mode, which is safe exactly under that rule. Several
// objects (or processes) may open the same file; SQLite's locks and the busy timeout arbitrate.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "store/account_store.h"
#include "store/sqlite/db.h"

namespace cg::store::sqlite {

struct SqliteStoreOptions {
  // How long a call waits for a lock held by another connection before failing with kIo.
  int busy_timeout_ms = 5000;
  // Clock for created_at / updated_at, in unix milliseconds. Empty = the system clock.
  std::function<int64_t()> now_ms;
};

// What the connection runs with, as SQLite reports it (for tests and `status` output).
struct SqliteSettings {
  std::string journal_mode;  // "wal" ("memory" for ":memory:")
  int64_t synchronous = 0;   // 1 = NORMAL
  bool foreign_keys = false;
  int64_t busy_timeout_ms = 0;
  int64_t schema_version = 0;  // PRAGMA user_version
};

class SqliteAccountStore final : public AccountStore {
 public:
  // Opens the database at `path`, creating it (and its directories) when missing; see the top of
  // this file. ":memory:" opens a private in-memory database (no files; for tests).
  static Result<std::unique_ptr<SqliteAccountStore>> open(const std::string& path,
                                                          SqliteStoreOptions options = {});

  ~SqliteAccountStore() override;

  const std::string& path() const { return path_; }
  Result<SqliteSettings> settings();

  // AccountStore
  Result<Account> add(const Account& account) override;
  Result<std::optional<Account>> get(int64_t id) override;
  Result<std::optional<Account>> find_by_alias(std::string_view alias) override;
  Result<std::optional<Account>> find_by_login(std::string_view github_login,
                                               std::string_view ghe_domain) override;
  Result<std::vector<Account>> list() override;
  Result<Account> update(int64_t id, const AccountUpdate& update) override;
  Status remove(int64_t id) override;
  Status set_enabled(int64_t id, bool enabled, std::string_view reason = {}) override;
  Status record_error(int64_t id, std::string_view error) override;
  Status put_quota(const QuotaSnapshot& quota) override;
  Result<std::optional<QuotaSnapshot>> get_quota(int64_t account_id) override;
  Result<std::vector<QuotaSnapshot>> list_quotas() override;
  Result<std::optional<std::string>> get_meta(std::string_view key) override;
  Status set_meta(std::string_view key, std::string_view value) override;

 private:
  struct Statements;

  SqliteAccountStore(std::string path, Db db, std::unique_ptr<Statements> statements,
                     std::function<int64_t()> now_ms);

  int64_t now_ms() const;
  // kConflict when another account (not `self_id`) has the login on the domain or the alias.
  Status check_unique(const Account& account, int64_t self_id);
  Result<std::optional<Account>> query_one(Stmt& stmt, std::string_view what);

  std::string path_;
  Db db_;
  std::unique_ptr<Statements> st_;  // destroyed before db_
  std::function<int64_t()> now_ms_;
};

}  // namespace cg::store::sqlite
