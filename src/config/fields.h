// The table of every Config setting (flag, environment variable, TOML table/key, help) that the
// loader, the usage text and render_effective are all generated from, plus the value parsers
// shared by the flag and environment sources. Internal to config/. Startup thread only.
#pragma once
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"

namespace cg::config_detail {

using Target = std::variant<std::string*, uint16_t*, int*, uint32_t*, uint64_t*, Millis*, bool*,
                            std::vector<std::string>*, std::map<std::string, std::string>*>;

struct Field {
  std::string_view table;    // TOML table: server | upstream | auth | api | log
  std::string_view key;      // TOML key = the struct field name
  std::string_view flag;     // without "--"
  std::string_view env;      // primary environment variable
  std::string_view env_alt;  // alternative spelling (e.g. https_proxy), may be empty
  Target (*target)(Config&);
  std::string_view help;
  bool secret = false;         // masked in render_effective, never echoed in errors
  bool inverted_flag = false;  // a bool whose flag turns it off (--no-access-log)
  bool url_userinfo = false;   // a URL that may carry user:password@ (masked when rendered)
};

std::span<const Field> fields();

bool is_repeatable(const Field& f);  // list or map: repeatable flag, comma-separated env

// Parses `text` into the field (scalars; lists and maps take one element per item). Returns an
// error message naming `source` (e.g. "--port" or "environment variable PORT").
std::optional<std::string> assign_scalar(const Field& f, Config& c, std::string_view text,
                                         std::string_view source);
std::optional<std::string> assign_items(const Field& f, Config& c,
                                        const std::vector<std::string>& items,
                                        std::string_view source);
std::optional<bool> parse_bool(std::string_view text);
std::vector<std::string> split_list(std::string_view text);  // comma-separated, trimmed
std::string_view trim(std::string_view s);

// Reads and applies the TOML file at `path` (errors carry file:line:column).
std::optional<std::string> apply_toml_file(Config& c, const std::string& path);

}  // namespace cg::config_detail
