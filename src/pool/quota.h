// What the pool knows about one account's premium allowance: the last snapshot (from
// `copilot_internal/user` or a response's `x-quota-snapshot-*` header), the local estimate
// decremented by each billed premium request until the next snapshot, units of premium requests
// still in flight, and the 402 block (out of premium routing until the reset date).
// Single-threaded: owned by the Pool and touched only by the Pool's owner thread.
#pragma once
#include <optional>

#include "pool/quota_header.h"
#include "pool/types.h"

namespace cg::pool {

// `quota_snapshots.premium_interactions` of `copilot_internal/user` and the top-level
// `quota_reset_date`, as parsed by the caller.
struct QuotaSnapshot {
  double entitlement = 0;                   // units per period; -1 = unlimited
  std::optional<double> remaining;          // units left
  std::optional<double> percent_remaining;  // used when `remaining` is absent
  bool unlimited = false;
  bool overage_permitted = false;
  TimeMs reset_ms = 0;  // quota_reset_date (see parse_date_ms); 0 = unknown
};

class QuotaState {
 public:
  // Replaces what is known with `s`, taken at `now`.
  void apply(const QuotaSnapshot& s, TimeMs now);
  // Applies a header snapshot: fields it lacks keep their values; the remaining units are replaced
  // when the header gives a percentage and the entitlement is known (from it or before). True when
  // the estimate was replaced.
  bool apply(const QuotaHeader& h, TimeMs now);

  // A premium request billed on this account (the Pool calls it at most once per request).
  void charge(double units);
  void add_pending(double units) { pending_ += units; }
  void remove_pending(double units) { pending_ = pending_ > units ? pending_ - units : 0; }

  // 402: out of premium routing until the reset date when known, else for `retry_after_ms` when
  // given (>= 0), else for `fallback_ms`. A later snapshot that shows units left, or a new period,
  // lifts it.
  void mark_exhausted(TimeMs now, int64_t retry_after_ms, int64_t fallback_ms);

  // Once `now` passes the reset date the allowance is back to the entitlement and the reset date
  // moves a month on. Cheap when nothing is due (one compare).
  void roll_over(TimeMs now) {
    if (known_ && now >= reset_ms_) roll_over_slow(now);
  }

  // Whether premium requests may go to this account at `now`: not blocked by a 402, and unknown,
  // unlimited, overage permitted, or units left in the estimate.
  bool premium_available(TimeMs now) const {
    if (now < blocked_until_) return false;
    return !known_ || unlimited_ || overage_permitted_ || remaining_ > 0;
  }
  // When premium_available() may turn true again (the block's end, else the reset date).
  TimeMs premium_back_at(TimeMs now) const {
    return now < blocked_until_ ? blocked_until_ : reset_ms_;
  }

  // Units per day left until the reset, net of in-flight premium units:
  // (remaining - pending) / max(days to reset, min_days). REQUIRES: known() && !unlimited().
  double allowance_per_day(TimeMs now, double min_days) const {
    double days = static_cast<double>(reset_ms_ - now) / static_cast<double>(kDayMs);
    if (days < min_days) days = min_days;
    return (remaining_ - pending_) / days;
  }

  bool known() const { return known_; }
  bool unlimited() const { return unlimited_; }
  bool overage_permitted() const { return overage_permitted_; }
  double entitlement() const { return entitlement_; }
  double remaining() const { return remaining_; }
  double pending() const { return pending_; }
  // The reset date in force; when no snapshot gave one, the start of the next month (Copilot's
  // allowance resets monthly) and reset_assumed() is true. 0 while nothing is known.
  TimeMs reset_ms() const { return reset_ms_; }
  bool reset_assumed() const { return reset_assumed_; }
  TimeMs snapshot_ms() const { return snapshot_ms_; }
  TimeMs blocked_until() const { return blocked_until_; }

 private:
  void set_reset(TimeMs reset_ms, TimeMs now);
  void roll_over_slow(TimeMs now);
  void unblock_if_refilled(TimeMs previous_reset);

  double entitlement_ = 0;
  double remaining_ = 0;
  double pending_ = 0;
  TimeMs reset_ms_ = 0;
  TimeMs snapshot_ms_ = 0;
  TimeMs blocked_until_ = 0;
  bool known_ = false;
  bool unlimited_ = false;
  bool overage_permitted_ = false;
  bool reset_assumed_ = false;
};

}  // namespace cg::pool
