// SqliteAccountStore: opening (files, pragmas, schema) and the AccountStore calls as prepared
// statements with bound parameters. Used by one thread at a time (see the header).
#include "store/sqlite/sqlite_account_store.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "core/log.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/private_files.h"

namespace cg::store::sqlite {

namespace {

constexpr std::string_view kMemory = ":memory:";

// Column order of every account SELECT; read_account() follows it.
#define CG_ACCOUNT_COLUMNS                                                                     \
  "id, github_login, alias, github_token, account_type, ghe_domain, plan, enabled, priority, " \
  "weight, max_concurrency, max_vision_concurrency, egress_proxy, created_at, updated_at, "    \
  "last_error, disabled_reason"
#define CG_QUOTA_COLUMNS                                                               \
  "account_id, premium_entitlement, premium_remaining, unlimited, overage_permitted, " \
  "reset_date, fetched_at"

Account read_account(const Stmt& s) {
  Account a;
  a.id = s.column_int(0);
  a.github_login = s.column_text(1);
  a.alias = s.column_text(2);
  a.github_token = s.column_text(3);
  // The column's CHECK constraint admits only the three names.
  a.account_type = parse_account_type(s.column_text(4)).value_or(AccountType::kIndividual);
  a.ghe_domain = s.column_text(5);
  a.plan = s.column_text(6);
  a.enabled = s.column_int(7) != 0;
  a.priority = static_cast<int>(s.column_int(8));
  a.weight = static_cast<int>(s.column_int(9));
  a.max_concurrency = static_cast<int>(s.column_int(10));
  a.max_vision_concurrency = static_cast<int>(s.column_int(11));
  a.egress_proxy = s.column_text(12);
  a.created_at = s.column_int(13);
  a.updated_at = s.column_int(14);
  a.last_error = s.column_text(15);
  a.disabled_reason = s.column_text(16);
  return a;
}

QuotaSnapshot read_quota(const Stmt& s) {
  QuotaSnapshot q;
  q.account_id = s.column_int(0);
  q.premium_entitlement = s.column_int(1);
  q.premium_remaining = s.column_double(2);
  q.unlimited = s.column_int(3) != 0;
  q.overage_permitted = s.column_int(4) != 0;
  q.reset_date = s.column_text(5);
  q.fetched_at = s.column_int(6);
  return q;
}

// Binds the settable columns ?2..?12 in the order of the INSERT and UPDATE statements below.
void bind_settable(Stmt& s, const Account& a) {
  s.bind(2, std::string_view(a.github_login));
  s.bind(3, std::string_view(a.alias));
  s.bind(4, std::string_view(a.github_token));
  s.bind(5, account_type_name(a.account_type));
  s.bind(6, std::string_view(a.ghe_domain));
  s.bind(7, std::string_view(a.plan));
  s.bind(8, a.priority);
  s.bind(9, a.weight);
  s.bind(10, a.max_concurrency);
  s.bind(11, a.max_vision_concurrency);
  s.bind(12, std::string_view(a.egress_proxy));
}

// Steps a statement that returns at most one id (DML ... RETURNING id) to completion, so that an
// error at the end of the statement is reported here rather than lost in a reset.
Result<std::optional<int64_t>> step_returning_id(Stmt& s, std::string_view what) {
  auto row = s.step(what);
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<int64_t>();
  const int64_t id = s.column_int(0);
  auto done = s.step(what);
  if (!done) return std::move(done).error();
  return std::optional<int64_t>(id);
}

std::string host_name(const std::string& ghe_domain) {
  return ghe_domain.empty() ? "github.com" : ghe_domain;
}

std::string octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode));
  return buf;
}

Error no_account(int64_t id) {
  return not_found("no account with id " + std::to_string(id));
}

int64_t system_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

// Every statement the store runs, prepared once at open (so a typo fails at open, not later).
struct SqliteAccountStore::Statements {
  Stmt insert_account, select_by_id, select_by_alias, select_by_login, select_all;
  Stmt login_owner, alias_owner, update_account, delete_account, set_enabled, record_error;
  Stmt upsert_quota, select_quota, select_all_quotas, select_meta, upsert_meta;

