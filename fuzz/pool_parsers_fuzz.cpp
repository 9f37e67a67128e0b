// Fuzz target: the account pool's parsers of upstream text (pool/quota_header.h, pool/dates.h)
// and a Pool fed the input as a quota header.
// Properties: parse_quota_header keeps its ranges (rem in 0..100, ent >= 0 or -1, ov >= 0); a
// date that parses renders with format_timestamp and parses back to the same instant; a
// retry-after is never negative; a Pool's estimate stays >= 0 whatever header it is given.
#include <string>

#include "fuzz_util.h"
#include "pool/dates.h"
#include "pool/pool.h"
#include "pool/quota_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cg::pool;
  const std::string_view text = cg::fuzz::as_text(data, size);

  const QuotaHeader h = parse_quota_header(text);
  if (h.percent_remaining)
    CG_FUZZ_CHECK(*h.percent_remaining >= 0 && *h.percent_remaining <= 100, text);
  if (h.entitlement) CG_FUZZ_CHECK(*h.entitlement >= 0 || *h.entitlement == -1, text);
  if (h.overage_used) CG_FUZZ_CHECK(*h.overage_used >= 0, text);

  if (const auto t = parse_date_ms(text)) {
    const std::string shown = format_timestamp(*t);
    CG_FUZZ_CHECK(parse_date_ms(shown) == t, shown);
  }
  if (const auto t = parse_http_date_ms(text)) {
    const std::string shown = format_timestamp(*t);
    CG_FUZZ_CHECK(parse_date_ms(shown) == t, shown);
  }
  constexpr TimeMs kNow = 20758 * kDayMs;  // 2026-11-01
  if (const auto wait = parse_retry_after_ms(text, kNow)) CG_FUZZ_CHECK(*wait >= 0, text);

  Pool pool;
  AccountConfig c;
  c.id = "fuzz";
  if (!pool.add_account(c)) return 0;
  QuotaSnapshot s;
  s.entitlement = 300;
  s.remaining = 120;
  s.reset_ms = kNow + 10 * kDayMs;
  pool.apply_quota(0, s, kNow);
  pool.apply_quota_header(0, text, kNow + 1);
  CG_FUZZ_CHECK(pool.account(0).quota.remaining() >= 0, text);
  SelectRequest req;
  req.now = kNow + 2;
  req.multiplier = 1;
  (void)pool.select(req);
  return 0;
}
