// Applies a TOML config file onto a Config (see fields.h, apply_toml_file). Startup thread only;
// toml++ throws on syntax errors, which are caught here and turned into messages with
// file:line:column.
#include <toml++/toml.h>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <type_traits>

#include "config/fields.h"

namespace cg::config_detail {
namespace {

std::string where(const std::string& path, const toml::source_region& src) {
  return path + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column);
}

const Field* find_field(std::string_view table, std::string_view key) {
  for (const Field& f : fields()) {
    if (f.table == table && f.key == key) return &f;
  }
  // Durations may also be spelled with their unit, e.g. header_timeout_ms.
  if (key.size() > 3 && key.substr(key.size() - 3) == "_ms") {
    const Field* f = find_field(table, key.substr(0, key.size() - 3));
    Config probe;
    if (f && std::holds_alternative<Millis*>(f->target(probe))) return f;
  }
  return nullptr;
}

// Applies one TOML value; returns an error without the location prefix.
std::optional<std::string> apply_value(const Field& f, Config& c, const toml::node& node,
                                       const std::string& name) {
  return std::visit(
      [&](auto* p) -> std::optional<std::string> {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (!node.is_string()) return name + " must be a string";
          *p = node.as_string()->get();
        } else if constexpr (std::is_same_v<T, bool>) {
          if (!node.is_boolean()) return name + " must be true or false";
          *p = node.as_boolean()->get();
        } else if constexpr (std::is_same_v<T, Millis>) {
          if (!node.is_integer() || node.as_integer()->get() < 0) {
            return name + " must be a non-negative integer (milliseconds)";
          }
          *p = Millis(node.as_integer()->get());
        } else if constexpr (std::is_integral_v<T>) {
          const int64_t lo = std::is_signed_v<T> ? int64_t(std::numeric_limits<T>::min()) : 0;
          const uint64_t hi = uint64_t(std::numeric_limits<T>::max());
          if (!node.is_integer()) return name + " must be an integer";
          const int64_t v = node.as_integer()->get();
          if (v < lo || (v > 0 && uint64_t(v) > hi)) {
            return name + " must be an integer in " + std::to_string(lo) + ".." +
                   std::to_string(hi);
          }
          *p = static_cast<T>(v);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          const toml::array* arr = node.as_array();
          if (!arr) return name + " must be an array of strings";
          p->clear();
          for (const toml::node& item : *arr) {
            if (!item.is_string() || item.as_string()->get().empty()) {
              return name + " must be an array of non-empty strings";
            }
            p->push_back(item.as_string()->get());
          }
        } else {
          const toml::table* tbl = node.as_table();
          if (!tbl) return name + " must be a table of alias = \"model\"";
          p->clear();
          for (const auto& [k, v] : *tbl) {
            if (!v.is_string() || v.as_string()->get().empty()) {
              return name + "." + std::string(k.str()) + " must be a non-empty string";
            }
            (*p)[std::string(k.str())] = v.as_string()->get();
          }
        }
        return std::nullopt;
      },
      f.target(c));
}

}  // namespace

std::optional<std::string> apply_toml_file(Config& c, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read config file " + path + ": " + std::strerror(errno);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return "cannot read config file " + path;

  toml::table root;
  try {
    root = toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    return "invalid config file " + where(path, e.source()) + ": " + std::string(e.description());
  }

  static constexpr std::string_view kTables[] = {"server", "upstream", "auth", "api",
                                                 "log",    "store",    "pool"};
  for (const auto& [table_key, table_node] : root) {
    const std::string table(table_key.str());
    bool known = false;
    for (std::string_view t : kTables)
      known = known || t == table;
    if (!known || !table_node.is_table()) {
      return "invalid config file " + where(path, table_key.source()) + ": unknown key '" + table +
             "' (settings go in the tables [server], [upstream], [auth], [api], [log], [store], "
             "[pool])";
    }
    for (const auto& [key, node] : *table_node.as_table()) {
      const std::string name = table + "." + std::string(key.str());
      const Field* f = find_field(table, key.str());
      if (!f) {
        return "invalid config file " + where(path, key.source()) + ": unknown key '" + name + "'";
      }
      if (auto err = apply_value(*f, c, node, name)) {
        return "invalid config file " + where(path, node.source()) + ": " + *err;
      }
    }
  }
  return std::nullopt;
}

}  // namespace cg::config_detail
