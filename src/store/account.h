// The records an AccountStore keeps: Account (one GitHub Copilot subscription), AccountUpdate (a
// partial change of its settable fields) and QuotaSnapshot (the last premium quota seen for an
// account), plus the field checks every store implementation applies before writing. Pure value
// types and functions; any thread.
//
// Account.github_token is a secret: never log it, never put it in a message. Nothing here prints
// an Account.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/error.h"

namespace cg::store {

enum class AccountType { kIndividual, kBusiness, kEnterprise };

// "individual" | "business" | "enterprise".
std::string_view account_type_name(AccountType type);
std::optional<AccountType> parse_account_type(std::string_view name);

struct Account {
  // Assigned by the store on add (ignored there), never reused after a remove.
  int64_t id = 0;
  // GitHub login. Unique per ghe_domain; compared without regard to ASCII case.
  std::string github_login;
  // Short name for pinning and display. Empty = none; otherwise unique across all accounts
  // (ASCII case-insensitive).
  std::string alias;
  // The GitHub OAuth token (gho_/ghu_...) exchanged for Copilot tokens. SECRET.
  std::string github_token;
  AccountType account_type = AccountType::kIndividual;
  // GHE.com host name (e.g. "octocorp.ghe.com"); empty for github.com.
  std::string ghe_domain;
  // copilot_plan from copilot_internal/user, e.g. "individual_pro"; empty until known.
  std::string plan;
  bool enabled = true;
  // Lower priority is tried first; accounts of equal priority share the load by weight.
  int priority = 0;
  // Share of the load among accounts of equal priority; >= 1.
  int weight = 1;
  // Concurrent requests on this account; 0 = unlimited.
  int max_concurrency = 0;
  // Concurrent requests carrying images on this account; 0 = unlimited.
  int max_vision_concurrency = 0;
  // http:// or https:// proxy URL for this account's upstream traffic (may carry credentials:
  // treated like a secret in messages); empty = none.
  std::string egress_proxy;
  // Unix milliseconds, set by the store (ignored on add).
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // Last upstream failure seen with this account; empty when healthy. Set by record_error.
  std::string last_error;
  // Why the account was disabled (by an admin or automatically); empty when enabled.
  std::string disabled_reason;
};

// A partial update: fields left empty are not changed. `enabled`, `last_error` and
// `disabled_reason` change through set_enabled and record_error instead.
struct AccountUpdate {
  std::optional<std::string> github_login;
  std::optional<std::string> alias;  // "" removes the alias
  std::optional<std::string> github_token;
  std::optional<AccountType> account_type;
  std::optional<std::string> ghe_domain;
  std::optional<std::string> plan;
  std::optional<int> priority;
  std::optional<int> weight;
  std::optional<int> max_concurrency;
  std::optional<int> max_vision_concurrency;
  std::optional<std::string> egress_proxy;

  bool empty() const;
  // Writes the set fields into `account`.
  void apply_to(Account& account) const;
};

// The premium-request quota last read for an account (copilot_internal/user,
// quota_snapshots.premium_interactions), so that a restart does not start blind.
struct QuotaSnapshot {
  int64_t account_id = 0;
  // Premium requests per period; -1 when the API reports unlimited.
  int64_t premium_entitlement = 0;
  // Remaining premium requests (the API reports fractions).
  double premium_remaining = 0;
  bool unlimited = false;
  bool overage_permitted = false;
  // quota_reset_date, "YYYY-MM-DD"; empty when unknown.
  std::string reset_date;
  // Unix milliseconds when it was read.
  int64_t fetched_at = 0;
};

// Checks every field of an account about to be written (on add, or after an update was applied):
// non-empty login and token; logins, aliases, domains and plans without whitespace or control
// characters and at most 255 bytes (aliases 64); a token without whitespace or control
// characters (it goes into an HTTP header); ghe_domain a bare host name; weight >= 1; the
// concurrency limits >= 0; egress_proxy empty or http(s)://. Messages never quote the token or
// the proxy URL.
Status validate_account(const Account& account);

// A free-text note (last_error, disabled_reason) made storable: control characters become
// spaces and the text is cut to 4096 bytes (not inside a UTF-8 sequence).
std::string sanitize_note(std::string_view text);

// Checks a snapshot before it is written: reset_date empty or YYYY-MM-DD, remaining finite.
Status validate_quota(const QuotaSnapshot& quota);

}  // namespace cg::store
