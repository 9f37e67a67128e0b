// See control_handlers.h.
#include "sim/control_handlers.h"

#include <boost/json.hpp>

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

}  // namespace cg::sim
