// Copilot token (copilot-upstream.md §3): parsing GitHub's /copilot_internal/v2/token answer and
// the pure timing rules around it (when to refresh, whether still usable, retry backoff), plus
// the default Copilot base URL per account type. No clocks: every time is passed in. Pure; any
// thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace cg::copilot {

struct CopilotToken {
  std::string token;        // opaque bearer ("tid=...;exp=...:sig"); a secret, never logged
  int64_t expires_at = 0;   // unix seconds
  int64_t refresh_in = 0;   // seconds after obtained_at at which GitHub suggests refreshing
  std::string api_base;     // endpoints.api or empty
  std::string sku;          // e.g. "monthly_subscriber"; may be empty
  int64_t obtained_at = 0;  // unix seconds (parse_token_response sets it to now_unix)
};

// Parses the success body. Only "token" is required: a missing refresh_in defaults to 1500 s and
// a missing expires_at to now + refresh_in + 60. An expires_at that is already in the past by the
// local clock (clock skew) is replaced by now + refresh_in + 60. Errors: 502 copilot_token_invalid
// (the message never contains the token).
Result<CopilotToken> parse_token_response(std::string_view json, int64_t now_unix);

// When to refresh, unix ms: the earlier of (obtained_at + refresh_in) and (expires_at - margin),
// but never earlier than obtained_at + lifetime/2 when the lifetime is shorter than 2 x margin
// (short test tokens), and never before obtained_at.
int64_t refresh_at_ms(const CopilotToken& t, int64_t margin_ms);

// now < expires_at - guard, guard = min(5 s, 10% of the lifetime).
bool usable(const CopilotToken& t, int64_t now_ms);

// Delay before retry number `attempt` (0 = first retry): initial_ms * 2^attempt, capped at
// max_ms, times a jitter factor in [0.8, 1.2) from jitter01 in [0,1), and capped at max_ms again.
int64_t backoff_ms(int attempt, int64_t initial_ms, int64_t max_ms, double jitter01);

// individual (and anything unknown) -> https://api.githubcopilot.com,
// business -> https://api.business.githubcopilot.com,
// enterprise -> https://api.enterprise.githubcopilot.com.
std::string_view default_copilot_base(std::string_view account_type);

}  // namespace cg::copilot
