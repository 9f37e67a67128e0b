// The SQLite schema as an ordered list of migrations, and the code that checks and upgrades a
// database. Version N of the schema is what migrations 1..N produce; a new database runs them
// all, an older one runs the ones it lacks, each in its own transaction together with
// `PRAGMA user_version = N`. A shipped migration is never edited: change the schema by appending
// one (see src/store/README.md). Used by the store's thread while it opens the database.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "store/error.h"
#include "store/sqlite/db.h"

namespace cg::store::sqlite {

struct Migration {
  int version;               // 1, 2, ... without gaps
  std::string_view summary;  // for the log
  const char* sql;           // fixed SQL text, one or more statements
};

// PRAGMA application_id of every copilot-gateway database ("CGWD"), set by migration 1.
inline constexpr int64_t kApplicationId = 0x43475744;

// Every migration, ascending.
std::span<const Migration> migrations();
// The schema version this binary writes: the last migration's version.
int latest_schema_version();

// Reads (never writes) the database's application_id and user_version and returns the version
// when the file is one this binary may open: a new empty database (0), or a copilot-gateway
// database at a version up to latest_schema_version(). kIncompatible otherwise: another
// application's database, or a newer schema (the message names both versions). `path` is for
// messages.
Result<int> check_schema(Db& db, std::string_view path);

struct MigrationStep {
  int from = 0;
  int to = 0;
};

// Applies the steps above the database's current version in order, each in one IMMEDIATE
// transaction that also sets user_version, so a failure leaves the database at the last
// completed version. Returns the versions before and after.
Result<MigrationStep> migrate(Db& db, std::span<const Migration> steps = migrations());

}  // namespace cg::store::sqlite