  Status prepare(Db& db) {
    const std::pair<Stmt*, const char*> all[] = {
        // ?1 (the id in bind_settable's numbering) is not used: the store assigns it.
        {&insert_account,
         "INSERT INTO accounts (github_login, alias, github_token, account_type, ghe_domain, plan,"
         " priority, weight, max_concurrency, max_vision_concurrency, egress_proxy, enabled,"
         " created_at, updated_at, last_error, disabled_reason)"
         " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16)"
         " RETURNING id"},
        {&select_by_id, "SELECT " CG_ACCOUNT_COLUMNS " FROM accounts WHERE id = ?1"},
        {&select_by_alias,
         "SELECT " CG_ACCOUNT_COLUMNS " FROM accounts WHERE alias = ?1 AND alias <> ''"},
        {&select_by_login,
         "SELECT " CG_ACCOUNT_COLUMNS " FROM accounts WHERE github_login = ?1 AND ghe_domain = ?2"},
        {&select_all, "SELECT " CG_ACCOUNT_COLUMNS " FROM accounts ORDER BY priority, id"},
        {&login_owner,
         "SELECT id FROM accounts WHERE github_login = ?1 AND ghe_domain = ?2 AND id <> ?3"
         " LIMIT 1"},
        {&alias_owner,
         "SELECT id FROM accounts WHERE alias = ?1 AND alias <> '' AND id <> ?2 LIMIT 1"},
        {&update_account,
         "UPDATE accounts SET github_login = ?2, alias = ?3, github_token = ?4, account_type = ?5,"
         " ghe_domain = ?6, plan = ?7, priority = ?8, weight = ?9, max_concurrency = ?10,"
         " max_vision_concurrency = ?11, egress_proxy = ?12, updated_at = ?13 WHERE id = ?1"},
        {&delete_account, "DELETE FROM accounts WHERE id = ?1 RETURNING id"},
        // The account's own token is cut out of free text before it is stored.
        {&set_enabled,
         "UPDATE accounts SET enabled = ?2,"
         " disabled_reason = CASE WHEN ?2 THEN '' ELSE replace(?3, github_token, '[redacted]')"
         " END, updated_at = ?4 WHERE id = ?1 RETURNING id"},
        {&record_error,
         "UPDATE accounts SET last_error = replace(?2, github_token, '[redacted]'),"
         " updated_at = ?3 WHERE id = ?1 RETURNING id"},
        {&upsert_quota,
         "INSERT INTO quota_snapshots (" CG_QUOTA_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
         " ON CONFLICT (account_id) DO UPDATE SET"
         " premium_entitlement = excluded.premium_entitlement,"
         " premium_remaining = excluded.premium_remaining, unlimited = excluded.unlimited,"
         " overage_permitted = excluded.overage_permitted, reset_date = excluded.reset_date,"
         " fetched_at = excluded.fetched_at"},
        {&select_quota, "SELECT " CG_QUOTA_COLUMNS " FROM quota_snapshots WHERE account_id = ?1"},
        {&select_all_quotas,
         "SELECT " CG_QUOTA_COLUMNS " FROM quota_snapshots ORDER BY account_id"},
        {&select_meta, "SELECT value FROM meta WHERE key = ?1"},
        {&upsert_meta,
         "INSERT INTO meta (key, value) VALUES (?1, ?2)"
         " ON CONFLICT (key) DO UPDATE SET value = excluded.value"},
    };
    for (auto& [stmt, sql] : all) {
      auto s = Stmt::prepare(db, sql);
      if (!s) return std::move(s).error();
      *stmt = std::move(s).value();
    }
    return {};
  }
};

#undef CG_ACCOUNT_COLUMNS
#undef CG_QUOTA_COLUMNS

// ---- opening

Result<std::unique_ptr<SqliteAccountStore>> SqliteAccountStore::open(const std::string& path,
                                                                     SqliteStoreOptions options) {
  const bool in_memory = path == kMemory;
  if (path.empty()) return invalid_argument("the database path is empty");
  bool created = false;
  if (!in_memory) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    if (auto s = make_private_dirs(dir); !s) return std::move(s).error();
    auto c = create_private_file(path);
    if (!c) return std::move(c).error();
    created = *c;
  }

  auto db = Db::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  if (!db) return std::move(db).error();
  if (sqlite3_busy_timeout(db->handle(), options.busy_timeout_ms) != SQLITE_OK) {
    return db->last_error("set busy timeout");
  }

  // Read-only checks first: a file we must not open is left exactly as it was.
  auto version = check_schema(*db, path);
  if (!version) return std::move(version).error();

  if (!in_memory) {
    for (const std::string& p : {path, path + "-wal", path + "-shm"}) {
      auto fixed = restrict_to_owner(p);
      if (!fixed) return std::move(fixed).error();
      if (*fixed) {
        log::warn("store file was readable by other users; set to owner-only (0600)")
            .str("path", p)
            .str("old_mode", octal(**fixed))
            .str("advice", "the GitHub tokens in it may have been read: consider rotating them");
      }
    }
  }

  if (auto s = db->exec("PRAGMA foreign_keys = ON", "enable foreign keys"); !s) {
    return std::move(s).error();
  }
  auto journal = db->query_text("PRAGMA journal_mode = WAL", "set WAL journal mode");
  if (!journal) return std::move(journal).error();
  if (*journal != (in_memory ? "memory" : "wal")) {
    return io_error("could not switch " + path + " to WAL journal mode (it stays in '" + *journal +
                    "' mode)");
  }
  if (auto s = db->exec("PRAGMA synchronous = NORMAL", "set synchronous"); !s) {
    return std::move(s).error();
  }

  auto migrated = migrate(*db);
  if (!migrated) return std::move(migrated).error();

  auto statements = std::make_unique<Statements>();
  if (auto s = statements->prepare(*db); !s) return std::move(s).error();

  log::info("store opened")
      .str("path", path)
      .boolean("created", created)
      .num("schema_version", migrated->to)
      .num("schema_version_before", migrated->from);
  auto now = options.now_ms ? std::move(options.now_ms) : std::function<int64_t()>(system_now_ms);
  return std::unique_ptr<SqliteAccountStore>(
      new SqliteAccountStore(path, std::move(db).value(), std::move(statements), std::move(now)));
}

