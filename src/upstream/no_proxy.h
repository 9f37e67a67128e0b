// NO_PROXY matching with curl semantics: which upstream hosts bypass the HTTPS proxy.
// Pure; any thread.
#pragma once
#include <cstdint>
#include <string_view>

namespace cg::upstream {

// True when `host` (port `port`) is excluded from proxying by the `no_proxy` list.
// The list is separated by commas and/or whitespace; each entry is one of:
//   "*"                 every host
//   "example.com"       example.com and any subdomain (www.example.com), not badexample.com
//   ".example.com"      the same (a leading dot is ignored, as curl >= 7.86 does)
//   "example.com:8443"  as above, but only for that port
//   "127.0.0.1", "::1", "[::1]:443"  IP literals, matched exactly
// Matching is case-insensitive and ignores a trailing dot on names.
bool no_proxy_matches(std::string_view no_proxy, std::string_view host, uint16_t port);

}  // namespace cg::upstream
