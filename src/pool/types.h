// Basic vocabulary of the account pool: time as unix milliseconds, dense account indexes and a
// fixed-size set of them. Plain values; no thread rules of their own.
#pragma once
#include <cstdint>

namespace cg::pool {

// Wall-clock time in milliseconds since the Unix epoch (UTC). The pool never reads a clock: every
// call that depends on time takes `now` from the caller.
using TimeMs = int64_t;

inline constexpr int64_t kSecondMs = 1000;
inline constexpr int64_t kMinuteMs = 60 * kSecondMs;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;

// Position of an account in its Pool, stable for the pool's life (accounts are disabled, never
// removed). Dense so that per-request state (the exclusion set) is one machine word.
using AccountIndex = uint16_t;
inline constexpr AccountIndex kNoAccount = 0xffff;
inline constexpr int kMaxAccounts = 64;

// A set of account indexes (< kMaxAccounts) in one word: the accounts a request already tried.
class AccountSet {
 public:
  constexpr AccountSet() = default;
  constexpr explicit AccountSet(uint64_t bits) : bits_(bits) {}

  constexpr void insert(AccountIndex i) {
    if (i < kMaxAccounts) bits_ |= uint64_t{1} << i;
  }
  constexpr void erase(AccountIndex i) {
    if (i < kMaxAccounts) bits_ &= ~(uint64_t{1} << i);
  }
  constexpr bool contains(AccountIndex i) const {
    return i < kMaxAccounts && ((bits_ >> i) & 1) != 0;
  }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr uint64_t bits() const { return bits_; }

 private:
  uint64_t bits_ = 0;
};

}  // namespace cg::pool
