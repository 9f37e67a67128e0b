// Talking to a running gateway from the CLI (`accounts status`, `accounts refresh`): one blocking
// HTTP/1.1 request to its admin endpoints, authenticated with the configuration's first API key.
// Main thread.
#pragma once
#include <string>
#include <string_view>

#include "asio_impl/net.h"
#include "config/config.h"
#include "core/result.h"

namespace cg::cli {

struct GatewayAnswer {
  int status = 0;
  std::string body;
};

// The running gateway's base URL: `url` when given, else http://<server.host>:<server.port> of the
// configuration (0.0.0.0 and :: read as loopback).
std::string gateway_url(const Config& cfg, std::string_view url);

// `method` `path` on the gateway at `base_url` (http:// only), waiting at most 30 s. Errors: the
// gateway cannot be reached (with the URL), or its answer cannot be read.
Result<GatewayAnswer> call_gateway(const Config& cfg, const std::string& base_url,
                                   http::verb method, std::string_view path);

}  // namespace cg::cli
