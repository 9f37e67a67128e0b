// See control_handlers.h.
#include "sim/control_handlers.h"

#include <boost/json.hpp>
#include <cmath>

#include "sim/quota.h"

namespace cg::sim {
namespace {

namespace json = boost::json;

void bad_request(Exchange& ex, std::string_view message) {
  ex.scratch.clear();
  append_openai_error(ex.scratch, message, "invalid_request_error", "invalid_request_body");
  reply(ex, 400, ex.scratch);
}

const json::object* parse_object(Exchange& ex, json::value& holder) {
  boost::system::error_code ec;
  holder = json::parse(ex.req.body(), ec);
  if (ec || !holder.is_object()) return nullptr;
  return &holder.get_object();
}

void read_int(const json::object& o, std::string_view key, int& into) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return;
  if (v->is_int64()) into = static_cast<int>(v->get_int64());
  if (v->is_uint64()) into = static_cast<int>(v->get_uint64());
  if (v->is_double()) into = static_cast<int>(v->get_double());
}

// Reads QuotaUpdate fields from `o`; false when one has the wrong JSON type.
bool read_quota_update(const json::object& o, QuotaUpdate& u) {
  for (const auto& kv : o) {
    const std::string_view key = kv.key();
    const json::value& v = kv.value();
    if (key == "remaining") {
      if (!v.is_number()) return false;
      u.remaining = v.to_number<double>();
    } else if (key == "entitlement") {
      if (!v.is_number()) return false;
      const double d = v.to_number<double>();
      if (!(std::abs(d) <= 1e9) || d != std::floor(d)) return false;  // a whole number
      u.entitlement = static_cast<int>(d);
    } else if (key == "unlimited" || key == "overage_permitted") {
      if (!v.is_bool()) return false;
      (key == "unlimited" ? u.unlimited : u.overage_permitted) = v.get_bool();
    } else if (key == "reset_date") {
      if (!v.is_string()) return false;
      u.reset_date = std::string(v.get_string());
    }
  }
  return true;
}

std::string read_login(const json::object& o) {
  const json::value* v = o.if_contains("login");
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "sim-user";
}

}  // namespace

void handle_sim_stats(Exchange& ex) {
  reply(ex, 200, ex.state.stats_json());
}

void handle_sim_reset(Exchange& ex) {
  ex.state.reset_stats();
  reply(ex, 200, R"({"ok":true})");
}

void handle_sim_fault(Exchange& ex) {
  json::value holder;
  const json::object* o = parse_object(ex, holder);
  if (o == nullptr) return bad_request(ex, "body must be a JSON object");
  Fault f;
  read_int(*o, "status", f.status);
  read_int(*o, "retry_after_s", f.retry_after_s);
  read_int(*o, "first_byte_delay_ms", f.first_byte_delay_ms);
  read_int(*o, "chunk_delay_ms", f.chunk_delay_ms);
  read_int(*o, "drop_after_chunks", f.drop_after_chunks);
  if (const json::value* v = o->if_contains("revoke_token"); v != nullptr && v->is_bool())
    f.revoke_token = v->get_bool();
  if (!ex.state.set_fault(read_login(*o), f)) return bad_request(ex, "unknown login");
  reply(ex, 200, R"({"ok":true})");
}

void handle_sim_revoke(Exchange& ex) {
  json::value holder;
  const json::object* o = parse_object(ex, holder);
  if (o == nullptr) return bad_request(ex, "body must be a JSON object");
  ex.state.revoke_tokens(read_login(*o));
  reply(ex, 200, R"({"ok":true})");
}

void handle_sim_token_lifetime(Exchange& ex) {
  json::value holder;
  const json::object* o = parse_object(ex, holder);
  if (o == nullptr) return bad_request(ex, "body must be a JSON object");
  int lifetime = 1800, refresh = 1500;
  read_int(*o, "lifetime_s", lifetime);
  read_int(*o, "refresh_in_s", refresh);
  ex.state.set_token_lifetime(lifetime, refresh);
  reply(ex, 200, R"({"ok":true})");
}

void handle_sim_quota(Exchange& ex) {
  json::value holder;
  const json::object* o = parse_object(ex, holder);
  if (o == nullptr) return bad_request(ex, "body must be a JSON object");
  QuotaUpdate u;
  if (!read_quota_update(*o, u))
    return bad_request(ex,
                       "remaining: number, entitlement: integer, unlimited and overage_permitted: "
                       "booleans, reset_date: string");
  if (const std::string_view error = quota_update_error(u); !error.empty())
    return bad_request(ex, error);
  if (!ex.state.set_quota(read_login(*o), u)) return bad_request(ex, "unknown login");
  reply(ex, 200, R"({"ok":true})");
}

}  // namespace cg::sim
