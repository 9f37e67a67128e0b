// See load.h: load_config, process_env and serve_usage. Startup / CLI thread only. CLI11 throws
// on bad flags; that is caught here and returned as an ApiError.
#include "config/load.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <deque>

#include "config/fields.h"

namespace cg {
namespace {

using config_detail::Field;

ApiError config_error(std::string message) {
  return ApiError{2, std::string(kConfigErrorType), {}, std::move(message), {}, {}};
}

std::optional<std::string> env_value(const EnvLookup& env, std::string_view name) {
  if (name.empty() || !env) return std::nullopt;
  std::optional<std::string> v = env(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

// Raw flag values captured by CLI11 before they are applied in precedence order.
struct FlagValues {
  std::string config_file;
  std::deque<std::string> scalars;  // stable addresses for CLI11
  std::deque<std::vector<std::string>> lists;
  struct Entry {
    const Field* field;
    CLI::Option* option;
    bool is_bool;
    std::string* scalar;              // scalar options
    std::vector<std::string>* items;  // repeatable options
  };
  std::vector<Entry> options;
};

}  // namespace

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = ::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<Config> load_config(const std::vector<std::string>& args, const EnvLookup& env) {
  // 1. Parse flags into raw strings (nothing applied yet: the TOML file comes first).
  CLI::App app("copilot-gateway serve");
  app.set_help_flag("-h,--help");
  FlagValues flags;
  CLI::Option* config_opt = app.add_option("--config", flags.config_file);
  for (const Field& f : config_detail::fields()) {
    const std::string name = "--" + std::string(f.flag);
    Config probe;
    if (std::holds_alternative<bool*>(f.target(probe))) {
      flags.options.push_back({&f, app.add_flag(name), true, nullptr, nullptr});
    } else if (config_detail::is_repeatable(f)) {
      auto& items = flags.lists.emplace_back();
      CLI::Option* opt = app.add_option(name, items)->allow_extra_args(false);
      flags.options.push_back({&f, opt, false, nullptr, &items});
    } else {
      auto& value = flags.scalars.emplace_back();
      flags.options.push_back({&f, app.add_option(name, value), false, &value, nullptr});
    }
  }
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 wants it reversed
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return ApiError{0, std::string(kHelpType), {}, serve_usage(), {}, {}};
  } catch (const CLI::ArgumentMismatch& e) {
    std::string what = e.what();
    return config_error(what.substr(0, what.find(':')) + ": missing or extra value");
  } catch (const CLI::ExtrasError& e) {
    return config_error(std::string(e.what()) +
                        " (run `copilot-gateway help serve` for the list of flags)");
  } catch (const CLI::ParseError& e) {
    return config_error(e.what());
  }

  Config c;
  // 2. TOML file.
  if (config_opt->count() > 0) {
    c.config_file = flags.config_file;
  } else if (auto v = env_value(env, "CONFIG")) {
    c.config_file = *v;
  }
  if (!c.config_file.empty()) {
    if (auto err = config_detail::apply_toml_file(c, c.config_file)) return config_error(*err);
  }

  // 3. Environment.
  for (const Field& f : config_detail::fields()) {
    std::string_view used = f.env;
    std::optional<std::string> v = env_value(env, f.env);
    if (!v) v = env_value(env, used = f.env_alt);
    if (!v) continue;
    const std::string source = "environment variable " + std::string(used);
    if (auto err = config_detail::assign_scalar(f, c, *v, source)) return config_error(*err);
  }

  // 4. Flags.
  for (const FlagValues::Entry& e : flags.options) {
    if (e.option->count() == 0) continue;
    const Field& f = *e.field;
    const std::string source = "--" + std::string(f.flag);
    std::optional<std::string> err;
    if (e.is_bool) {
      err = config_detail::assign_scalar(f, c, f.inverted_flag ? "false" : "true", source);
    } else if (e.items) {
      err = config_detail::assign_items(f, c, *e.items, source);
    } else {
      err = config_detail::assign_scalar(f, c, *e.scalar, source);
    }
    if (err) return config_error(*err);
  }

  if (auto err = validate(c)) return config_error(*err);
  return c;
}

std::string serve_usage() {
  std::string out =
      "Usage: copilot-gateway serve [flags]\n"
      "\n"
      "Every setting can come from a flag, an environment variable or the TOML file; the first\n"
      "found wins in this order: flags, environment, TOML file, built-in default. Durations are\n"
      "milliseconds. TOML keys live in the tables [server], [upstream], [auth], [api], [log], "
      "[store],\n[pool]"
      "(see `copilot-gateway config` for a complete file). Prefer environment variables for\n"
      "secrets: flags are visible to other local users in the process list.\n"
      "\n"
      "  --config <path>\n"
      "      TOML configuration file to load.\n"
      "      env CONFIG\n"
      "  -h, --help\n"
      "      Print this help.\n";
  Config defaults;
  for (const Field& f : config_detail::fields()) {
    config_detail::Target t = f.target(defaults);
    std::string_view arg = " <value>";
    if (std::holds_alternative<bool*>(t)) {
      arg = "";
    } else if (std::holds_alternative<Millis*>(t)) {
      arg = " <ms>";
    } else if (std::holds_alternative<std::string*>(t)) {
      arg = " <string>";
    } else if (std::holds_alternative<std::map<std::string, std::string>*>(t)) {
      arg = " <alias=model>";
    } else if (!config_detail::is_repeatable(f)) {
      arg = " <n>";
    }
    out += "  --" + std::string(f.flag) + std::string(arg) + "\n      " + std::string(f.help) +
           "\n      env " + std::string(f.env);
    if (!f.env_alt.empty()) out += " or " + std::string(f.env_alt);
    out += ", toml " + std::string(f.table) + "." + std::string(f.key);
    // Default, as the user would type it.
    std::string def = std::visit(
        [](auto* p) -> std::string {
          using T = std::remove_pointer_t<decltype(p)>;
          if constexpr (std::is_same_v<T, std::string>) {
            return *p;
          } else if constexpr (std::is_same_v<T, bool>) {
            return *p ? "true" : "false";
          } else if constexpr (std::is_same_v<T, Millis>) {
            return std::to_string(p->count());
          } else if constexpr (std::is_integral_v<T>) {
            return std::to_string(*p);
          } else {
            return "";
          }
        },
        t);
    if (!def.empty()) out += ", default " + def;
    out += "\n";
  }
  return out;
}

}  // namespace cg
