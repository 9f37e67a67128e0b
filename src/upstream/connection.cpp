// See connection.h. Worker thread only.
#include "upstream/connection.h"

#include <sys/socket.h>

#include <cerrno>

#include "upstream/pool.h"

namespace cg::upstream {

namespace detail {
int connection_ex_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}
}  // namespace detail

Connection::Connection(net::any_io_executor ex, ssl::context* ctx, Target target,
                       std::weak_ptr<detail::Pool> pool)
    : target_(std::move(target)),
      key_(target_.key()),
      stream_(std::move(ex), ctx),
      pool_(std::move(pool)) {
  if (stream_.tls()) {
    SSL_set_ex_data(stream_.tls_stream().native_handle(), detail::connection_ex_index(), this);
  }
}

Connection::~Connection() {
  if (stream_.tls()) {
    SSL_set_ex_data(stream_.tls_stream().native_handle(), detail::connection_ex_index(), nullptr);
  }
}

bool Connection::tls_resumed() {
  return stream_.tls() && SSL_session_reused(stream_.tls_stream().native_handle()) == 1;
}

bool Connection::idle_usable() {
  auto& socket = stream_.tcp().socket();
  if (!socket.is_open()) return false;
  char byte;
  ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  // n == 0: orderly close by the peer; n > 0: bytes nobody asked for (e.g. a TLS close_notify or a
  // stray response); n < 0 other than EAGAIN: reset. Only "nothing to read yet" is usable.
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

void Connection::remember_session(SSL_SESSION* session) {
  if (auto pool = pool_.lock()) pool->store_session(key_, session);
}

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    close();
    conn_ = std::move(other.conn_);
  }
  return *this;
}

void Lease::release_to_pool() {
  if (!conn_) return;
  auto pool = conn_->pool().lock();
  if (!pool) {
    close();
    return;
  }
  pool->put(std::move(conn_));
}

void Lease::close() {
  if (!conn_) return;
  conn_->stream().close();
  conn_.reset();
}

}  // namespace cg::upstream
