// Date parsers and calendar helpers: Copilot's reset dates, HTTP dates, retry-after values.
#include "pool/dates.h"

#include <gtest/gtest.h>

namespace cg::pool {
namespace {

// 2026-12-01T00:00:00Z, computed independently: 20788 days after the epoch.
constexpr TimeMs kDec1 = 20788 * kDayMs;

TEST(Dates, ParsesPlainDateAsMidnightUtc) {
  EXPECT_EQ(parse_date_ms("1970-01-01"), 0);
  EXPECT_EQ(parse_date_ms("2026-12-01"), kDec1);
  EXPECT_EQ(parse_date_ms("  2026-12-01 "), kDec1);
  EXPECT_EQ(parse_date_ms("2000-03-01"), 11017 * kDayMs);  // after a leap day in a /400 year
  EXPECT_EQ(parse_date_ms("2024-02-29"), 19782 * kDayMs);
}

TEST(Dates, ParsesIsoTimestamps) {
  EXPECT_EQ(parse_date_ms("2026-12-01T00:00:00Z"), kDec1);
  EXPECT_EQ(parse_date_ms("2026-12-01T00:00:00.000Z"), kDec1);
  EXPECT_EQ(parse_date_ms("2026-12-01T01:02:03.5Z"), kDec1 + kHourMs + 2 * kMinuteMs + 3500);
  EXPECT_EQ(parse_date_ms("2026-12-01T01:02:03.123456Z"), kDec1 + kHourMs + 2 * kMinuteMs + 3123);
  EXPECT_EQ(parse_date_ms("2026-12-01T00:00Z"), kDec1);
  EXPECT_EQ(parse_date_ms("2026-12-01 00:00:00"), kDec1);  // no offset = UTC
  EXPECT_EQ(parse_date_ms("2026-12-01t00:00:00z"), kDec1);
  EXPECT_EQ(parse_date_ms("2026-12-01T02:00:00+02:00"), kDec1);
  EXPECT_EQ(parse_date_ms("2026-11-30T19:00:00-0500"), kDec1);
  EXPECT_EQ(parse_date_ms("2026-12-01T00:00:60Z"), kDec1 + 59 * kSecondMs);  // leap second
}

TEST(Dates, RejectsGarbage) {
  for (const char* bad :
       {"", "2026", "2026-12", "2026-13-01", "2026-00-10", "2026-02-29", "2026-04-31", "0000-01-01",
        "2026-12-01T", "2026-12-01T24:00:00Z", "2026-12-01T10:60:00Z", "2026-12-01T10:00:00.Z",
        "2026-12-01T10:00:00+2", "2026-12-01T10:00:00Zjunk", "2026/12/01", "x026-12-01",
        "2026-12-01T10:00:00+25:00", "-2026-12-01", "2026-1-01"}) {
    EXPECT_FALSE(parse_date_ms(bad).has_value()) << bad;
  }
}

TEST(Dates, HttpDate) {
  EXPECT_EQ(parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
            9075 * kDayMs + 8 * kHourMs + 49 * kMinuteMs + 37 * kSecondMs);
  EXPECT_EQ(parse_http_date_ms("Tue, 01 Dec 2026 00:00:00 GMT"), kDec1);
  EXPECT_FALSE(parse_http_date_ms("Tue, 01 Foo 2026 00:00:00 GMT"));
  EXPECT_FALSE(parse_http_date_ms("Tue, 01 Dec 2026 00:00:00 UTC"));
  EXPECT_FALSE(parse_http_date_ms("Tue, 31 Nov 2026 00:00:00 GMT"));
  EXPECT_FALSE(parse_http_date_ms("Tue,"));
  EXPECT_FALSE(parse_http_date_ms(""));
}

TEST(Dates, RetryAfterSecondsOrDate) {
  const TimeMs now = kDec1;
  EXPECT_EQ(parse_retry_after_ms("120", now), 120 * kSecondMs);
  EXPECT_EQ(parse_retry_after_ms(" 0 ", now), 0);
  EXPECT_EQ(parse_retry_after_ms("Tue, 01 Dec 2026 00:00:30 GMT", now), 30 * kSecondMs);
  EXPECT_EQ(parse_retry_after_ms("Mon, 30 Nov 2026 00:00:00 GMT", now), 0);  // past
  EXPECT_EQ(parse_retry_after_ms("99999999999999999999999", now), 10 * 366 * kDayMs);
  EXPECT_FALSE(parse_retry_after_ms("", now));
  EXPECT_FALSE(parse_retry_after_ms("-5", now));
  EXPECT_FALSE(parse_retry_after_ms("1.5", now));
  EXPECT_FALSE(parse_retry_after_ms("soon", now));
}

TEST(Dates, FormatsTimestamps) {
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(kDec1), "2026-12-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(kDec1 - 1), "2026-11-30T23:59:59.999Z");
  EXPECT_EQ(format_timestamp(*parse_date_ms("2024-02-29T12:34:56Z")), "2024-02-29T12:34:56Z");
  EXPECT_EQ(format_timestamp(-kDayMs), "1969-12-31T00:00:00Z");
}

TEST(Dates, RoundTripsEveryDayOfFourHundredYears) {
  // Exercises the civil conversions both ways over a whole Gregorian cycle.
  for (TimeMs d = 0; d < 146097; d += 1) {
    const TimeMs t = d * kDayMs + 3 * kHourMs;
    const auto back = parse_date_ms(format_timestamp(t));
    ASSERT_TRUE(back.has_value()) << d;
    ASSERT_EQ(*back, t) << format_timestamp(t);
  }
}

TEST(Dates, MonthArithmetic) {
  auto at = [](const char* s) { return *parse_date_ms(s); };
  EXPECT_EQ(add_months(at("2026-12-01"), 1), at("2027-01-01"));
  EXPECT_EQ(add_months(at("2026-01-31T10:00:00Z"), 1), at("2026-02-28T10:00:00Z"));
  EXPECT_EQ(add_months(at("2024-01-31"), 1), at("2024-02-29"));
  EXPECT_EQ(add_months(at("2026-05-15"), 12), at("2027-05-15"));
  EXPECT_EQ(add_months(at("2026-05-15"), -5), at("2025-12-15"));
  EXPECT_EQ(start_of_next_month(at("2026-11-17T13:00:00Z")), at("2026-12-01"));
  EXPECT_EQ(start_of_next_month(at("2026-12-31T23:59:59Z")), at("2027-01-01"));
  EXPECT_EQ(start_of_next_month(at("2026-12-01")), at("2027-01-01"));
}

}  // namespace
}  // namespace cg::pool
