// See upstream_call.h.
#include "server/upstream_call.h"

#include "server/worker.h"

namespace cg::server {

namespace {

bool is_timeout(const error_code& ec) { return ec == beast::error::timeout; }

std::string host_header(const upstream::Target& t) {
  const bool default_port = t.port == (t.tls ? 443 : 80);
  return default_port ? t.host : t.host + ":" + std::to_string(t.port);
}

}  // namespace

Task<Result<std::unique_ptr<UpstreamCall>>> start_upstream_call(
    Worker& w, const upstream::Target& target, http::request<http::string_body>& req) {
  const UpstreamConfig& uc = w.cfg().upstream;
  req.version(11);
  req.set(http::field::host, host_header(target));
  req.keep_alive(true);
  req.prepare_payload();
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
    auto [wec, wn] = co_await http::async_write(conn.stream(), req, use_nothrow);
    error_code ec = wec;
    if (!ec) {
      auto [rec, rn] = co_await http::async_read_header(conn.stream(), conn.buffer(), call->head,
                                                        use_nothrow);
      ec = rec;
    }
    if (!ec) {
      call->ttfb_s = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                   call->sent_at)
                         .count();
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
