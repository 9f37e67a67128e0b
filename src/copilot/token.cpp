// See token.h. Pure; the token body is parsed with Boost.JSON (once per ~25 minutes).
#include "copilot/token.h"

#include <algorithm>
#include <cmath>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace cg::copilot {
namespace json = boost::json;
namespace {

constexpr int64_t kDefaultRefreshIn = 1500;  // seconds; GitHub's usual value
constexpr int64_t kExpirySlack = 60;         // seconds added to refresh_in for a derived expiry

ApiError invalid(std::string why) {
  return ApiError{502,
                  "server_error",
                  "copilot_token_invalid",
                  "GitHub returned an invalid Copilot token response: " + std::move(why),
                  {},
                  {}};
}

bool get_int(const json::object& o, std::string_view key, int64_t& out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return false;
  if (v->is_int64())
    out = v->get_int64();
  else if (v->is_uint64())
    out = static_cast<int64_t>(std::min<uint64_t>(v->get_uint64(), INT64_MAX));
  else if (v->is_double() && std::isfinite(v->get_double()))
    out = static_cast<int64_t>(v->get_double());
  else
    return false;
  return true;
}

std::string get_str(const json::object* o, std::string_view key) {
  if (o == nullptr) return {};
  const json::value* v = o->if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->get_string().data(), v->get_string().size());
}

}  // namespace

Result<CopilotToken> parse_token_response(std::string_view body, int64_t now_unix) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return invalid("not JSON");
  const json::object* o = v.if_object();
  if (o == nullptr) return invalid("not a JSON object");
  CopilotToken t;
  t.token = get_str(o, "token");
  if (t.token.empty()) {
    std::string msg = get_str(o, "message");
    if (msg.size() > 300) msg.resize(300);
    return invalid(msg.empty() ? "no token" : "no token (" + msg + ")");
  }
  t.obtained_at = now_unix;
  if (!get_int(*o, "refresh_in", t.refresh_in) || t.refresh_in <= 0)
    t.refresh_in = kDefaultRefreshIn;
  if (!get_int(*o, "expires_at", t.expires_at) || t.expires_at <= now_unix)
    t.expires_at = now_unix + t.refresh_in + kExpirySlack;
  t.sku = get_str(o, "sku");
  if (const json::value* ep = o->if_contains("endpoints"))
    t.api_base = get_str(ep->if_object(), "api");
  while (!t.api_base.empty() && t.api_base.back() == '/')
    t.api_base.pop_back();
  return t;
}

int64_t refresh_at_ms(const CopilotToken& t, int64_t margin_ms) {
  const int64_t obtained = t.obtained_at * 1000;
  const int64_t expires = t.expires_at * 1000;
  const int64_t lifetime = expires - obtained;
  int64_t at = expires - margin_ms;
  if (t.refresh_in > 0) at = std::min(at, obtained + t.refresh_in * 1000);
  if (lifetime < 2 * margin_ms) at = std::max(at, obtained + lifetime / 2);
  return std::max(at, obtained);
}

bool usable(const CopilotToken& t, int64_t now_ms) {
  const int64_t expires = t.expires_at * 1000;
  const int64_t lifetime = expires - t.obtained_at * 1000;
  const int64_t guard = std::clamp<int64_t>(lifetime / 10, 0, 5000);
  return now_ms < expires - guard;
}

int64_t backoff_ms(int attempt, int64_t initial_ms, int64_t max_ms, double jitter01) {
  if (max_ms < 0) max_ms = 0;
  initial_ms = std::clamp<int64_t>(initial_ms, 0, max_ms);
  int64_t base = initial_ms;
  for (int i = 0; i < attempt && base > 0 && base < max_ms; ++i)
    base = base > max_ms / 2 ? max_ms : base * 2;
  if (!(jitter01 >= 0.0)) jitter01 = 0.0;  // also catches NaN
  if (jitter01 >= 1.0) jitter01 = 0.999999;
  const double factor = 0.8 + 0.4 * jitter01;
  const auto jittered = static_cast<int64_t>(std::llround(static_cast<double>(base) * factor));
  return std::clamp<int64_t>(jittered, 0, max_ms);
}

std::string_view default_copilot_base(std::string_view account_type) {
  if (account_type == "business") return "https://api.business.githubcopilot.com";
  if (account_type == "enterprise") return "https://api.enterprise.githubcopilot.com";
  return "https://api.githubcopilot.com";
}

}  // namespace cg::copilot
