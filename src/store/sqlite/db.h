// Thin RAII wrappers over the SQLite C API for the store: Db (a connection), Stmt (a prepared
// statement reused across calls, values only ever bound, never spliced into SQL text) and
// Transaction (BEGIN IMMEDIATE ... COMMIT, rolled back unless committed). SQLite errors become
// store Errors with SQLite's message, which names tables and columns but never a bound value.
// Threads: like the connection they wrap, used by one thread at a time.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "store/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cg::store::sqlite {

class Db {
 public:
  // sqlite3_open_v2 with `flags` (SQLITE_OPEN_*; extended result codes are always turned on).
  static Result<Db> open(const std::string& path, int flags);

  Db() = default;
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  sqlite3* handle() const { return db_; }
  bool is_open() const { return db_ != nullptr; }
  void close();

  // Runs fixed SQL text (one or more statements, no parameters): migrations and PRAGMAs only.
  Status exec(const char* sql, std::string_view what);
  // The first column of the first row of fixed SQL text (a PRAGMA read).
  Result<int64_t> query_int(const char* sql, std::string_view what);
  Result<std::string> query_text(const char* sql, std::string_view what);

  // The connection's last error as an Error: "<what>: <SQLite message>".
  Error last_error(std::string_view what) const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// Turns SQLite result code `rc` into an Error: UNIQUE/PRIMARY KEY violations are kConflict,
// FOREIGN KEY violations kNotFound, other constraint failures kInvalidArgument, the rest kIo.
Error sqlite_error(int rc, std::string_view what, std::string_view sqlite_message);

class Stmt {
 public:
  // Prepared for reuse (SQLITE_PREPARE_PERSISTENT); `sql` must be one statement.
  static Result<Stmt> prepare(Db& db, const char* sql);

  Stmt() = default;
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Parameters are 1-based (?1, ?2, ...). A failed bind is reported by the next step().
  void bind(int index, int64_t value);
  void bind(int index, int value) { bind(index, static_cast<int64_t>(value)); }
  void bind(int index, bool value) { bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  void bind(int index, double value);
  void bind(int index, std::string_view value);      // copied by SQLite
  void bind(int index, const char* value) = delete;  // say std::string_view explicitly

  // true: a row is ready; false: done. `what` names the operation in an error.
  Result<bool> step(std::string_view what);

  // Columns are 0-based.
  int64_t column_int(int index) const;
  double column_double(int index) const;
  std::string column_text(int index) const;

  // Ends the current use: resets the statement (releasing its read snapshot) and clears the
  // bindings (no copy of a bound token stays behind).
  void reset();

 private:
  Stmt(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  int bind_rc_ = 0;  // first failed bind's result code; 0 = none
};

// Resets a Stmt when the scope ends, whatever path leaves it.
class StmtUse {
 public:
  explicit StmtUse(Stmt& stmt) : stmt_(stmt) {}
  ~StmtUse() { stmt_.reset(); }
  StmtUse(const StmtUse&) = delete;
  StmtUse& operator=(const StmtUse&) = delete;
  Stmt* operator->() { return &stmt_; }
  Stmt& operator*() { return stmt_; }

 private:
  Stmt& stmt_;
};

// BEGIN IMMEDIATE (takes the write lock at once, so a read-then-write cannot deadlock with
// another connection) ... commit(); rolled back by the destructor unless committed.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status begin();
  Status commit();

 private:
  Db& db_;
  bool open_ = false;
};

}  // namespace cg::store::sqlite
