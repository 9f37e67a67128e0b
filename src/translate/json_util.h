// Small helpers shared by the translate parsers and emitters: typed member access on Boost.JSON
// objects with 400 errors that name the offending field, and compact serialization. Pure; any
// thread.
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/api_error.h"

namespace cg::translate {

namespace json = boost::json;

// The storage of a request DOM that lives only during one parse: a monotonic arena whose first
// 8 KB are part of this object (on the parser's stack), released at once at the end. Whatever the
// parsed Request keeps is copied out of it (json::value assignment copies into the destination's
// default storage).
class ParseArena {
 public:
  ParseArena() = default;
  ParseArena(const ParseArena&) = delete;
  ParseArena& operator=(const ParseArena&) = delete;
  json::storage_ptr storage() { return json::storage_ptr(&resource_); }

 private:
  unsigned char first_block_[8192];
  json::monotonic_resource resource_{first_block_, sizeof first_block_};
};

// Parses a request body; a 400 "Invalid JSON body: ..." unless it is a JSON object. The DOM is
// allocated from `sp` (`out` must use the same storage, so nothing is copied).
bool parse_object(std::string_view body, json::value& out, ApiError& err,
                  json::storage_ptr sp = {});

// A 400 invalid_request_error naming `param`.
ApiError field_error(std::string param, std::string message);

// The member if present and not null.
const json::value* member(const json::object& o, std::string_view key);

// The string at `key` (empty when absent); sets err when present with another type.
std::string_view string_member(const json::object& o, std::string_view key, std::string_view param,
                               ApiError& err);

// JSON text of `v` (the compact form).
std::string to_json(const json::value& v);

// A number (int or double) as double; nullopt otherwise.
std::optional<double> as_number(const json::value& v);  // finite numbers only
// An integer (or an integral double) as int64; nullopt otherwise.
std::optional<int64_t> as_int(const json::value& v);

// Token counts from upstreams are kept within [0, 2^48], so sums and differences of them can
// never overflow whatever an upstream sends.
inline constexpr int64_t kMaxCount = int64_t{1} << 48;
inline int64_t clamp_count(int64_t v) {
  return v < 0 ? 0 : (v > kMaxCount ? kMaxCount : v);
}
// The count at `key` (absent or not an integer: 0), clamped.
int64_t count_member(const json::object& o, std::string_view key);

// ---- Escaped text (Block::text, Tool::description: see canonical.h) ----

// `plain` as JSON-escaped string contents.
std::string json_escaped(std::string_view plain);
// Escaped string contents (valid escapes, as every parser stores them) back to plain text.
std::string json_unescaped(std::string_view escaped);
// The string member at `key` as escaped contents (empty when absent or not a string).
std::string escaped_member(const json::object& o, std::string_view key);
// Appends `"escaped"`: contents that are already escaped, written as they are.
inline void append_escaped_string(std::string& out, std::string_view escaped) {
  out.push_back('"');
  out.append(escaped);
  out.push_back('"');
}

}  // namespace cg::translate
