// write_now / write_all: send a response or request without an asynchronous operation when the
// socket takes it all at once (the usual case for answers that fit the socket buffer), and fall
// back to an asynchronous write for whatever is left. An async write that could complete at once
// still goes through a completion handler, the scheduler and a coroutine resumption.
// The socket must be in non-blocking mode (sessions and upstream connections set it once).
// Worker thread of the socket only.
#pragma once
#include <cstddef>
#include <tuple>

#include "asio_impl/net.h"

namespace cg::server {

// Writes what the socket accepts now; `ec` is set for errors other than "would block".
template <class SyncWriteStream, class ConstBufferSequence>
size_t write_now(SyncWriteStream& s, const ConstBufferSequence& buffers, error_code& ec) {
  const size_t n = s.write_some(buffers, ec);
  if (ec == net::error::would_block || ec == net::error::try_again) ec = {};
  return n;
}

// All of `buffers`: at once when possible, else the rest asynchronously.
template <class AsyncWriteStream, class ConstBufferSequence>
Task<std::tuple<error_code, size_t>> write_rest(AsyncWriteStream& s,
                                                const ConstBufferSequence& buffers,
                                                size_t already) {
  beast::buffers_suffix<ConstBufferSequence> rest(buffers);
  rest.consume(already);
  auto [ec, n] = co_await net::async_write(s, rest, use_nothrow);
  co_return std::tuple<error_code, size_t>{ec, already + n};
}

}  // namespace cg::server
