// See request.h. Worker thread only.
#include "upstream/request.h"

#include <memory>
#include <optional>

namespace cg::upstream {
namespace {

// Bounds the exchange on one leased connection: when `timeout` passes first, the stream is
// closed (the pending operation fails) and timed_out() turns true. The timer's state outlives
// this object, so a wake-up that was already queued when the exchange ended is harmless.
class ExchangeTimeout {
 public:
  ExchangeTimeout(Stream& stream, std::chrono::milliseconds timeout)
      : state_(std::make_shared<State>(stream)) {
    state_->timer.expires_after(timeout);
    state_->timer.async_wait([s = state_](error_code ec) {
      if (ec || !s->stream) return;
      s->timed_out = true;
      s->stream->close();
    });
  }
  ~ExchangeTimeout() {
    state_->stream = nullptr;
    state_->timer.cancel();
  }
  ExchangeTimeout(const ExchangeTimeout&) = delete;
  ExchangeTimeout& operator=(const ExchangeTimeout&) = delete;
  bool timed_out() const { return state_->timed_out; }

 private:
  struct State {
    explicit State(Stream& s) : stream(&s), timer(s.get_executor()) {}
    Stream* stream;
    net::steady_timer timer;
    bool timed_out = false;
  };
  std::shared_ptr<State> state_;
};

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
    ExchangeTimeout limit(lease->stream(), timeout);

    auto [wec_raw, wn] = co_await http::async_write(lease->stream(), req, use_nothrow);
    (void)wn;
    const error_code wec = limit.timed_out() ? error_code(beast::error::timeout) : wec_raw;
    if (wec) {
      if (may_retry && wec != beast::error::timeout) continue;
      co_return io_error(target, "write", wec);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(kSimpleBodyLimit);
    if (req.method() == http::verb::head) parser.skip(true);
    auto [rec_raw, rn] =
        co_await http::async_read(lease->stream(), lease->buffer(), parser, use_nothrow);
    (void)rn;
    const error_code rec = limit.timed_out() ? error_code(beast::error::timeout) : rec_raw;
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
