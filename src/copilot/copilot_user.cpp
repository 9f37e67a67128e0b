// See copilot_user.h. The answer (a few KB, fetched rarely) is parsed with Boost.JSON.
#include "copilot/copilot_user.h"

#include <cmath>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "copilot/headers.h"
#include "upstream/request.h"

namespace cg::copilot {
namespace json = boost::json;
namespace {

ApiError invalid(std::string why) {
  return ApiError{502,
                  "server_error",
                  "copilot_user_invalid",
                  "GitHub returned an invalid copilot_internal/user answer: " + std::move(why),
                  {},
                  {}};
}

std::string str_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->get_string());
}

double num_of(const json::object& o, std::string_view key, double fallback) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return fallback;
  double d = fallback;
  if (v->is_int64()) d = static_cast<double>(v->get_int64());
  if (v->is_uint64()) d = static_cast<double>(v->get_uint64());
  if (v->is_double()) d = v->get_double();
  return std::isfinite(d) ? d : fallback;
}

bool bool_of(const json::object& o, std::string_view key, bool fallback) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() ? v->get_bool() : fallback;
}

std::optional<QuotaBucket> bucket_of(const json::object* snapshots, std::string_view key) {
  if (snapshots == nullptr) return std::nullopt;
  const json::value* v = snapshots->if_contains(key);
  if (v == nullptr || !v->is_object()) return std::nullopt;
  const json::object& o = v->get_object();
  QuotaBucket b;
  b.entitlement = num_of(o, "entitlement", 0);
  b.unlimited = bool_of(o, "unlimited", b.entitlement < 0);
  b.percent_remaining = num_of(o, "percent_remaining", b.unlimited ? 100 : 0);
  // `remaining` is the count; older answers only have quota_remaining, or only the percentage.
  b.remaining = num_of(o, "remaining", num_of(o, "quota_remaining", -1));
  if (b.remaining < 0 && !b.unlimited && b.entitlement > 0)
    b.remaining = b.entitlement * b.percent_remaining / 100.0;
  if (b.remaining < 0 && !b.unlimited) b.remaining = 0;
  b.overage_permitted = bool_of(o, "overage_permitted", false);
  b.overage_count = num_of(o, "overage_count", 0);
  return b;
}

}  // namespace

Result<CopilotUser> parse_copilot_user(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return invalid("not a JSON object");
  const json::object& o = v.get_object();
  CopilotUser u;
  u.login = str_of(o, "login");
  u.plan = str_of(o, "copilot_plan");
  u.sku = str_of(o, "access_type_sku");
  u.quota_reset_date = str_of(o, "quota_reset_date");
  if (u.quota_reset_date.empty()) u.quota_reset_date = str_of(o, "limited_user_reset_date");
  u.chat_enabled = bool_of(o, "chat_enabled", true);
  const json::value* snaps = o.if_contains("quota_snapshots");
  const json::object* s = snaps != nullptr ? snaps->if_object() : nullptr;
  u.premium = bucket_of(s, "premium_interactions");
  if (!u.premium) u.premium = bucket_of(s, "premium_models");
  u.chat = bucket_of(s, "chat");
  if (u.plan.empty() && u.login.empty() && !u.premium) return invalid("no login, plan or quota");
  return u;
}

Task<Result<CopilotUser>> fetch_copilot_user(upstream::Client& client,
                                             const upstream::Target& github_api,
                                             const UpstreamConfig& headers,
                                             std::string_view github_token,
                                             std::chrono::milliseconds timeout) {
  http::request<http::string_body> req{http::verb::get, github_api.path("/copilot_internal/user"),
                                       11};
  add_github_headers(req, headers, github_token);
  auto res = co_await upstream::request(client, github_api, std::move(req), timeout);
  if (!res) co_return std::move(res).error();
  if (res->status == 401)
    co_return ApiError{401,
                       "authentication_error",
                       "github_token_invalid",
                       "GitHub rejected the token (HTTP 401): it is invalid or was revoked.",
                       {},
                       {}};
  if (res->status == 403 || res->status == 404)
    co_return ApiError{
        403,
        "permission_error",
        "no_copilot_access",
        "This GitHub account has no Copilot access (HTTP " + std::to_string(res->status) + ").",
        {},
        {}};
  if (res->status != 200)
    co_return ApiError::bad_gateway("copilot_internal/user answered HTTP " +
                                    std::to_string(res->status) + ".");
  co_return parse_copilot_user(res->body);
}

}  // namespace cg::copilot
