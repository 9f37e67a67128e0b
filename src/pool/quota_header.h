// Parser of the quota snapshot Copilot attaches to its answers, the value of
// `x-quota-snapshot-premium_interactions` (or `…premium_models`, `…chat`): URL-encoded pairs such
// as `ent=300&ov=0.0&ovPerm=false&rem=85.5&rst=2026-12-01T00:00:00Z`.
// Pure and total (fuzz-friendly): any byte string gives a result, fields that are missing or do not
// parse are left empty, no allocation. Any thread.
#pragma once
#include <optional>
#include <string_view>

#include "pool/types.h"

namespace cg::pool {

struct QuotaHeader {
  std::optional<double> entitlement;        // ent: premium units per period; -1 = unlimited
  std::optional<double> overage_used;       // ov: units used beyond the entitlement
  std::optional<bool> overage_permitted;    // ovPerm
  std::optional<double> percent_remaining;  // rem: 0..100 (clamped)
  std::optional<TimeMs> reset_ms;           // rst: next reset (date or timestamp)

  bool empty() const {
    return !entitlement && !overage_used && !overage_permitted && !percent_remaining && !reset_ms;
  }
};

// Pairs are separated by `&` (or `;`), keys and values percent-decoded (`+` = space), surrounding
// spaces ignored, unknown keys skipped, a repeated key keeps its last valid value. Numbers must be
// finite; `ent` must be >= 0 or exactly -1; booleans are true/false/1/0 in any case.
QuotaHeader parse_quota_header(std::string_view value);

}  // namespace cg::pool
