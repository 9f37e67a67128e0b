// See upstream_call.h.
#include "server/upstream_call.h"

#include "h1/read.h"
#include "server/worker.h"
#include "server/write_now.h"

#include <array>

namespace cg::server {

Task<Result<std::unique_ptr<UpstreamCall>>> start_upstream_call(Worker& w, Deadline& deadline,
                                                                const upstream::Target& target,
                                                                const UpstreamRequest& req) {
  const UpstreamConfig& uc = w.cfg().upstream;
  std::string head;
  head.reserve(256 + req.base_path.size() + req.path.size() + req.headers.size());
  head.append(req.method).append(" ").append(req.base_path).append(req.path);
  head.append(" HTTP/1.1\r\nhost: ");
  head.append(target.host_header());
  head.append("\r\ncontent-length: ").append(std::to_string(req.body.size()));
  head.append("\r\nconnection: keep-alive\r\n").append(req.headers).append("\r\n");
  const std::array<net::const_buffer, 2> wire{net::buffer(head), net::buffer(req.body)};
  for (int attempt = 0;; ++attempt) {
    // A pooled connection without a suspension; otherwise connect a new one.
    upstream::Lease pooled =
        attempt == 0 ? w.client(req.egress).take_pooled(target) : upstream::Lease();
    if (!pooled) {
      auto fresh = co_await w.client(req.egress).connect(target);
      if (!fresh) co_return std::move(fresh).error();
      pooled = std::move(*fresh);
    }
    auto call = std::make_unique<UpstreamCall>(std::move(pooled), deadline);
    upstream::Connection& conn = *call->lease;
    const bool reused = conn.reused();
    deadline.watch_upstream(&conn.stream());
    deadline.expires_after(uc.first_byte_timeout);
    call->sent_at = std::chrono::steady_clock::now();
    error_code ec;
    const size_t sent = write_now(conn.stream(), wire, ec);
    if (!ec && sent < net::buffer_size(wire)) {
      auto [wec, wn] = co_await write_rest(conn.stream(), wire, sent);
      ec = wec;
    }
    if (!ec) ec = co_await h1::read_message(conn.stream(), conn.buffer(), call->parser, true);
    if (!ec) {
      call->ttfb_s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - call->sent_at).count();
      co_return std::move(call);
    }
    const bool timed_out = deadline.expired();
    call->unwatch();
    // A kept-alive connection the server closed meanwhile: one more try on a fresh connection.
    if (reused && attempt == 0 && !timed_out && conn.buffer().size() == 0) continue;
    if (timed_out)
      co_return ApiError::gateway_timeout("The Copilot API did not answer within " +
                                          std::to_string(uc.first_byte_timeout.count()) + " ms.");
    co_return ApiError::bad_gateway("The connection to the Copilot API failed: " + ec.message() +
                                    ".");
  }
}

Task<Result<std::string>> read_upstream_body(Worker& w, UpstreamCall& call, uint64_t limit) {
  h1::ResponseParser& p = call.parser;
  p.body_limit(limit);
  std::string body;
  p.body_into(&body);
  upstream::Connection& conn = *call.lease;
  call.deadline.expires_after(w.cfg().upstream.idle_timeout);
  const error_code ec = co_await h1::read_message(conn.stream(), conn.buffer(), p, false);
  if (ec) {
    const bool timed_out = call.deadline.expired();
    call.unwatch();
    if (timed_out)
      co_return ApiError::gateway_timeout("The Copilot API stopped sending the response.");
    co_return ApiError::bad_gateway("Reading the Copilot API response failed: " + ec.message() +
                                    ".");
  }
  call.finish();
  co_return body;
}

}  // namespace cg::server