SqliteAccountStore::SqliteAccountStore(std::string path, Db db,
                                       std::unique_ptr<Statements> statements,
                                       std::function<int64_t()> now_ms)
    : path_(std::move(path)),
      db_(std::move(db)),
      st_(std::move(statements)),
      now_ms_(std::move(now_ms)) {}

SqliteAccountStore::~SqliteAccountStore() = default;

int64_t SqliteAccountStore::now_ms() const {
  return now_ms_();
}

Result<SqliteSettings> SqliteAccountStore::settings() {
  SqliteSettings out;
  auto journal = db_.query_text("PRAGMA journal_mode", "read journal_mode");
  if (!journal) return std::move(journal).error();
  out.journal_mode = std::move(journal).value();
  const std::pair<int64_t*, const char*> ints[] = {
      {&out.synchronous, "PRAGMA synchronous"},
      {&out.busy_timeout_ms, "PRAGMA busy_timeout"},
      {&out.schema_version, "PRAGMA user_version"},
  };
  for (auto& [field, sql] : ints) {
    auto v = db_.query_int(sql, sql);
    if (!v) return std::move(v).error();
    *field = *v;
  }
  auto fk = db_.query_int("PRAGMA foreign_keys", "read foreign_keys");
  if (!fk) return std::move(fk).error();
  out.foreign_keys = *fk != 0;
  return out;
}

// ---- accounts

Status SqliteAccountStore::check_unique(const Account& a, int64_t self_id) {
  {
    StmtUse s(st_->login_owner);
    s->bind(1, std::string_view(a.github_login));
    s->bind(2, std::string_view(a.ghe_domain));
    s->bind(3, self_id);
    auto row = s->step("check login");
    if (!row) return std::move(row).error();
    if (*row) {
      return conflict("an account for login '" + a.github_login + "' on " +
                      host_name(a.ghe_domain) + " already exists (id " +
                      std::to_string(s->column_int(0)) + ")");
    }
  }
  if (a.alias.empty()) return {};
  StmtUse s(st_->alias_owner);
  s->bind(1, std::string_view(a.alias));
  s->bind(2, self_id);
  auto row = s->step("check alias");
  if (!row) return std::move(row).error();
  if (*row) {
    return conflict("alias '" + a.alias + "' is already used by account " +
                    std::to_string(s->column_int(0)));
  }
  return {};
}

Result<Account> SqliteAccountStore::add(const Account& account) {
  if (auto s = validate_account(account); !s) return std::move(s).error();
  Transaction tx(db_);
  if (auto s = tx.begin(); !s) return std::move(s).error();
  if (auto s = check_unique(account, 0); !s) return std::move(s).error();

  Account stored = account;
  stored.created_at = stored.updated_at = now_ms();
  {
    StmtUse s(st_->insert_account);
    bind_settable(*s, stored);
    s->bind(13, stored.enabled);
    s->bind(14, stored.created_at);
    s->bind(15, std::string_view(stored.last_error));
    s->bind(16, std::string_view(stored.disabled_reason));
    auto id = step_returning_id(*s, "add account");
    if (!id) return std::move(id).error();
    if (!*id) return io_error("add account: no id returned");
    stored.id = **id;
  }
  if (auto s = tx.commit(); !s) return std::move(s).error();
  return stored;
}

Result<std::optional<Account>> SqliteAccountStore::query_one(Stmt& stmt, std::string_view what) {
  auto row = stmt.step(what);
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<Account>();
  return std::optional<Account>(read_account(stmt));
}

Result<std::optional<Account>> SqliteAccountStore::get(int64_t id) {
  StmtUse s(st_->select_by_id);
  s->bind(1, id);
  return query_one(*s, "get account");
}

Result<std::optional<Account>> SqliteAccountStore::find_by_alias(std::string_view alias) {
  StmtUse s(st_->select_by_alias);
  s->bind(1, alias);
  return query_one(*s, "find account by alias");
}

