// See session.h. One parser per request (re-emplaced) over one h1::Request whose storage the
// connection reuses, one flat_buffer (grown to 64 KB once a large body arrives) and two reusable
// output strings per connection.
#include "sim/session.h"

#include <algorithm>
#include <optional>

#include "h1/read.h"
#include "sim/exchange.h"
#include "sim/router.h"

namespace cg::sim {
namespace {

constexpr uint32_t kHeaderLimit = 64 * 1024;
constexpr uint64_t kBodyLimit = 64ull * 1024 * 1024;
// Beast reads at most 64 KB per recv, and only as much as the buffer's free capacity (at least
// 512 bytes): without room made up front a large body arrives in hundreds of small recv calls.
constexpr size_t kBodyReadChunk = 64 * 1024;

// Makes room in `buffer` for the body announced by the parsed header (up to one read chunk).
void reserve_for_body(beast::flat_buffer& buffer, const h1::RequestParser& p) {
  const uint64_t body = p.content_length().value_or(p.chunked() ? kBodyReadChunk : 0);
  const size_t want = static_cast<size_t>(std::min<uint64_t>(body, kBodyReadChunk));
  if (buffer.capacity() - buffer.size() < want) buffer.reserve(buffer.size() + want);
}

bool is_disconnect(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::operation_aborted ||
         ec == net::error::broken_pipe || ec == http::error::partial_message;
}

void reply_route_error(Exchange& ex, bool path_known) {
  ex.scratch.clear();
  if (path_known) {
    append_openai_error(ex.scratch, "method not allowed", "invalid_request_error",
                        "method_not_allowed");
    reply(ex, 405, ex.scratch);
  } else {
    append_openai_error(ex.scratch, "no route for " + std::string(target_path(ex.req)),
                        "invalid_request_error", "not_found");
    reply(ex, 404, ex.scratch);
  }
}

}  // namespace

Task<void> serve_connection(tcp::socket socket, State& state) {
  beast::flat_buffer buffer;
  std::string out, scratch;
  Request req;  // storage reused by every request of the connection
  std::optional<h1::RequestParser> parser;
  for (;;) {
    parser.emplace(req);
    parser->header_limit(kHeaderLimit);
    parser->body_limit(kBodyLimit);
    error_code ec = co_await h1::read_message(socket, buffer, *parser, true);
    if (!ec && !parser->is_done()) {
      if (beast::iequals(req[http::field::expect], "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await net::async_write(socket, net::buffer(kContinue), use_nothrow);
      }
      reserve_for_body(buffer, *parser);
      ec = co_await h1::read_message(socket, buffer, *parser, false);
    }
    if (ec) {
      if (is_disconnect(ec)) break;
      const int status = ec == http::error::body_limit     ? 413
                         : ec == http::error::header_limit ? 431
                                                           : 400;
      out.clear();
      scratch.clear();
      append_openai_error(scratch, "malformed HTTP request", "invalid_request_error",
                          "bad_request");
      append_response(out, status, kJson, scratch, false);
      co_await net::async_write(socket, net::buffer(out), use_nothrow);
      break;
    }

    out.clear();
    Exchange ex{socket, req, state, out, scratch, req.keep_alive()};
    const RouteMatch match = find_route(req.method(), target_path(req));
    bool keep = true;
    if (match.route == nullptr) {
      reply_route_error(ex, match.path_known);
    } else if (match.route->sync != nullptr) {
      match.route->sync(ex);
    } else {
      keep = co_await match.route->async(ex);
    }
    if (!keep) co_return;  // the handler already closed or lost the socket
    if (!out.empty()) {
      auto [wec, wn] = co_await net::async_write(socket, net::buffer(out), use_nothrow);
      if (wec) co_return;
    }
    if (!ex.keep_alive) break;
    if (out.capacity() > 1024 * 1024) std::string().swap(out);  // do not pin huge buffers
    if (scratch.capacity() > 1024 * 1024) std::string().swap(scratch);
  }
  error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

}  // namespace cg::sim
