// See dates.h. Pure.
#include "pool/dates.h"

#include <cstdio>

namespace cg::pool {
namespace {

bool is_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int64_t y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days from 0001-01-01 to January 1st of year `y` (y >= 1).
int64_t days_before_year(int64_t y) {
  const int64_t p = y - 1;
  return 365 * p + p / 4 - p / 100 + p / 400;
}

int days_before_month(int64_t y, int m) {
  static constexpr int kCumulative[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  return kCumulative[m - 1] + (m > 2 && is_leap(y) ? 1 : 0);
}

const int64_t kEpochDays = days_before_year(1970);

// Days since 1970-01-01 of a valid civil date.
int64_t days_from_civil(int64_t y, int m, int d) {
  return days_before_year(y) + days_before_month(y, m) + (d - 1) - kEpochDays;
}

struct Civil {
  int64_t year;
  int month, day;
  int64_t ms_of_day;
};

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Civil civil_from_ms(TimeMs t) {
  const int64_t days = floor_div(t, kDayMs);
  Civil c{};
  c.ms_of_day = t - days * kDayMs;
  // Estimate the year, then correct it (at most a step or two either way).
  int64_t y = 1970 + floor_div(days * 400, 146097);
  while (days_from_civil(y, 1, 1) > days)
    --y;
  while (days_from_civil(y + 1, 1, 1) <= days)
    ++y;
  int64_t doy = days - days_from_civil(y, 1, 1);
  int m = 1;
  while (m < 12 && doy >= days_before_month(y, m + 1))
    ++m;
  c.year = y;
  c.month = m;
  c.day = static_cast<int>(doy - days_before_month(y, m)) + 1;
  return c;
}

// A tiny cursor over the text being parsed.
struct Cursor {
  std::string_view s;
  size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  // Exactly `n` decimal digits.
  bool digits(int n, int64_t& out) {
    if (i > s.size() || s.size() - i < static_cast<size_t>(n)) return false;
    int64_t v = 0;
    for (int k = 0; k < n; ++k) {
      const char c = s[i + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i += n;
    out = v;
    return true;
  }
};

bool valid_date(int64_t y, int64_t m, int64_t d) {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, static_cast<int>(m));
}

}  // namespace

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::optional<TimeMs> parse_date_ms(std::string_view text) {
  Cursor c{trim_blanks(text)};
  int64_t y, mo, d;
  if (!c.digits(4, y) || !c.eat('-') || !c.digits(2, mo) || !c.eat('-') || !c.digits(2, d))
    return std::nullopt;
  if (!valid_date(y, mo, d)) return std::nullopt;
  const int64_t day_ms = days_from_civil(y, static_cast<int>(mo), static_cast<int>(d)) * kDayMs;
  if (c.done()) return day_ms;
  if (!c.eat('T') && !c.eat('t') && !c.eat(' ')) return std::nullopt;

  int64_t h, mi, sec = 0, frac_ms = 0;
  if (!c.digits(2, h) || !c.eat(':') || !c.digits(2, mi)) return std::nullopt;
  if (c.eat(':')) {
    if (!c.digits(2, sec)) return std::nullopt;
    if (c.eat('.') || c.eat(',')) {
      int n = 0;
      int64_t scale = 100;
      while (c.peek() >= '0' && c.peek() <= '9') {
        frac_ms += (c.peek() - '0') * scale;
        scale /= 10;
        ++c.i;
        ++n;
      }
      if (n == 0) return std::nullopt;
    }
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  if (sec == 60) sec = 59;

  int64_t offset_min = 0;
  if (c.eat('Z') || c.eat('z')) {
  } else if (c.peek() == '+' || c.peek() == '-') {
    const bool minus = c.peek() == '-';
    ++c.i;
    int64_t oh, om = 0;
    if (!c.digits(2, oh)) return std::nullopt;
    if (c.eat(':')) {
      if (!c.digits(2, om)) return std::nullopt;
    } else if (!c.done()) {
      if (!c.digits(2, om)) return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset_min = (minus ? -1 : 1) * (oh * 60 + om);
  }
  if (!c.done()) return std::nullopt;
  const TimeMs t =
      day_ms + h * kHourMs + mi * kMinuteMs + sec * kSecondMs + frac_ms - offset_min * kMinuteMs;
  // An offset must not carry the instant out of years 1..9999.
  if (t < days_from_civil(1, 1, 1) * kDayMs || t >= days_from_civil(10000, 1, 1) * kDayMs)
    return std::nullopt;
  return t;
}

std::optional<TimeMs> parse_http_date_ms(std::string_view text) {
  static constexpr std::string_view kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  Cursor c{trim_blanks(text)};
  // "Sun, " — three letters, a comma and a space.
  if (c.s.size() < 5 || c.s[3] != ',' || c.s[4] != ' ') return std::nullopt;
  c.i = 5;
  int64_t d, y, h, mi, sec;
  if (!c.digits(2, d) || !c.eat(' ')) return std::nullopt;
  if (c.s.size() - c.i < 4) return std::nullopt;
  const std::string_view mon = c.s.substr(c.i, 3);
  int m = 0;
  for (int k = 0; k < 12; ++k)
    if (mon == kMonths[k]) m = k + 1;
  if (m == 0) return std::nullopt;
  c.i += 3;
  if (!c.eat(' ') || !c.digits(4, y) || !c.eat(' ') || !c.digits(2, h) || !c.eat(':') ||
      !c.digits(2, mi) || !c.eat(':') || !c.digits(2, sec) || !c.eat(' '))
    return std::nullopt;
  if (c.s.substr(c.i) != "GMT") return std::nullopt;
  if (!valid_date(y, m, d) || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  if (sec == 60) sec = 59;
  return days_from_civil(y, m, static_cast<int>(d)) * kDayMs + h * kHourMs + mi * kMinuteMs +
         sec * kSecondMs;
}

std::optional<int64_t> parse_retry_after_ms(std::string_view value, TimeMs now) {
  const std::string_view v = trim_blanks(value);
  if (v.empty()) return std::nullopt;
  bool all_digits = true;
  for (char ch : v)
    all_digits = all_digits && ch >= '0' && ch <= '9';
  if (all_digits) {
    // Saturate absurd values at ten years instead of overflowing.
    constexpr int64_t kMaxSeconds = 10 * 366 * 24 * 3600;
    int64_t s = 0;
    for (char ch : v) {
      s = s * 10 + (ch - '0');
      if (s > kMaxSeconds) return kMaxSeconds * kSecondMs;
    }
    return s * kSecondMs;
  }
  const auto at = parse_http_date_ms(v);
  if (!at) return std::nullopt;
  return *at > now ? *at - now : 0;
}

std::string format_timestamp(TimeMs t) {
  const Civil c = civil_from_ms(t);
  const int64_t ms = c.ms_of_day % 1000;
  const int64_t s = c.ms_of_day / 1000;
  char buf[48];
  int n;
  if (ms != 0) {
    n = std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02lld:%02lld:%02lld.%03lldZ",
                      static_cast<long long>(c.year), c.month, c.day,
                      static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60),
                      static_cast<long long>(s % 60), static_cast<long long>(ms));
  } else {
    n = std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02lld:%02lld:%02lldZ",
                      static_cast<long long>(c.year), c.month, c.day,
                      static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60),
                      static_cast<long long>(s % 60));
  }
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

TimeMs add_months(TimeMs t, int months) {
  const Civil c = civil_from_ms(t);
  const int64_t index = c.year * 12 + (c.month - 1) + months;
  const int64_t y = floor_div(index, 12);
  const int m = static_cast<int>(index - y * 12) + 1;
  if (y < 1) return t;
  const int d = c.day < days_in_month(y, m) ? c.day : days_in_month(y, m);
  return days_from_civil(y, m, d) * kDayMs + c.ms_of_day;
}

TimeMs start_of_next_month(TimeMs t) {
  const Civil c = civil_from_ms(t);
  const int64_t y = c.month == 12 ? c.year + 1 : c.year;
  const int m = c.month == 12 ? 1 : c.month + 1;
  return days_from_civil(y, m, 1) * kDayMs;
}

}  // namespace cg::pool
