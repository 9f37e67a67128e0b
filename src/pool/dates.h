// Dates and times as Copilot sends them, converted to unix milliseconds (UTC): quota reset dates
// (`2026-12-01`, `2026-12-01T00:00:00Z`), HTTP dates and `retry-after` values; plus the calendar
// arithmetic the quota logic needs (next monthly reset) and ISO rendering for status output.
// Pure functions: lenient about what they accept, never throw, any thread.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "pool/types.h"

namespace cg::pool {

// `YYYY-MM-DD` (midnight UTC) or an ISO 8601 / RFC 3339 timestamp
// `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|±HH[:]MM]` (no offset = UTC). Surrounding spaces are
// ignored. Years 1..9999 (also after the offset); fields are range-checked (a leap second reads as
// :59). nullopt otherwise.
std::optional<TimeMs> parse_date_ms(std::string_view text);

// An HTTP date in the preferred IMF-fixdate form, `Sun, 06 Nov 1994 08:49:37 GMT` (the weekday is
// not checked). nullopt otherwise.
std::optional<TimeMs> parse_http_date_ms(std::string_view text);

// A `retry-after` value as a duration from `now`: delta-seconds (`120`) or an HTTP date (a date in
// the past gives 0). nullopt when it is neither.
std::optional<int64_t> parse_retry_after_ms(std::string_view value, TimeMs now);

// `2026-12-01T00:00:00Z` (milliseconds shown only when not zero: `…:00.250Z`).
std::string format_timestamp(TimeMs t);

// The same day and time `months` later (day clamped to the month's length: Jan 31 + 1 = Feb 28/29).
TimeMs add_months(TimeMs t, int months);

// Midnight UTC of the first day of the month after the one containing `t`.
TimeMs start_of_next_month(TimeMs t);

// `s` without leading and trailing spaces and tabs.
std::string_view trim_blanks(std::string_view s);

}  // namespace cg::pool
