// Test helper: a hand-advanced clock for the pool's unit tests (the pool never reads a clock).
#pragma once
#include "pool/dates.h"
#include "pool/types.h"

namespace cg::pool::testing {

// 2026-11-01T00:00:00Z.
inline constexpr TimeMs kStart = 20758 * kDayMs;

struct FakeClock {
  TimeMs now = kStart;
  void advance(int64_t ms) { now += ms; }
};

inline TimeMs at(const char* iso) {
  return *parse_date_ms(iso);
}

}  // namespace cg::pool::testing
