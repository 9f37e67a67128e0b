// Premium request accounting of one simulated account, the way Copilot bills it: an answered
// request to a model whose billing.multiplier is > 0 costs the multiplier; past the allowance it
// is refused (402 quota_exceeded) unless overage is permitted. Amounts are kept in hundredths of
// a premium request so that multipliers like 0.33 add up exactly. Pure; the caller synchronises.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/simulator.h"

namespace cg::sim {

using Cents = int64_t;  // hundredths of a premium request

Cents to_cents(double requests);  // rounded to the nearest hundredth
double from_cents(Cents c);

// The reset time as the quota header's `rst` shows it, e.g. "2026-12-01T00:00:00Z". Fixed
// storage keeps Quota trivially copyable, so a copy leaves the State lock without allocating.
class ResetStamp {
 public:
  ResetStamp() = default;
  // "YYYY-MM-DD" gets "T00:00:00Z"; any other text is kept as is (up to 31 characters).
  explicit ResetStamp(std::string_view date);
  std::string_view view() const { return {text_.data(), size_}; }

 private:
  std::array<char, 32> text_{};
  uint8_t size_ = 0;
};

struct Quota {
  int entitlement = 0;
  Cents remaining = 0;
  Cents overage = 0;  // charged past the allowance (only with overage_permitted)
  bool unlimited = false;
  bool overage_permitted = false;
  ResetStamp reset;
};

// The account's configured quota, nothing used yet.
Quota configured_quota(const SimAccount& a);

// Why `u` cannot be applied (a negative amount, a reset date that is neither YYYY-MM-DD nor
// YYYY-MM-DDTHH:MM:SSZ); empty when it can.
std::string_view quota_update_error(const QuotaUpdate& u);

// Applies the fields `u` sets to `q` (overage is left alone).
void apply(Quota& q, const QuotaUpdate& u);

// Charges `cost` (> 0). Unlimited: nothing is taken. Enough remaining: taken from remaining.
// Otherwise, with overage permitted, what remains is used up and the rest counts as overage;
// without, nothing changes and the request is refused (returns false).
bool charge(Quota& q, Cents cost);

// percent_remaining in hundredths of a percent, rounded and clamped to 0..100 %; 100 % for
// unlimited, 0 for an entitlement of 0.
int64_t percent_remaining_hundredths(const Quota& q);

// Appends `v` hundredths as a decimal with one or two decimals: 0 -> "0.0", 1250 -> "12.5",
// 9967 -> "99.67", -100 -> "-1.0".
void append_hundredths(std::string& out, int64_t v);

inline constexpr std::string_view kQuotaHeader = "x-quota-snapshot-premium_interactions";

// Appends the header line "x-quota-snapshot-premium_interactions: <value>\r\n" where the value
// is form data as Copilot sends it: `ent=300&ov=0.0&ovPerm=false&rem=99.67&rst=2026-12-01T00%3A00
// %3A00Z` (unlimited: ent=-1 and rem=100.0). Allocates nothing once `out` has room.
void append_quota_header(std::string& out, const Quota& q);

}  // namespace cg::sim
