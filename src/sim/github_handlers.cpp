// See github_handlers.h. Bodies are small and rendered by hand.
#include "sim/github_handlers.h"

#include "core/json_escape.h"
#include "sim/quota.h"

namespace cg::sim {
namespace {

void bad_credentials(Exchange& ex) {
  reply(
      ex, 401,
      R"({"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"})");
}

void append_kv(std::string& out, std::string_view key, std::string_view value) {
  append_json_string(out, key);
  out += ':';
  append_json_string(out, value);
}

// quota_snapshots.premium_interactions from the live quota.
void append_premium_snapshot(std::string& b, const Quota& q) {
  if (q.unlimited) {
    b += R"({"entitlement":-1,"remaining":-1,"quota_remaining":-1,"percent_remaining":100)";
  } else {
    b += "{\"entitlement\":";
    b += std::to_string(q.entitlement);
    b += ",\"remaining\":";
    append_hundredths(b, q.remaining);
    b += ",\"quota_remaining\":";
    append_hundredths(b, q.remaining);
    b += ",\"percent_remaining\":";
    append_hundredths(b, percent_remaining_hundredths(q));
  }
  b += ",\"unlimited\":";
  b += q.unlimited ? "true" : "false";
  b += ",\"overage_count\":";
  append_hundredths(b, q.overage);
  b += ",\"overage_permitted\":";
  b += q.overage_permitted ? "true" : "false";
  b += R"(,"quota_id":"premium_interactions"})";
}

}  // namespace

void handle_device_code(Exchange& ex) {
  const State::DeviceCode d = ex.state.new_device_code();
  std::string& b = ex.scratch;
  b.clear();
  b += '{';
  append_kv(b, "device_code", d.device_code);
  b += ',';
  append_kv(b, "user_code", d.user_code);
  b += ',';
  append_kv(b, "verification_uri", ex.state.base_url() + "/login/device");
  b += ",\"expires_in\":900,\"interval\":";
  b += std::to_string(d.interval);
  b += '}';
  reply(ex, 200, b);
}

void handle_device_page(Exchange& ex) {
  append_response(ex.out, 200, "text/html; charset=utf-8",
                  "<!doctype html><title>copilot-sim</title><p>Device login is simulated; the "
                  "code is approved automatically.</p>",
                  ex.keep_alive);
}

void handle_access_token(Exchange& ex) {
  const State::PollResult r = ex.state.poll_device(body_param(ex.req, "device_code"));
  std::string& b = ex.scratch;
  b.clear();
  b += '{';
  if (!r.error.empty()) {
    append_kv(b, "error", r.error);
    if (r.interval > 0) {
      b += ",\"interval\":";
      b += std::to_string(r.interval);
    }
  } else {
    append_kv(b, "access_token", r.access_token);
    b += R"(,"token_type":"bearer","scope":"read:user")";
  }
  b += '}';
  reply(ex, 200, b);  // GitHub answers pending/denied polls with 200 as well
}

void handle_copilot_token(Exchange& ex) {
  const auto t = ex.state.exchange(auth_credential(ex.req));
  if (!t) return bad_credentials(ex);
  const std::string& base = ex.state.base_url();
  std::string& b = ex.scratch;
  b.clear();
  b += '{';
  append_kv(b, "token", t->token);
  b += ",\"expires_at\":";
  b += std::to_string(t->expires_at);
  b += ",\"refresh_in\":";
  b += std::to_string(t->refresh_in);
  b += ',';
  append_kv(b, "sku", t->sku);
  b +=
      R"(,"individual":true,"chat_enabled":true,"telemetry":"disabled","public_suggestions":"disabled","endpoints":{)";
  append_kv(b, "api", ex.state.api_base_url());
  b += ',';
  append_kv(b, "origin-tracker", base + "/_sim/origin-tracker");
  b += ',';
  append_kv(b, "proxy", base);
  b += ',';
  append_kv(b, "telemetry", base + "/_sim/telemetry");
  b += "}}";
  reply(ex, 200, b);
}

void handle_copilot_user(Exchange& ex) {
  const auto view = ex.state.account_by_github(auth_credential(ex.req));
  if (!view) return bad_credentials(ex);
  const SimAccount* a = &view->account;
  const std::string unlimited =
      R"({"entitlement":-1,"remaining":-1,"quota_remaining":-1,"percent_remaining":100,"unlimited":true,"overage_count":0,"overage_permitted":false,"quota_id":")";
  std::string& b = ex.scratch;
  b.clear();
  b += '{';
  append_kv(b, "login", a->login);
  b += ',';
  append_kv(b, "copilot_plan", a->copilot_plan);
  b += ',';
  append_kv(b, "access_type_sku", a->sku);
  b += ',';
  append_kv(b, "quota_reset_date", a->quota_reset_date);
  b +=
      R"(,"chat_enabled":true,"assigned_date":"2025-01-01T00:00:00Z","organization_login_list":[],"can_signup_for_limited":false,"quota_snapshots":{"chat":)";
  b += unlimited + "chat\"},\"completions\":" + unlimited + "completions\"}";
  b += ",\"premium_interactions\":";
  append_premium_snapshot(b, view->quota);
  b += "}}";
  reply(ex, 200, b);
}

}  // namespace cg::sim
