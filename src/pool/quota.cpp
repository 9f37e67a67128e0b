// See quota.h. Owner thread of the Pool only.
#include "pool/quota.h"

#include <algorithm>

#include "pool/dates.h"

namespace cg::pool {

void QuotaState::set_reset(TimeMs reset_ms, TimeMs now) {
  if (reset_ms > 0) {
    reset_ms_ = reset_ms;
    reset_assumed_ = false;
  } else if (reset_ms_ == 0 || reset_assumed_) {
    reset_ms_ = start_of_next_month(now);
    reset_assumed_ = true;
  }
}

void QuotaState::unblock_if_refilled(TimeMs previous_reset) {
  if (blocked_until_ == 0) return;
  const bool new_period = previous_reset > 0 && reset_ms_ > previous_reset && !reset_assumed_;
  if (unlimited_ || remaining_ > 0 || new_period) blocked_until_ = 0;
}

void QuotaState::apply(const QuotaSnapshot& s, TimeMs now) {
  const TimeMs previous_reset = reset_ms_;
  unlimited_ = s.unlimited || s.entitlement < 0;
  entitlement_ = unlimited_ ? -1 : s.entitlement;
  overage_permitted_ = s.overage_permitted;
  if (s.remaining) {
    remaining_ = std::max(0.0, *s.remaining);
  } else if (s.percent_remaining) {
    remaining_ = std::max(0.0, entitlement_ * std::clamp(*s.percent_remaining, 0.0, 100.0) / 100);
  } else if (!known_) {
    remaining_ = std::max(0.0, entitlement_);
  }
  known_ = true;
  snapshot_ms_ = now;
  set_reset(s.reset_ms, now);
  roll_over(now);
  unblock_if_refilled(previous_reset);
}

bool QuotaState::apply(const QuotaHeader& h, TimeMs now) {
  const TimeMs previous_reset = reset_ms_;
  if (h.overage_permitted) overage_permitted_ = *h.overage_permitted;
  if (h.entitlement) {
    const bool was_unlimited = unlimited_;
    unlimited_ = *h.entitlement < 0;
    entitlement_ = *h.entitlement;
    // Limited now, with no percentage to say how much is left: the estimate is unknown again.
    if (was_unlimited && !unlimited_ && !h.percent_remaining) known_ = false;
  }
  bool replaced = false;
  if (unlimited_ && h.entitlement) {
    replaced = true;
  } else if (h.percent_remaining && (h.entitlement || known_) && !unlimited_) {
    remaining_ = entitlement_ * *h.percent_remaining / 100;
    replaced = true;
  }
  if (replaced) {
    known_ = true;
    snapshot_ms_ = now;
  }
  if (h.reset_ms) {
    set_reset(*h.reset_ms, now);
  } else if (replaced) {
    set_reset(0, now);
  }
  if (known_) {
    roll_over(now);
    unblock_if_refilled(previous_reset);
  }
  return replaced;
}

void QuotaState::charge(double units) {
  if (!known_ || unlimited_ || units <= 0) return;
  remaining_ = std::max(0.0, remaining_ - units);
}

void QuotaState::mark_exhausted(TimeMs now, int64_t retry_after_ms, int64_t fallback_ms) {
  if (known_ && !unlimited_) remaining_ = 0;
  TimeMs until;
  if (known_ && !reset_assumed_ && reset_ms_ > now) {
    until = reset_ms_;
  } else if (retry_after_ms >= 0) {
    until = now + retry_after_ms;
  } else {
    until = now + fallback_ms;
  }
  blocked_until_ = std::max(blocked_until_, until);
}

void QuotaState::roll_over_slow(TimeMs now) {
  if (reset_ms_ <= 0) return;
  // The allowance is back; the next reset is a month on (as many months as have passed).
  for (int i = 0; i < 1200 && reset_ms_ <= now; ++i)
    reset_ms_ = add_months(reset_ms_, 1);
  if (reset_ms_ <= now) reset_ms_ = start_of_next_month(now);
  if (!unlimited_) remaining_ = std::max(0.0, entitlement_);
}

}  // namespace cg::pool
