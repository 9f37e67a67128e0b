// HTTPS proxy support: the parsed proxy URL and the HTTP CONNECT handshake that opens a tunnel
// to the target through it. ProxyConfig is a pure value (any thread); proxy_connect runs on the
// worker thread that owns the stream.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "asio_impl/net.h"
#include "core/result.h"
#include "upstream/target.h"

namespace cg::upstream {

struct ProxyConfig {
  std::string host;
  uint16_t port = 0;
  // "Basic <base64(user:pass)>" when the URL had userinfo, else empty. Secret: never logged.
  std::string authorization;

  // "http://[user:pass@]host[:port]" (port defaults to 80; a bare "host:port" is accepted as
  // http). Userinfo is percent-decoded. Error messages never echo credentials.
  static Result<ProxyConfig> parse(std::string_view url);
  // "host:port" for messages (never includes credentials).
  std::string authority() const;
};

// Sends "CONNECT target.authority()" on a connected TCP stream to the proxy and reads the reply
// header. Success = 2xx; the stream is then a raw tunnel to the target. Uses the stream's current
// expiry (the caller's connect deadline). Errors: 502 naming the proxy and the target, or
// 504 on timeout.
Task<std::optional<ApiError>> proxy_connect(beast::tcp_stream& stream, const ProxyConfig& proxy,
                                            const Target& target);

}  // namespace cg::upstream
