// See quota_header.h. Pure.
#include "pool/quota_header.h"

#include <charconv>
#include <cmath>

#include "pool/dates.h"

namespace cg::pool {
namespace {

// Longest decoded key or value kept; longer ones are skipped (a reset timestamp is ~30 bytes).
constexpr size_t kMaxField = 64;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `in` into `out` (capacity kMaxField); an invalid escape is kept literally.
// False when the decoded text does not fit.
bool url_decode(std::string_view in, char* out, size_t& n) {
  n = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%' && i + 2 < in.size()) {
      const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        c = static_cast<char>(hi * 16 + lo);
        i += 2;
      }
    }
    if (n == kMaxField) return false;
    out[n++] = c;
  }
  return true;
}

std::optional<double> parse_number(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

bool equals_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

std::optional<bool> parse_bool(std::string_view s) {
  if (equals_nocase(s, "true") || s == "1") return true;
  if (equals_nocase(s, "false") || s == "0") return false;
  return std::nullopt;
}

void apply_pair(std::string_view key, std::string_view value, QuotaHeader& h) {
  if (key == "ent") {
    if (auto v = parse_number(value); v && (*v >= 0 || *v == -1)) h.entitlement = *v;
  } else if (key == "ov") {
    if (auto v = parse_number(value); v && *v >= 0) h.overage_used = *v;
  } else if (key == "ovPerm") {
    if (auto v = parse_bool(value)) h.overage_permitted = *v;
  } else if (key == "rem") {
    if (auto v = parse_number(value)) h.percent_remaining = *v < 0 ? 0 : (*v > 100 ? 100 : *v);
  } else if (key == "rst") {
    if (auto v = parse_date_ms(value)) h.reset_ms = *v;
  }
}

}  // namespace

QuotaHeader parse_quota_header(std::string_view value) {
  QuotaHeader h;
  char key_buf[kMaxField], value_buf[kMaxField];
  while (!value.empty()) {
    size_t end = value.find_first_of("&;");
    const std::string_view pair = value.substr(0, end);
    value.remove_prefix(end == std::string_view::npos ? value.size() : end + 1);

    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    size_t kn, vn;
    if (!url_decode(pair.substr(0, eq), key_buf, kn)) continue;
    if (!url_decode(pair.substr(eq + 1), value_buf, vn)) continue;
    apply_pair(trim_blanks({key_buf, kn}), trim_blanks({value_buf, vn}), h);
  }
  return h;
}

}  // namespace cg::pool
