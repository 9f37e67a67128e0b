// See upstream_call.h.
#include "server/upstream_call.h"

#include "server/worker.h"

#include <array>

namespace cg::server {

namespace {

bool is_timeout(const error_code& ec) {
  return ec == beast::error::timeout;
}

}  // namespace

Task<Result<std::unique_ptr<UpstreamCall>>> start_upstream_call(Worker& w,
                                                                const upstream::Target& target,
                                                                const UpstreamRequest& req) {
  const UpstreamConfig& uc = w.cfg().upstream;
  std::string head;
  head.reserve(256 + req.path.size() + req.headers.size());
  head.append(req.method).append(" ").append(req.path).append(" HTTP/1.1\r\nhost: ");
  head.append(target.host_header());
  head.append("\r\ncontent-length: ").append(std::to_string(req.body.size()));
  head.append("\r\nconnection: keep-alive\r\n").append(req.headers).append("\r\n");
  const std::array<net::const_buffer, 2> wire{net::buffer(head), net::buffer(req.body)};
  for (int attempt = 0;; ++attempt) {
    auto lease = co_await w.client().connect(target);
    if (!lease) co_return std::move(lease).error();
    auto call = std::make_unique<UpstreamCall>(std::move(*lease));
    call->head.body_limit(boost::none);
    call->head.header_limit(64 * 1024);
    upstream::Connection& conn = *call->lease;
    const bool reused = conn.reused();
    conn.stream().tcp().expires_after(uc.first_byte_timeout);
    call->sent_at = std::chrono::steady_clock::now();
    auto [wec, wn] = co_await net::async_write(conn.stream(), wire, use_nothrow);
    error_code ec = wec;
    if (!ec) {
      auto [rec, rn] =
          co_await http::async_read_header(conn.stream(), conn.buffer(), call->head, use_nothrow);
      ec = rec;
    }
    if (!ec) {
      call->ttfb_s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - call->sent_at).count();
      co_return std::move(call);
    }
    // A kept-alive connection the server closed meanwhile: one more try on a fresh connection.
    if (reused && attempt == 0 && !is_timeout(ec) && conn.buffer().size() == 0) continue;
    if (is_timeout(ec))
      co_return ApiError::gateway_timeout("The Copilot API did not answer within " +
                                          std::to_string(uc.first_byte_timeout.count()) + " ms.");
    co_return ApiError::bad_gateway("The connection to the Copilot API failed: " + ec.message() +
                                    ".");
  }
}

Task<Result<std::string>> read_upstream_body(Worker& w, UpstreamCall& call, uint64_t limit) {
  http::response_parser<http::string_body> p{std::move(call.head)};
  p.body_limit(limit);
  upstream::Connection& conn = *call.lease;
  conn.stream().tcp().expires_after(w.cfg().upstream.idle_timeout);
  auto [ec, n] = co_await http::async_read(conn.stream(), conn.buffer(), p, use_nothrow);
  if (ec) {
    if (is_timeout(ec))
      co_return ApiError::gateway_timeout("The Copilot API stopped sending the response.");
    co_return ApiError::bad_gateway("Reading the Copilot API response failed: " + ec.message() +
                                    ".");
  }
  conn.stream().tcp().expires_never();
  if (p.get().keep_alive()) call.lease.release_to_pool();
  co_return std::move(p.get().body());
}

}  // namespace cg::server
