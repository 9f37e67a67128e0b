// See quota.h.
#include "sim/quota.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace cg::sim {
namespace {

void append_int(std::string& out, int64_t v) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

// application/x-www-form-urlencoded, as URLSearchParams writes it.
void append_form_encoded(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
        c == '.' || c == '_' || c == '*') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
}

}  // namespace

Cents to_cents(double requests) {
  return static_cast<Cents>(std::llround(requests * 100));
}

double from_cents(Cents c) {
  return static_cast<double>(c) / 100;
}

ResetStamp::ResetStamp(std::string_view date) {
  const bool day_only = date.size() == 10 && date[4] == '-' && date[7] == '-';
  constexpr std::string_view kMidnight = "T00:00:00Z";
  size_ = static_cast<uint8_t>(std::min(date.size(), text_.size() - 1));
  std::copy_n(date.data(), size_, text_.data());
  if (day_only) {
    std::copy(kMidnight.begin(), kMidnight.end(), text_.data() + size_);
    size_ += static_cast<uint8_t>(kMidnight.size());
  }
}

Quota configured_quota(const SimAccount& a) {
  Quota q;
  q.entitlement = a.premium_entitlement;
  q.remaining = std::max<Cents>(0, to_cents(a.premium_remaining));
  q.unlimited = a.premium_unlimited;
  q.overage_permitted = a.overage_permitted;
  q.reset = ResetStamp(a.quota_reset_date);
  return q;
}

std::string_view quota_update_error(const QuotaUpdate& u) {
  if (u.remaining && !(*u.remaining >= 0 && *u.remaining < 1e12))
    return "remaining must be a number >= 0";
  if (u.entitlement && *u.entitlement < 0) return "entitlement must be >= 0";
  if (u.reset_date) {
    const std::string_view d = *u.reset_date;
    static constexpr std::string_view kDay = "dddd-dd-dd", kTime = "dddd-dd-ddTdd:dd:ddZ";
    const std::string_view shape = d.size() == kDay.size() ? kDay : kTime;
    bool ok = d.size() == shape.size();
    for (size_t i = 0; ok && i < d.size(); ++i)
      ok = shape[i] == 'd' ? d[i] >= '0' && d[i] <= '9' : d[i] == shape[i];
    if (!ok) return "reset_date must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ";
  }
  return {};
}

void apply(Quota& q, const QuotaUpdate& u) {
  if (u.remaining) q.remaining = to_cents(*u.remaining);
  if (u.entitlement) q.entitlement = *u.entitlement;
  if (u.unlimited) q.unlimited = *u.unlimited;
  if (u.overage_permitted) q.overage_permitted = *u.overage_permitted;
  if (u.reset_date) q.reset = ResetStamp(*u.reset_date);
}

bool charge(Quota& q, Cents cost) {
  if (q.unlimited) return true;
  if (q.remaining >= cost) {
    q.remaining -= cost;
    return true;
  }
  if (!q.overage_permitted) return false;
  q.overage += cost - q.remaining;
  q.remaining = 0;
  return true;
}

int64_t percent_remaining_hundredths(const Quota& q) {
  if (q.unlimited) return 10000;
  if (q.entitlement <= 0) return 0;
  // remaining (hundredths of a request) * 100 / entitlement = hundredths of a percent, rounded.
  const int64_t ent = q.entitlement;
  const int64_t pct = (std::max<Cents>(0, q.remaining) * 200 + ent) / (2 * ent);
  return std::min<int64_t>(pct, 10000);
}

void append_hundredths(std::string& out, int64_t v) {
  if (v < 0) {
    out += '-';
    v = -v;
  }
  append_int(out, v / 100);
  const int64_t frac = v % 100;
  out += '.';
  out += static_cast<char>('0' + frac / 10);
  if (frac % 10 != 0) out += static_cast<char>('0' + frac % 10);
}

void append_quota_header(std::string& out, const Quota& q) {
  out += kQuotaHeader;
  out += ": ent=";
  append_int(out, q.unlimited ? -1 : q.entitlement);
  out += "&ov=";
  append_hundredths(out, q.overage);
  out += "&ovPerm=";
  out += q.overage_permitted ? "true" : "false";
  out += "&rem=";
  append_hundredths(out, percent_remaining_hundredths(q));
  out += "&rst=";
  append_form_encoded(out, q.reset.view());
  out += "\r\n";
}

}  // namespace cg::sim
