// See no_proxy.h. Pure; any thread.
#include "upstream/no_proxy.h"

#include <charconv>
#include <string>

namespace cg::upstream {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// IP literals only match exactly (no label-suffix matching on "1.2.3.4").
bool is_ip_literal(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;
  for (char c : host) {
    if ((c < '0' || c > '9') && c != '.') return false;
  }
  return !host.empty();
}

std::string_view strip_trailing_dot(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

// Splits an entry into host pattern and optional port (0 = any). Returns false if malformed.
bool split_entry(std::string_view entry, std::string_view& name, uint16_t& port) {
  port = 0;
  std::string_view port_text;
  if (!entry.empty() && entry.front() == '[') {  // [v6]:port or [v6]
    size_t close = entry.find(']');
    if (close == std::string_view::npos) return false;
    name = entry.substr(1, close - 1);
    std::string_view rest = entry.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port_text = rest.substr(1);
    }
  } else if (size_t colon = entry.find(':'); colon != std::string_view::npos &&
                                             entry.find(':', colon + 1) == std::string_view::npos) {
    name = entry.substr(0, colon);  // host:port (a single colon; more means a bare IPv6)
    port_text = entry.substr(colon + 1);
  } else {
    name = entry;
  }
  if (!port_text.empty()) {
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port == 0) return false;
  }
  return true;
}

bool entry_matches(std::string_view entry, std::string_view host, uint16_t port) {
  if (entry == "*") return true;
  std::string_view name;
  uint16_t entry_port = 0;
  if (!split_entry(entry, name, entry_port)) return false;
  if (entry_port != 0 && entry_port != port) return false;
  if (!name.empty() && name.front() == '.') name.remove_prefix(1);
  name = strip_trailing_dot(name);
  if (name.empty()) return false;
  if (name == "*") return true;  // "*:443"
  if (iequals(name, host)) return true;
  if (is_ip_literal(host)) return false;
  // Domain match on a label boundary: "example.com" covers "a.example.com".
  return host.size() > name.size() && host[host.size() - name.size() - 1] == '.' &&
         iequals(host.substr(host.size() - name.size()), name);
}

}  // namespace

bool no_proxy_matches(std::string_view no_proxy, std::string_view host, uint16_t port) {
  if (!host.empty() && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  host = strip_trailing_dot(host);
  size_t i = 0;
  while (i < no_proxy.size()) {
    while (i < no_proxy.size() &&
           (no_proxy[i] == ',' || no_proxy[i] == ' ' || no_proxy[i] == '\t')) {
      ++i;
    }
    size_t start = i;
    while (i < no_proxy.size() && no_proxy[i] != ',' && no_proxy[i] != ' ' && no_proxy[i] != '\t') {
      ++i;
    }
    if (i > start && entry_matches(no_proxy.substr(start, i - start), host, port)) return true;
  }
  return false;
}

}  // namespace cg::upstream
