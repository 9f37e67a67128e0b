// GitHub's OAuth device flow (RFC 8628; copilot-upstream.md §2): the request bodies, parsing of
// the device-code and token-poll answers, and the polling rules as a small state machine
// (`DevicePoller`): wait `interval` between polls, +5 s on every `slow_down`, keep polling on
// `authorization_pending`, start over with a new code on `expired_token` or when the code's
// lifetime has passed, stop on `access_denied` and on any other error. No I/O, no clock: the
// driver (device_login.h) passes the time in. Pure; any thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace cg::copilot {

// The VS Code Copilot app's OAuth client id and the scope it asks for.
inline constexpr std::string_view kDeviceClientId = "Iv1.b507a08c87ecfe98";
inline constexpr std::string_view kDeviceScope = "read:user";

struct DeviceCode {
  std::string device_code;  // secret-ish: only sent back to GitHub
  std::string user_code;    // shown to the user, e.g. "ABCD-1234"
  std::string verification_uri;
  int64_t expires_in_s = 900;
  int64_t interval_s = 5;
};

// 502 device_flow_failed: "GitHub device login failed: <why>".
ApiError device_flow_error(std::string why);

// JSON bodies of the two POSTs.
std::string device_code_request_body(std::string_view client_id, std::string_view scope);
std::string token_poll_request_body(std::string_view client_id, std::string_view device_code);

// The answer to POST /login/device/code (HTTP 200). Errors name what is missing.
Result<DeviceCode> parse_device_code(std::string_view json);

struct PollAnswer {
  enum Kind { kToken, kPending, kSlowDown, kExpired, kDenied, kError };
  Kind kind = kError;
  std::string access_token;  // kToken (a secret)
  int64_t interval_s = 0;    // kSlowDown: the interval GitHub asks for, when it says (else 0)
  std::string message;       // kError / kDenied: GitHub's error and description
};

// The answer to POST /login/oauth/access_token (GitHub answers pending polls with HTTP 200 too).
PollAnswer parse_poll_answer(int http_status, std::string_view json);

// What the driver does next.
struct PollStep {
  enum Kind { kWait, kRestart, kDone, kFail };
  Kind kind = kWait;
  int64_t wait_ms = 0;       // kWait: before the next poll
  std::string access_token;  // kDone
  std::string message;       // kFail (and kRestart: why)
};

class DevicePoller {
 public:
  // `max_restarts`: new codes fetched after expiry before giving up.
  explicit DevicePoller(int max_restarts = 3) : max_restarts_(max_restarts) {}

  // A new code was obtained at now_ms: returns the wait before its first poll.
  PollStep start(const DeviceCode& code, int64_t now_ms);
  // The answer to a poll made at now_ms.
  PollStep on_answer(const PollAnswer& a, int64_t now_ms);
  // A poll that failed on the network (or with an unexpected HTTP status): retried at the
  // current interval, up to a few times in a row.
  PollStep on_transport_error(std::string_view why, int64_t now_ms);

  int64_t interval_ms() const { return interval_ms_; }
  int polls() const { return polls_; }
  int restarts() const { return restarts_; }

 private:
  PollStep wait_or_expire(int64_t now_ms);

  int max_restarts_;
  int restarts_ = -1;  // start() of the first code makes it 0
  int polls_ = 0;
  int transport_errors_ = 0;
  int64_t interval_ms_ = 5000;
  int64_t expires_at_ms_ = 0;
};

}  // namespace cg::copilot
