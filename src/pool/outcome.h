// How a request attempt on an account ended, as the server reports it to the pool
// (Pool::on_finish), and the mapping from an upstream HTTP status to it. Pure values; any thread.
#pragma once
#include <cstdint>
#include <string_view>

#include "pool/quota_header.h"

namespace cg::pool {

enum class OutcomeKind : uint8_t {
  kSuccess,         // 2xx: the upstream took the request (and billed it)
  kRejected,        // another 4xx (400, 404, 422, …): the request's fault, not the account's
  kRateLimited,     // 429, or any answer with `x-ratelimit-exceeded`
  kQuotaExhausted,  // 402
  kAuthFailed,      // 401/403 that persisted after one token refresh
  kServerError,     // 5xx
  kNetworkError,    // connect/TLS/reset/timeout: no complete answer
  kCancelled,       // the client went away: nobody's fault
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::kSuccess;
  // kRateLimited / kQuotaExhausted: the `retry-after` as a duration (see parse_retry_after_ms);
  // < 0 = absent.
  int64_t retry_after_ms = -1;
  // The upstream billed this attempt although it did not end in kSuccess: it had answered 2xx
  // before the stream broke or the client left. kSuccess is always billed.
  bool billed = false;
  // The value of `x-quota-snapshot-premium_interactions` on the answer, if any (any kind).
  std::string_view quota_header;
  // The same header already parsed by the caller (then quota_header is not parsed again); null =
  // none, or parse quota_header. Lets the server parse outside the pool's lock, and only once.
  const QuotaHeader* quota = nullptr;
  // kAuthFailed: why, for status output (never a token).
  std::string_view reason;

  static Outcome success(std::string_view quota_header = {}) {
    return {OutcomeKind::kSuccess, -1, true, quota_header, nullptr, {}};
  }
  bool has_quota() const { return quota != nullptr || !quota_header.empty(); }
  static Outcome rejected() { return {OutcomeKind::kRejected}; }
  static Outcome rate_limited(int64_t retry_after_ms = -1) {
    return {OutcomeKind::kRateLimited, retry_after_ms};
  }
  static Outcome quota_exhausted(int64_t retry_after_ms = -1) {
    return {OutcomeKind::kQuotaExhausted, retry_after_ms};
  }
  static Outcome auth_failed(std::string_view reason) {
    return {OutcomeKind::kAuthFailed, -1, false, {}, nullptr, reason};
  }
  static Outcome server_error(bool billed = false) {
    return {OutcomeKind::kServerError, -1, billed};
  }
  static Outcome network_error(bool billed = false) {
    return {OutcomeKind::kNetworkError, -1, billed};
  }
  static Outcome cancelled(bool billed = false) { return {OutcomeKind::kCancelled, -1, billed}; }
};

// The outcome kind of an upstream answer with HTTP `status`. `ratelimit_exceeded` = the answer
// carried `x-ratelimit-exceeded` (then it is kRateLimited whatever the status). 401/403 map to
// kAuthFailed: call this for them only after the token refresh and retry.
inline OutcomeKind classify_status(int status, bool ratelimit_exceeded = false) {
  if (ratelimit_exceeded || status == 429) return OutcomeKind::kRateLimited;
  if (status >= 200 && status < 300) return OutcomeKind::kSuccess;
  if (status == 402) return OutcomeKind::kQuotaExhausted;
  if (status == 401 || status == 403) return OutcomeKind::kAuthFailed;
  if (status >= 500) return OutcomeKind::kServerError;
  return OutcomeKind::kRejected;
}

}  // namespace cg::pool
