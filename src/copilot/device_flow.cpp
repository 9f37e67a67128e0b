// See device_flow.h. Pure; the small answers are parsed with Boost.JSON.
#include "copilot/device_flow.h"

#include <algorithm>
#include <cmath>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace cg::copilot {
namespace json = boost::json;
namespace {

constexpr int64_t kSlowDownStepMs = 5000;  // RFC 8628 §3.5
constexpr int kMaxTransportErrors = 5;     // in a row

std::string str_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->get_string());
}

int64_t int_of(const json::object& o, std::string_view key, int64_t fallback) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return fallback;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(std::min<uint64_t>(v->get_uint64(), INT32_MAX));
  if (v->is_double() && std::isfinite(v->get_double()))
    return static_cast<int64_t>(v->get_double());
  if (v->is_string()) {  // form-encoded answers turned JSON by proxies
    int64_t n = 0;
    for (char c : v->get_string()) {
      if (c < '0' || c > '9' || n > INT32_MAX / 10) return fallback;
      n = n * 10 + (c - '0');
    }
    return v->get_string().empty() ? fallback : n;
  }
  return fallback;
}

}  // namespace

ApiError device_flow_error(std::string why) {
  return ApiError{502,
                  "server_error",
                  "device_flow_failed",
                  "GitHub device login failed: " + std::move(why),
                  {},
                  {}};
}

std::string device_code_request_body(std::string_view client_id, std::string_view scope) {
  return json::serialize(json::object{{"client_id", client_id}, {"scope", scope}});
}

std::string token_poll_request_body(std::string_view client_id, std::string_view device_code) {
  return json::serialize(
      json::object{{"client_id", client_id},
                   {"device_code", device_code},
                   {"grant_type", "urn:ietf:params:oauth:grant-type:device_code"}});
}

Result<DeviceCode> parse_device_code(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return device_flow_error("the device code answer is not a JSON object");
  const json::object& o = v.get_object();
  if (std::string err = str_of(o, "error"); !err.empty()) {
    std::string desc = str_of(o, "error_description");
    return device_flow_error(desc.empty() ? err : err + ": " + desc);
  }
  DeviceCode d;
  d.device_code = str_of(o, "device_code");
  d.user_code = str_of(o, "user_code");
  d.verification_uri = str_of(o, "verification_uri");
  if (d.device_code.empty() || d.user_code.empty() || d.verification_uri.empty())
    return device_flow_error(
        "the device code answer lacks device_code, user_code or verification_uri");
  d.expires_in_s = std::clamp<int64_t>(int_of(o, "expires_in", 900), 1, 86400);
  d.interval_s = std::clamp<int64_t>(int_of(o, "interval", 5), 0, 3600);
  return d;
}

PollAnswer parse_poll_answer(int http_status, std::string_view body) {
  PollAnswer a;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    a.message = "GitHub answered HTTP " + std::to_string(http_status) + " without a JSON object";
    return a;
  }
  const json::object& o = v.get_object();
  if (std::string token = str_of(o, "access_token"); !token.empty()) {
    a.kind = PollAnswer::kToken;
    a.access_token = std::move(token);
    return a;
  }
  const std::string err = str_of(o, "error");
  const std::string desc = str_of(o, "error_description");
  if (err == "authorization_pending") {
    a.kind = PollAnswer::kPending;
  } else if (err == "slow_down") {
    a.kind = PollAnswer::kSlowDown;
    a.interval_s = std::clamp<int64_t>(int_of(o, "interval", 0), 0, 3600);
  } else if (err == "expired_token") {
    a.kind = PollAnswer::kExpired;
  } else if (err == "access_denied") {
    a.kind = PollAnswer::kDenied;
    a.message = "the login was denied on GitHub";
  } else {
    a.message = err.empty() ? "GitHub answered HTTP " + std::to_string(http_status) +
                                  " without a token or an error"
                            : (desc.empty() ? err : err + ": " + desc);
  }
  return a;
}

PollStep DevicePoller::start(const DeviceCode& code, int64_t now_ms) {
  ++restarts_;
  polls_ = 0;
  transport_errors_ = 0;
  interval_ms_ = std::max<int64_t>(code.interval_s, 1) * 1000;
  expires_at_ms_ = now_ms + code.expires_in_s * 1000;
  return PollStep{PollStep::kWait, interval_ms_, {}, {}};
}

PollStep DevicePoller::wait_or_expire(int64_t now_ms) {
  if (now_ms + interval_ms_ >= expires_at_ms_) {
    if (restarts_ >= max_restarts_)
      return PollStep{PollStep::kFail, 0, {}, "the device code expired too many times"};
    return PollStep{PollStep::kRestart, 0, {}, "the device code expired"};
  }
  return PollStep{PollStep::kWait, interval_ms_, {}, {}};
}

PollStep DevicePoller::on_answer(const PollAnswer& a, int64_t now_ms) {
  ++polls_;
  transport_errors_ = 0;
  switch (a.kind) {
    case PollAnswer::kToken:
      return PollStep{PollStep::kDone, 0, a.access_token, {}};
    case PollAnswer::kPending:
      return wait_or_expire(now_ms);
    case PollAnswer::kSlowDown:
      // +5 s for this and every later poll; more when GitHub names a longer interval.
      interval_ms_ = std::max(interval_ms_ + kSlowDownStepMs, a.interval_s * 1000);
      return wait_or_expire(now_ms);
    case PollAnswer::kExpired:
      if (restarts_ >= max_restarts_)
        return PollStep{PollStep::kFail, 0, {}, "the device code expired too many times"};
      return PollStep{PollStep::kRestart, 0, {}, "the device code expired"};
    case PollAnswer::kDenied:
    case PollAnswer::kError:
      break;
  }
  return PollStep{PollStep::kFail, 0, {}, a.message};
}

PollStep DevicePoller::on_transport_error(std::string_view why, int64_t now_ms) {
  if (++transport_errors_ >= kMaxTransportErrors)
    return PollStep{PollStep::kFail, 0, {}, "polling GitHub failed: " + std::string(why)};
  return wait_or_expire(now_ms);
}

}  // namespace cg::copilot
