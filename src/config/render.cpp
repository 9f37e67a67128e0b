// See load.h: render_effective and mask_secret. Pure; any thread. Everything printed here may
// end up in logs, so every secret goes through mask_secret.
#include <type_traits>

#include "config/fields.h"
#include "config/load.h"
#include "core/json_escape.h"

namespace cg {
namespace {

using config_detail::Field;

// TOML basic strings accept the same escapes as JSON strings.
void append_toml_string(std::string& out, std::string_view s) {
  append_json_string(out, s);
}

// scheme://user:pass@host -> scheme://****@host.
std::string mask_userinfo(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t start = scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, end == std::string_view::npos ? end : end - start);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, start)) + "****" + std::string(url.substr(start + at));
}

void append_value(std::string& out, const Field& f, config_detail::Target t) {
  std::visit(
      [&](auto* p) {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          std::string v = f.secret ? mask_secret(*p) : f.url_userinfo ? mask_userinfo(*p) : *p;
          append_toml_string(out, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out += *p ? "true" : "false";
        } else if constexpr (std::is_same_v<T, Millis>) {
          out += std::to_string(p->count());
        } else if constexpr (std::is_integral_v<T>) {
          out += std::to_string(*p);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          out.push_back('[');
          for (size_t i = 0; i < p->size(); ++i) {
            if (i) out += ", ";
            append_toml_string(out, f.secret ? mask_secret((*p)[i]) : (*p)[i]);
          }
          out.push_back(']');
        }
      },
      t);
}

}  // namespace

std::string mask_secret(std::string_view secret) {
  if (secret.empty()) return {};
  if (secret.size() < 12) return "****";
  return "****" + std::string(secret.substr(secret.size() - 4));
}

std::string render_effective(const Config& config) {
  Config c = config;  // field targets need a mutable Config
  std::string out = "# copilot-gateway effective configuration (secrets masked)\n";
  out += c.config_file.empty() ? "# no config file\n" : "# config file: " + c.config_file + "\n";
  std::string_view table;
  std::string tables_after;  // sub-tables must follow their parent's plain keys
  for (const Field& f : config_detail::fields()) {
    config_detail::Target t = f.target(c);
    if (auto* map = std::get_if<std::map<std::string, std::string>*>(&t)) {
      tables_after += "\n[" + std::string(f.table) + "." + std::string(f.key) + "]\n";
      for (const auto& [k, v] : **map) {
        append_toml_string(tables_after, k);
        tables_after += " = ";
        append_toml_string(tables_after, v);
        tables_after += "\n";
      }
      continue;
    }
    if (f.table != table) {
      out += tables_after;
      tables_after.clear();
      table = f.table;
      out += "\n[" + std::string(table) + "]\n";
    }
    out += std::string(f.key) + " = ";
    append_value(out, f, t);
    if (std::holds_alternative<Millis*>(t)) out += "  # ms";
    out += "\n";
  }
  out += tables_after;
  return out;
}

}  // namespace cg
