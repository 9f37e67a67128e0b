// Stream: an upstream byte stream that is plain TCP or TLS over TCP, chosen at runtime. It models
// Asio's AsyncReadStream/AsyncWriteStream so beast::http::async_read/async_write work on it with a
// single instantiation for both kinds: buffer sequences are type-erased into a small fixed array
// (at most kMaxBuffers; fewer bytes than offered may be transferred, as *_some allows).
// Owned by one Connection; worker thread only.
#pragma once
#include <array>
#include <cstddef>
#include <optional>

#include "asio_impl/net.h"

namespace cg::upstream {

namespace detail {

inline constexpr size_t kMaxBuffers = 16;

// A copyable buffer sequence of up to kMaxBuffers non-empty buffers taken from any sequence.
template <class Buffer>
class BufferArray {
 public:
  template <class Sequence>
  explicit BufferArray(const Sequence& seq) {
    auto it = net::buffer_sequence_begin(seq);
    const auto end = net::buffer_sequence_end(seq);
    for (; it != end && n_ < kMaxBuffers; ++it) {
      Buffer b(*it);
      if (b.size() != 0) bufs_[n_++] = b;
    }
  }
  const Buffer* begin() const { return bufs_.data(); }
  const Buffer* end() const { return bufs_.data() + n_; }

 private:
  std::array<Buffer, kMaxBuffers> bufs_{};
  size_t n_ = 0;
};

using MutableBuffers = BufferArray<net::mutable_buffer>;
using ConstBuffers = BufferArray<net::const_buffer>;

}  // namespace detail

class Stream {
 public:
  using executor_type = net::any_io_executor;
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;

  // Plain TCP stream (not connected yet).
  explicit Stream(net::any_io_executor ex) : plain_(std::in_place, std::move(ex)) {}
  // TLS stream: connect and tunnel on tcp() first, then handshake on tls_stream().
  Stream(net::any_io_executor ex, ssl::context& ctx) : tls_(std::in_place, std::move(ex), ctx) {}
  // TLS when ctx != nullptr, else plain.
  Stream(net::any_io_executor ex, ssl::context* ctx) {
    if (ctx) {
      tls_.emplace(std::move(ex), *ctx);
    } else {
      plain_.emplace(std::move(ex));
    }
  }

  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  executor_type get_executor() { return tcp().get_executor(); }
  bool tls() const { return tls_.has_value(); }
  // The TCP layer: expires_after()/expires_never(), socket options, close.
  beast::tcp_stream& tcp() { return tls_ ? tls_->next_layer() : *plain_; }
  // REQUIRES: tls().
  TlsStream& tls_stream() { return *tls_; }

  template <class MutableBufferSequence, class Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    return net::async_initiate<Token, void(error_code, std::size_t)>(
        [this](auto handler, detail::MutableBuffers bufs) {
          if (tls_) {
            tls_->async_read_some(bufs, std::move(handler));
          } else {
            // Straight to the socket: the caller bounds the wait (tcp_stream's per-operation
            // timer bookkeeping is only wanted while connecting).
            plain_->socket().async_read_some(bufs, std::move(handler));
          }
        },
        token, detail::MutableBuffers(buffers));
  }

  template <class ConstBufferSequence, class Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    return net::async_initiate<Token, void(error_code, std::size_t)>(
        [this](auto handler, detail::ConstBuffers bufs) {
          if (tls_) {
            tls_->async_write_some(bufs, std::move(handler));
          } else {
            plain_->socket().async_write_some(bufs, std::move(handler));
          }
        },
        token, detail::ConstBuffers(buffers));
  }

  // Synchronous write of what the socket takes now (a non-blocking plain socket: would_block when
  // nothing fits). TLS streams always answer would_block: their writes go asynchronously.
  template <class ConstBufferSequence>
  size_t write_some(const ConstBufferSequence& buffers, error_code& ec) {
    if (tls_) {
      ec = net::error::would_block;
      return 0;
    }
    return plain_->socket().write_some(buffers, ec);
  }

  // Synchronous read of what has arrived (a non-blocking plain socket: would_block when nothing
  // has). TLS streams always answer would_block: their reads go asynchronously.
  template <class MutableBufferSequence>
  size_t read_some(const MutableBufferSequence& buffers, error_code& ec) {
    if (tls_) {
      ec = net::error::would_block;
      return 0;
    }
    return plain_->socket().read_some(buffers, ec);
  }

  // Immediate close of the socket; pending operations complete with operation_aborted.
  void close() { tcp().close(); }

 private:
  std::optional<beast::tcp_stream> plain_;
  std::optional<TlsStream> tls_;
};

static_assert(beast::is_async_stream<Stream>::value);

}  // namespace cg::upstream
