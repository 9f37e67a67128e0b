// The store's schema history. Append new versions at the end; never edit a shipped one (a
// database in the field was built from exactly this text). Store thread only.
#include "store/sqlite/migrations.h"

#include <iterator>

#include "core/log.h"

namespace cg::store::sqlite {

namespace {

// Version 1: accounts and the meta table.
// - ids never reused (AUTOINCREMENT): quota and, later, usage rows name an account by id.
// - github_login, ghe_domain and alias compare without regard to ASCII case (GitHub logins and
//   host names are case-insensitive), which the column collations give every comparison and
//   index.
// - an alias is unique when set: a partial unique index ignores ''.
constexpr const char* kV1 = R"sql(
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

// Version 2: a cap on concurrent vision requests per account, and the last quota seen per
// account (removed with its account).
constexpr const char* kV2 = R"sql(
ALTER TABLE accounts ADD COLUMN max_vision_concurrency INTEGER NOT NULL DEFAULT 0
  CHECK (max_vision_concurrency >= 0);

CREATE TABLE quota_snapshots (
  account_id          INTEGER PRIMARY KEY NOT NULL
                      REFERENCES accounts (id) ON DELETE CASCADE,
  premium_entitlement INTEGER NOT NULL,
  premium_remaining   REAL    NOT NULL,
  unlimited           INTEGER NOT NULL CHECK (unlimited IN (0, 1)),
  overage_permitted   INTEGER NOT NULL CHECK (overage_permitted IN (0, 1)),
  reset_date          TEXT    NOT NULL DEFAULT '',
  fetched_at          INTEGER NOT NULL
);
)sql";

constexpr Migration kMigrations[] = {
    {1, "accounts and meta", kV1},
    {2, "accounts.max_vision_concurrency and quota_snapshots", kV2},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

Result<int> check_schema(Db& db, std::string_view path) {
  auto app = db.query_int("PRAGMA application_id", "read application_id");
  if (!app) return std::move(app).error();
  auto version = db.query_int("PRAGMA user_version", "read user_version");
  if (!version) return std::move(version).error();
  auto objects = db.query_int("SELECT count(*) FROM sqlite_schema", "read schema");
  if (!objects) return std::move(objects).error();

  const std::string where(path);
  const bool ours = *app == kApplicationId;
  if (*app != 0 && !ours) {
    return incompatible(where + " is not a copilot-gateway database (application_id " +
                        std::to_string(*app) + ")");
  }
  if (!ours && (*version != 0 || *objects != 0)) {
    return incompatible(where + " is not a copilot-gateway database (it holds other tables)");
  }
  if (*version > latest_schema_version()) {
    return incompatible(where + " has schema version " + std::to_string(*version) +
                        ", newer than the versions this copilot-gateway knows (up to " +
                        std::to_string(latest_schema_version()) +
                        "); use a newer copilot-gateway. The file was not changed.");
  }
  if (*version < 0) {
    return incompatible(where + " has an invalid schema version " + std::to_string(*version));
  }
  return static_cast<int>(*version);
}

Result<MigrationStep> migrate(Db& db, std::span<const Migration> steps) {
  auto start = db.query_int("PRAGMA user_version", "read user_version");
  if (!start) return std::move(start).error();
  MigrationStep result{static_cast<int>(*start), static_cast<int>(*start)};
  for (const Migration& m : steps) {
    if (m.version <= result.to) continue;
    Transaction tx(db);
    if (auto s = tx.begin(); !s) return std::move(s).error();
    // Another process may have migrated between our read and the write lock.
    auto now = db.query_int("PRAGMA user_version", "read user_version");
    if (!now) return std::move(now).error();
    if (*now >= m.version) {
      result.to = static_cast<int>(*now);
      continue;
    }
    const std::string what = "migration to schema version " + std::to_string(m.version) + " (" +
                             std::string(m.summary) + ")";
    if (auto s = db.exec(m.sql, what); !s) return std::move(s).error();
    // The version is our own integer, not user input.
    const std::string set_version = "PRAGMA user_version = " + std::to_string(m.version);
    if (auto s = db.exec(set_version.c_str(), what); !s) return std::move(s).error();
    if (auto s = tx.commit(); !s) return std::move(s).error();
    result.to = m.version;
    log::info("store schema migrated").num("version", m.version).str("summary", m.summary);
  }
  return result;
}

}  // namespace cg::store::sqlite
