// See gateway_client.h.
#include "cli/gateway_client.h"

#include "server/gateway.h"
#include "upstream/target.h"

namespace cg::cli {

std::string gateway_url(const Config& cfg, std::string_view url) {
  if (!url.empty()) {
    std::string u(url);
    while (!u.empty() && u.back() == '/')
      u.pop_back();
    return u;
  }
  return server::local_base_url(cfg.server.host, cfg.server.port);
}

Result<GatewayAnswer> call_gateway(const Config& cfg, const std::string& base_url,
                                   http::verb method, std::string_view path) {
  auto target = upstream::Target::parse(base_url);
  if (!target) return ApiError::bad_request("--url must be an http:// URL (got " + base_url + ")");
  if (target->tls) return ApiError::bad_request("--url: only http:// gateways are supported");
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(target->host, std::to_string(target->port), ec);
  if (!ec) stream.connect(endpoints, ec);
  if (ec) {
    return ApiError::unavailable("No gateway answers at " + base_url + " (" + ec.message() +
                                 "); start it with `copilot-gateway serve`, or pass --url.");
  }
  http::request<http::empty_body> req{method, target->base_path + std::string(path), 11};
  req.set(http::field::host, target->host_header());
  if (!cfg.auth.api_keys.empty())
    req.set(http::field::authorization, "Bearer " + cfg.auth.api_keys.front());
  http::write(stream, req, ec);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  if (!ec) http::read(stream, buf, res, ec);
  if (ec) return ApiError::bad_gateway("Reading the gateway's answer failed: " + ec.message());
  return GatewayAnswer{static_cast<int>(res.result_int()), std::move(res.body())};
}

}  // namespace cg::cli
