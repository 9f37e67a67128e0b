// GitHub's GET /copilot_internal/user (copilot-upstream.md §13): who the account is, its plan,
// and its quota snapshots, parsed from the answer; and fetch_copilot_user() which asks for it
// with the account's GitHub token. The parser is pure (any thread); the fetch runs on the
// Client's thread.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "asio_impl/net.h"
#include "config/config.h"
#include "core/result.h"
#include "upstream/client.h"
#include "upstream/target.h"

namespace cg::copilot {

struct QuotaBucket {
  double entitlement = 0;        // -1 = unlimited
  double remaining = 0;          // requests left (may be fractional: multipliers like 0.33)
  double percent_remaining = 0;  // 0..100
  bool unlimited = false;
  bool overage_permitted = false;
  double overage_count = 0;
};

struct CopilotUser {
  std::string login;
  std::string plan;  // copilot_plan: free | individual | individual_pro | business | ...
  std::string sku;   // access_type_sku
  std::string quota_reset_date;  // "YYYY-MM-DD" as GitHub sends it; empty when absent
  bool chat_enabled = true;
  std::optional<QuotaBucket> premium;  // quota_snapshots.premium_interactions (or premium_models)
  std::optional<QuotaBucket> chat;
};

// Errors: 502 copilot_user_invalid (never echoes a token).
Result<CopilotUser> parse_copilot_user(std::string_view json);

// GET <github_api>/copilot_internal/user with the GitHub token. 401/403 answers are errors that
// say the token is invalid or has no Copilot access.
Task<Result<CopilotUser>> fetch_copilot_user(upstream::Client& client,
                                             const upstream::Target& github_api,
                                             const UpstreamConfig& headers,
                                             std::string_view github_token,
                                             std::chrono::milliseconds timeout);

}  // namespace cg::copilot
