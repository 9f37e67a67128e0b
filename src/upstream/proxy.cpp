// See proxy.h. Worker thread only for proxy_connect.
#include "upstream/proxy.h"

#include <openssl/evp.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace cg::upstream {
namespace {

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), int(in.size()));
  out.resize(size_t(n));
  return out;
}

ApiError invalid(std::string_view why) {
  return ApiError::internal("invalid https_proxy URL: " + std::string(why));
}

}  // namespace

Result<ProxyConfig> ProxyConfig::parse(std::string_view url) {
  std::string text(url);
  if (text.find("://") == std::string::npos) text = "http://" + text;
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return invalid("not a URL");
  const boost::urls::url_view& u = *parsed;
  if (u.scheme() != "http" && u.scheme() != "HTTP") {
    return invalid("only http:// proxies are supported");
  }
  ProxyConfig p;
  p.host = u.host_address();
  if (p.host.empty()) return invalid("missing host");
  p.port = 80;
  if (u.has_port()) {
    p.port = parse_port(u.port());
    if (p.port == 0) return invalid("bad port");
  }
  if (u.has_userinfo()) {
    p.authorization = "Basic " + base64(u.userinfo());  // decoded "user:pass"
  }
  return p;
}

std::string ProxyConfig::authority() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

Task<std::optional<ApiError>> proxy_connect(beast::tcp_stream& stream, const ProxyConfig& proxy,
                                            const Target& target) {
  const std::string where = "proxy " + proxy.authority() + " CONNECT " + target.authority();
  http::request<http::empty_body> req{http::verb::connect, target.authority(), 11};
  req.set(http::field::host, target.authority());
  if (!proxy.authorization.empty()) {
    req.set(http::field::proxy_authorization, proxy.authorization);
  }
  auto [wec, wn] = co_await http::async_write(stream, req, use_nothrow);
  (void)wn;
  if (wec) {
    if (wec == beast::error::timeout) co_return ApiError::gateway_timeout(where + ": timed out");
    co_return ApiError::bad_gateway(where + ": " + wec.message());
  }
  // A 2xx reply to CONNECT has no body whatever its headers say; skip(true) tells the parser.
  http::response_parser<http::empty_body> parser;
  parser.skip(true);
  beast::flat_buffer buf;
  auto [rec, rn] = co_await http::async_read_header(stream, buf, parser, use_nothrow);
  (void)rn;
  if (rec) {
    if (rec == beast::error::timeout) co_return ApiError::gateway_timeout(where + ": timed out");
    co_return ApiError::bad_gateway(where + ": " + rec.message());
  }
  const unsigned status = parser.get().result_int();
  if (status < 200 || status > 299) {
    co_return ApiError::bad_gateway(where + ": refused with status " + std::to_string(status));
  }
  if (buf.size() != 0) {  // the tunnel must be silent until we speak TLS
    co_return ApiError::bad_gateway(where + ": unexpected bytes after the CONNECT reply");
  }
  co_return std::nullopt;
}

}  // namespace cg::upstream
