// See target.h. Pure; any thread.
#include "upstream/target.h"

#include <charconv>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace cg::upstream {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

ApiError invalid(std::string_view why) {
  return ApiError::internal("invalid upstream URL: " + std::string(why));
}

}  // namespace

uint16_t parse_port(std::string_view digits) {
  unsigned value = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || p != digits.data() + digits.size() || value == 0 || value > 65535) {
    return 0;
  }
  return static_cast<uint16_t>(value);
}

Result<Target> Target::parse(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return invalid("not an absolute http(s) URL");
  const boost::urls::url_view& u = *parsed;
  Target t;
  const std::string scheme = lower(u.scheme());
  if (scheme == "https") {
    t.tls = true;
  } else if (scheme != "http") {
    return invalid("scheme must be http or https");
  }
  if (u.has_userinfo()) return invalid("credentials in the URL are not supported");
  if (u.has_query() || u.has_fragment()) return invalid("query or fragment not allowed");
  t.host = lower(u.host_address());
  if (t.host.empty()) return invalid("missing host");
  if (u.has_port()) {
    t.port = parse_port(u.port());  // not port_number(): it wraps values above 65535
    if (t.port == 0) return invalid("bad port");
  } else {
    t.port = t.tls ? 443 : 80;
  }
  std::string path(u.encoded_path());
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  t.base_path = std::move(path);
  return t;
}

std::string Target::authority() const {
  std::string out;
  if (host.find(':') != std::string::npos) {
    out.append("[").append(host).append("]");
  } else {
    out = host;
  }
  out.push_back(':');
  out += std::to_string(port);
  return out;
}

std::string Target::key() const {
  return (tls ? "https://" : "http://") + authority();
}

std::string Target::host_header() const {
  if (port == (tls ? 443 : 80)) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
  }
  return authority();
}

}  // namespace cg::upstream
