// See json_util.h.
#include "translate/json_util.h"

#include <cmath>

#include "core/json_escape.h"
#include "wire/json_scan.h"

namespace cg::translate {

bool parse_object(std::string_view body, json::value& out, ApiError& err, json::storage_ptr sp) {
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 256;
  out = json::parse(body, ec, std::move(sp), opts);
  if (ec) {
    err = ApiError::bad_request("Invalid JSON body: " + ec.message() + ".", "invalid_json");
    return false;
  }
  if (!out.is_object()) {
    err = ApiError::bad_request("The request body must be a JSON object.", "invalid_json");
    return false;
  }
  return true;
}

ApiError field_error(std::string param, std::string message) {
  return ApiError::bad_request(param + ": " + message, {}, param);
}

const json::value* member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

std::string_view string_member(const json::object& o, std::string_view key, std::string_view param,
                               ApiError& err) {
  const json::value* v = member(o, key);
  if (!v) return {};
  if (!v->is_string()) {
    err = field_error(std::string(param), "Input should be a valid string");
    return {};
  }
  return v->get_string();
}

std::string to_json(const json::value& v) {
  return json::serialize(v);
}

std::optional<double> as_number(const json::value& v) {
  // 1e999 parses as infinity, which has no JSON form to send upstream.
  if (v.is_double()) {
    if (!std::isfinite(v.get_double())) return std::nullopt;
    return v.get_double();
  }
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

std::optional<int64_t> as_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX))
    return static_cast<int64_t>(v.get_uint64());
  if (v.is_double()) {
    const double d = v.get_double();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18)
      return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

int64_t count_member(const json::object& o, std::string_view key) {
  const json::value* v = member(o, key);
  return clamp_count(v ? as_int(*v).value_or(0) : 0);
}

std::string json_escaped(std::string_view plain) {
  std::string out;
  out.reserve(plain.size() + plain.size() / 8);
  append_json_escaped(out, plain);
  return out;
}

std::string json_unescaped(std::string_view escaped) {
  std::string out;
  out.reserve(escaped.size());
  wire::append_unescaped(out, escaped);
  return out;
}

std::string escaped_member(const json::object& o, std::string_view key) {
  const json::value* v = member(o, key);
  return v && v->is_string() ? json_escaped(v->get_string()) : std::string();
}

}  // namespace cg::translate
