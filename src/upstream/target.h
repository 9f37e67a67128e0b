// Target: an upstream origin (scheme, host, port, base path) parsed once from a base URL such as
// "https://api.githubcopilot.com" or "http://127.0.0.1:8080/api/v3". Pure value type; any thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace cg::upstream {

struct Target {
  bool tls = false;
  std::string host;       // lower-case; IPv6 literals without brackets
  uint16_t port = 0;      // always set (443/80 when the URL has none)
  std::string base_path;  // "" or e.g. "/api/v3" (no trailing slash)

  // http(s)://host[:port][/path]. Userinfo, query and fragment are rejected.
  static Result<Target> parse(std::string_view url);

  // Pool key: "https://host:port". Connections are shared only between equal keys.
  std::string key() const;
  // Value for the Host header: host, plus ":port" unless it is the scheme's default.
  std::string host_header() const;
  // base_path + p, e.g. path("/chat/completions"). request() sends req.target() as is, so
  // callers build targets with this.
  std::string path(std::string_view p) const { return base_path + std::string(p); }
  // "host:port" (IPv6 bracketed), as used in CONNECT lines and error messages.
  std::string authority() const;

  bool operator==(const Target&) const = default;
};

// Parses a decimal TCP port 1..65535; 0 if invalid.
uint16_t parse_port(std::string_view digits);

}  // namespace cg::upstream
