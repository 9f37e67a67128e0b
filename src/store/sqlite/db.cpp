// The SQLite C API behind Db, Stmt and Transaction. Used by one thread at a time.
#include "store/sqlite/db.h"

#include <sqlite3.h>

#include <utility>

namespace cg::store::sqlite {

// ---- Db

Result<Db> Db::open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_EXRESCODE, nullptr);
  Db db(raw);  // closes `raw` on every path (sqlite3_open_v2 may return a handle on failure)
  if (rc != SQLITE_OK) {
    return sqlite_error(rc, "open " + path, raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
  }
  return db;
}

Db::Db(Db&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Db::~Db() {
  close();
}

void Db::close() {
  // sqlite3_close_v2: statements still alive are finalized as they are destroyed.
  if (db_) sqlite3_close_v2(std::exchange(db_, nullptr));
}

Status Db::exec(const char* sql, std::string_view what) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  Error e = sqlite_error(rc, what, message ? message : sqlite3_errstr(rc));
  sqlite3_free(message);
  return e;
}

Result<int64_t> Db::query_int(const char* sql, std::string_view what) {
  auto stmt = Stmt::prepare(*this, sql);
  if (!stmt) return std::move(stmt).error();
  auto row = stmt->step(what);
  if (!row) return std::move(row).error();
  if (!*row) return io_error(std::string(what) + ": no result");
  return stmt->column_int(0);
}

Result<std::string> Db::query_text(const char* sql, std::string_view what) {
  auto stmt = Stmt::prepare(*this, sql);
  if (!stmt) return std::move(stmt).error();
  auto row = stmt->step(what);
  if (!row) return std::move(row).error();
  if (!*row) return io_error(std::string(what) + ": no result");
  return stmt->column_text(0);
}

Error Db::last_error(std::string_view what) const {
  return sqlite_error(sqlite3_extended_errcode(db_), what, sqlite3_errmsg(db_));
}

Error sqlite_error(int rc, std::string_view what, std::string_view sqlite_message) {
  std::string message(what);
  message += ": ";
  message += sqlite_message;
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return conflict(std::move(message));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return not_found(std::move(message));
    default:
      break;
  }
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return invalid_argument(std::move(message));
  return io_error(std::move(message));
}

// ---- Stmt

Result<Stmt> Stmt::prepare(Db& db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return db.last_error("prepare");
  }
  return Stmt(raw, db.handle());
}

Stmt::Stmt(Stmt&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      db_(std::exchange(other.db_, nullptr)),
      bind_rc_(other.bind_rc_) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = std::exchange(other.db_, nullptr);
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

Stmt::~Stmt() {
  sqlite3_finalize(stmt_);
}

void Stmt::bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
}

void Stmt::bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
}

void Stmt::bind(int index, std::string_view value) {
  // A non-null pointer even for "": a null one would bind SQL NULL.
  const int rc = sqlite3_bind_text64(stmt_, index, value.empty() ? "" : value.data(), value.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
}

Result<bool> Stmt::step(std::string_view what) {
  if (bind_rc_ != 0) return sqlite_error(bind_rc_, what, sqlite3_errstr(bind_rc_));
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(sqlite3_extended_errcode(db_), what, sqlite3_errmsg(db_));
}

int64_t Stmt::column_int(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

double Stmt::column_double(int index) const {
  return sqlite3_column_double(stmt_, index);
}

std::string Stmt::column_text(int index) const {
  const auto* text = sqlite3_column_text(stmt_, index);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
}

void Stmt::reset() {
  if (!stmt_) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = 0;
}

// ---- Transaction

Status Transaction::begin() {
  auto s = db_.exec("BEGIN IMMEDIATE", "begin transaction");
  open_ = s.ok();
  return s;
}

Status Transaction::commit() {
  auto s = db_.exec("COMMIT", "commit");
  if (s) open_ = false;
  return s;
}

Transaction::~Transaction() {
  if (open_) (void)db_.exec("ROLLBACK", "rollback");
}

}  // namespace cg::store::sqlite
