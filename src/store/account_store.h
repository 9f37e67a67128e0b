// AccountStore: where the account pool keeps its accounts, their last known quota and a few
// key-value settings. An interface, implemented on SQLite (store/sqlite/) and later on
// PostgreSQL; callers see only this header.
//
// Threads: every call blocks (disk or network), so callers run them on a store thread (the small
// blocking pool), never on a worker or control event loop. One store object is used by one
// thread at a time; it may move between threads when the hand-over is synchronized (a pool task
// queue does that). No call throws: failures come back as Error values whose messages never
// contain a token or a proxy URL.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/account.h"
#include "store/error.h"

namespace cg::store {

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // ---- accounts

  // Stores a new account and returns it as stored (id, created_at and updated_at assigned; the
  // id, created_at and updated_at of `account` are ignored). kInvalidArgument when
  // validate_account fails; kConflict when another account has the same github_login on the same
  // ghe_domain, or the same non-empty alias (both compared without regard to ASCII case).
  virtual Result<Account> add(const Account& account) = 0;

  // nullopt when there is no such account.
  virtual Result<std::optional<Account>> get(int64_t id) = 0;
  // `alias` compared without regard to ASCII case; an empty alias finds nothing.
  virtual Result<std::optional<Account>> find_by_alias(std::string_view alias) = 0;
  // `ghe_domain` empty for github.com; both compared without regard to ASCII case.
  virtual Result<std::optional<Account>> find_by_login(std::string_view github_login,
                                                       std::string_view ghe_domain) = 0;

  // Every account, ordered by priority (lowest first), then id.
  virtual Result<std::vector<Account>> list() = 0;

  // Changes the fields set in `update` (an empty update changes nothing) and returns the
  // account as stored; updated_at is set when anything was written. kNotFound, kInvalidArgument
  // (the result of applying the update must pass validate_account) or kConflict as for add.
  virtual Result<Account> update(int64_t id, const AccountUpdate& update) = 0;

  // Deletes the account and its quota snapshot. kNotFound when there was none.
  virtual Status remove(int64_t id) = 0;

  // Enables or disables the account. Disabling stores `reason` as disabled_reason (through
  // sanitize_note; the account's own token, should it appear in it, is replaced by
  // "[redacted]"); enabling clears disabled_reason and ignores `reason`. kNotFound.
  virtual Status set_enabled(int64_t id, bool enabled, std::string_view reason = {}) = 0;

  // Stores the last upstream failure seen with the account (sanitize_note; its token redacted as
  // above); an empty `error` marks the account healthy again. kNotFound.
  virtual Status record_error(int64_t id, std::string_view error) = 0;

  // ---- quota snapshots (one per account, replaced on every put)

  // kNotFound when the account does not exist; kInvalidArgument when validate_quota fails.
  virtual Status put_quota(const QuotaSnapshot& quota) = 0;
  // nullopt when none was stored for the account (or the account does not exist).
  virtual Result<std::optional<QuotaSnapshot>> get_quota(int64_t account_id) = 0;
  // Every stored snapshot, ordered by account id.
  virtual Result<std::vector<QuotaSnapshot>> list_quotas() = 0;

  // ---- meta: small named settings of the store's users (e.g. a routing cursor). Keys and values
  // are plain text; never put secrets here.

  virtual Result<std::optional<std::string>> get_meta(std::string_view key) = 0;
  virtual Status set_meta(std::string_view key, std::string_view value) = 0;
};

}  // namespace cg::store
