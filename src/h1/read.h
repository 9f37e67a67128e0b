// read_message: reads an HTTP/1.1 message from a stream by feeding a Beast parser (h1's
// RequestParser/ResponseParser or any basic_parser) synchronously from a flat buffer and reading
// more only when it needs more: no composed Beast read operation, no timer (the caller bounds the
// wait, e.g. by closing or cancelling the stream). read_sized_body: a body of known length read
// straight into its string. Worker thread of the stream only.
#pragma once
#include <cstddef>
#include <cstring>
#include <string>

#include "asio_impl/net.h"

namespace cg::h1 {

inline constexpr size_t kReadChunk = 16 * 1024;  // the least room offered to one read

// Feeds the buffered bytes to `parser` until it has the head (head_only) or the whole message,
// or needs more input (not an error here). Returns the parser's own errors (limits, malformed
// input). Consumes what the parser used.
template <class Parser>
error_code put_buffered(beast::flat_buffer& buffer, Parser& parser, bool head_only) {
  while (buffer.size() > 0 && !(head_only ? parser.is_header_done() : parser.is_done())) {
    error_code ec;
    const size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == http::error::need_more) return {};
    if (ec) return ec;
    if (used == 0) break;
  }
  return {};
}

// Room for the next read: all the spare capacity (callers reserve room for a large body), at
// least kReadChunk.
inline net::mutable_buffer read_room(beast::flat_buffer& buffer) {
  const size_t room = buffer.capacity() - buffer.size();
  return buffer.prepare(room > kReadChunk ? room : kReadChunk);
}

// The body of a message whose head said its length (`len`, already checked against the
// parser's body limit), read straight into `body`: the bytes already buffered first, then reads
// into the string itself, so a large body is neither copied out of the read buffer nor makes the
// buffer grow to its size. The parser is not fed the body (the caller is done with it). Returns
// the stream's errors as they are, and partial_message when the stream ends early.
template <class AsyncStream>
Task<error_code> read_sized_body(AsyncStream& stream, beast::flat_buffer& buffer, std::string& body,
                                 size_t len) {
  body.resize(len);
  const size_t have = buffer.size() < len ? buffer.size() : len;
  if (have > 0) std::memcpy(body.data(), buffer.data().data(), have);
  buffer.consume(have);
  size_t got = have;
  while (got < len) {
    auto [ec, n] =
        co_await stream.async_read_some(net::buffer(body.data() + got, len - got), use_nothrow);
    got += n;
    if (ec) {
      body.resize(got);
      co_return ec == net::error::eof ? error_code(http::error::partial_message) : ec;
    }
  }
  co_return error_code{};
}

// Until the parser has the head (head_only) or the whole message. Returns the parser's own
// errors (limits, malformed input) as they are, the stream's errors as they are, and at the end
// of the stream: success when that completes the message (a body delimited by the connection's
// end), end_of_stream when nothing of this message had arrived, partial_message otherwise.
template <class AsyncStream, class Parser>
Task<error_code> read_message(AsyncStream& stream, beast::flat_buffer& buffer, Parser& parser,
                              bool head_only) {
  auto complete = [&] { return head_only ? parser.is_header_done() : parser.is_done(); };
  for (;;) {
    if (error_code ec = put_buffered(buffer, parser, head_only)) co_return ec;
    if (complete()) co_return error_code{};
    auto [ec, n] = co_await stream.async_read_some(read_room(buffer), use_nothrow);
    buffer.commit(n);
    if (ec == net::error::eof) {
      if (!parser.got_some() && buffer.size() == 0) co_return http::error::end_of_stream;
      error_code eof_ec;
      parser.put_eof(eof_ec);
      if (!eof_ec && complete()) co_return error_code{};
      co_return http::error::partial_message;
    }
    if (ec) co_return ec;
  }
}

}  // namespace cg::h1
