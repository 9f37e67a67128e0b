// Building the effective Config for `serve` / `demo`: flags > environment > TOML file > defaults,
// validation, the masked rendering for `copilot-gateway config` and the startup log, and the
// flag reference. Startup / CLI thread only (pure apart from reading the TOML file and, through
// process_env(), the environment).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/result.h"

namespace cg {

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads the real process environment (::getenv).
EnvLookup process_env();

// Error types of load_config's ApiError (status is the process exit code to use).
inline constexpr std::string_view kConfigErrorType = "config_error";  // status 2
inline constexpr std::string_view kHelpType = "help";                 // status 0

// Builds the effective Config from command-line args (WITHOUT the program name and subcommand),
// the environment and the TOML file named by --config / CONFIG. Errors (unknown flag, bad number,
// unreadable or invalid TOML with file:line:column, invalid value) come back as
// ApiError{status=2, type="config_error", message printable as is}. `--help` / `-h` returns
// ApiError{status=0, type="help", message=serve_usage()}. Empty environment values count as
// unset. Lists from flags replace (not extend) lists from env/TOML.
Result<Config> load_config(const std::vector<std::string>& args, const EnvLookup& env);

// All problems with `c`, one per line, or nullopt when valid: ports, workers >= 0, timeouts > 0,
// sizes > 0, URLs (http:// or https://), enumerations, and the safety rule (without API keys the
// host must be loopback unless allow_unauthenticated_remote). Messages never contain secrets.
std::optional<std::string> validate(const Config& c);

// 127.0.0.0/8, ::1 (also bracketed or IPv4-mapped), "localhost" (any case).
bool is_loopback_host(std::string_view host);

// The effective configuration as TOML (parseable back by load_config when no secret is set),
// with every secret masked (see mask_secret) and proxy credentials replaced by "****".
std::string render_effective(const Config& c);

// "" stays ""; otherwise "****" followed by the last 4 characters when the secret has at least
// 12 characters (short secrets are fully hidden).
std::string mask_secret(std::string_view secret);

// The flag reference printed by `copilot-gateway help serve`.
std::string serve_usage();

}  // namespace cg