Result<std::optional<Account>> SqliteAccountStore::find_by_login(std::string_view github_login,
                                                                 std::string_view ghe_domain) {
  StmtUse s(st_->select_by_login);
  s->bind(1, github_login);
  s->bind(2, ghe_domain);
  return query_one(*s, "find account by login");
}

Result<std::vector<Account>> SqliteAccountStore::list() {
  StmtUse s(st_->select_all);
  std::vector<Account> out;
  for (;;) {
    auto row = s->step("list accounts");
    if (!row) return std::move(row).error();
    if (!*row) break;
    out.push_back(read_account(*s));
  }
  return out;
}

Result<Account> SqliteAccountStore::update(int64_t id, const AccountUpdate& update) {
  Transaction tx(db_);
  if (auto s = tx.begin(); !s) return std::move(s).error();
  auto current = get(id);
  if (!current) return std::move(current).error();
  if (!*current) return no_account(id);
  Account next = std::move(**current);
  if (update.empty()) return next;  // nothing to write; the transaction rolls back

  update.apply_to(next);
  if (auto s = validate_account(next); !s) return std::move(s).error();
  if (auto s = check_unique(next, id); !s) return std::move(s).error();
  next.updated_at = now_ms();
  {
    StmtUse s(st_->update_account);
    s->bind(1, id);
    bind_settable(*s, next);
    s->bind(13, next.updated_at);
    auto done = s->step("update account");
    if (!done) return std::move(done).error();
  }
  if (auto s = tx.commit(); !s) return std::move(s).error();
  return next;
}

Status SqliteAccountStore::remove(int64_t id) {
  StmtUse s(st_->delete_account);
  s->bind(1, id);
  auto deleted = step_returning_id(*s, "remove account");
  if (!deleted) return std::move(deleted).error();
  if (!*deleted) return no_account(id);
  return {};
}

Status SqliteAccountStore::set_enabled(int64_t id, bool enabled, std::string_view reason) {
  StmtUse s(st_->set_enabled);
  s->bind(1, id);
  s->bind(2, enabled);
  s->bind(3, std::string_view(sanitize_note(reason)));
  s->bind(4, now_ms());
  auto changed = step_returning_id(*s, "set enabled");
  if (!changed) return std::move(changed).error();
  if (!*changed) return no_account(id);
  return {};
}

Status SqliteAccountStore::record_error(int64_t id, std::string_view error) {
  StmtUse s(st_->record_error);
  s->bind(1, id);
  s->bind(2, std::string_view(sanitize_note(error)));
  s->bind(3, now_ms());
  auto changed = step_returning_id(*s, "record error");
  if (!changed) return std::move(changed).error();
  if (!*changed) return no_account(id);
  return {};
}

// ---- quota snapshots

Status SqliteAccountStore::put_quota(const QuotaSnapshot& q) {
  if (auto s = validate_quota(q); !s) return std::move(s).error();
  StmtUse s(st_->upsert_quota);
  s->bind(1, q.account_id);
  s->bind(2, q.premium_entitlement);
  s->bind(3, q.premium_remaining);
  s->bind(4, q.unlimited);
  s->bind(5, q.overage_permitted);
  s->bind(6, std::string_view(q.reset_date));
  s->bind(7, q.fetched_at);
  auto done = s->step("put quota");
  if (!done) {
    // The foreign key names no row; say which.
    if (done.error().code == ErrorCode::kNotFound) return no_account(q.account_id);
    return std::move(done).error();
  }
  return {};
}

Result<std::optional<QuotaSnapshot>> SqliteAccountStore::get_quota(int64_t account_id) {
  StmtUse s(st_->select_quota);
  s->bind(1, account_id);
  auto row = s->step("get quota");
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<QuotaSnapshot>();
  return std::optional<QuotaSnapshot>(read_quota(*s));
}

Result<std::vector<QuotaSnapshot>> SqliteAccountStore::list_quotas() {
  StmtUse s(st_->select_all_quotas);
  std::vector<QuotaSnapshot> out;
  for (;;) {
    auto row = s->step("list quotas");
    if (!row) return std::move(row).error();
    if (!*row) break;
    out.push_back(read_quota(*s));
  }
  return out;
}

// ---- meta

Result<std::optional<std::string>> SqliteAccountStore::get_meta(std::string_view key) {
  StmtUse s(st_->select_meta);
  s->bind(1, key);
  auto row = s->step("get meta");
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(s->column_text(0));
}

Status SqliteAccountStore::set_meta(std::string_view key, std::string_view value) {
  if (key.empty()) return invalid_argument("meta key is empty");
  StmtUse s(st_->upsert_meta);
  s->bind(1, key);
  s->bind(2, value);
  auto done = s->step("set meta");
  if (!done) return std::move(done).error();
  return {};
}

}  // namespace cg::store::sqlite
