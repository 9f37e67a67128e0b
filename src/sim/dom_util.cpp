// See dom_util.h.
#include "sim/dom_util.h"

namespace cg::sim {

namespace json = boost::json;

std::optional<json::value> parse_body(std::string_view body, std::string& error) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    error = "failed to parse request body: " + ec.message();
    return std::nullopt;
  }
  return v;
}

std::string_view string_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

std::optional<int64_t> as_integer(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX))
    return static_cast<int64_t>(v.get_uint64());
  return std::nullopt;
}

std::string first_property(const json::value* schema) {
  if (schema != nullptr && schema->is_object()) {
    const json::value* props = schema->get_object().if_contains("properties");
    if (props != nullptr && props->is_object() && !props->get_object().empty())
      return std::string(props->get_object().begin()->key());
  }
  return "input";
}

std::string tool_arguments(std::string_view key, std::string_view text) {
  json::object args;
  args[key] = text;
  return json::serialize(args);
}

std::string echo_answer(std::string_view text) {
  if (text.empty()) return "Hello from the simulator.";
  std::string out = "You said: ";
  out += text;
  return out;
}

}  // namespace cg::sim
