// See request.h. Worker thread only.
#include "upstream/request.h"

#include <optional>

namespace cg::upstream {
namespace {

ApiError io_error(const Target& target, std::string_view what, error_code ec) {
  std::string msg = "upstream " + target.authority() + ": " + std::string(what);
  if (ec == beast::error::timeout) return ApiError::gateway_timeout(msg + " timed out");
  return ApiError::bad_gateway(msg + " failed: " + ec.message());
}

}  // namespace

Task<Result<SimpleResponse>> request(Client& client, const Target& target,
                                     http::request<http::string_body> req,
                                     std::chrono::milliseconds timeout) {
  req.set(http::field::host, target.host_header());
  req.keep_alive(true);
  req.prepare_payload();
  for (int attempt = 0;; ++attempt) {
    auto leased = co_await client.connect(target);
    if (!leased) co_return std::move(leased).error();
    Lease lease = std::move(leased).value();
    const bool may_retry = lease->reused() && attempt == 0;
    lease->stream().tcp().expires_after(timeout);

    auto [wec, wn] = co_await http::async_write(lease->stream(), req, use_nothrow);
    (void)wn;
    if (wec) {
      if (may_retry && wec != beast::error::timeout) continue;
      co_return io_error(target, "write", wec);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(kSimpleBodyLimit);
    if (req.method() == http::verb::head) parser.skip(true);
    auto [rec, rn] =
        co_await http::async_read(lease->stream(), lease->buffer(), parser, use_nothrow);
    (void)rn;
    if (rec) {
      if (may_retry && !parser.got_some() && lease->buffer().size() == 0 &&
          rec != beast::error::timeout) {
        continue;
      }
      co_return io_error(target, "read response", rec);
    }
    auto res = parser.release();
    const bool keep = res.keep_alive();
    SimpleResponse out;
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    out.headers = std::move(res.base());
    if (keep) lease.release_to_pool();  // otherwise the lease destructor closes it
    co_return out;
  }
}

}  // namespace cg::upstream
