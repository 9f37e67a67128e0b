// Connection: one upstream connection (stream + its read buffer), and Lease: the move-only handle
// a request holds while using it. A Lease closes the connection when destroyed unless the caller
// handed it back with release_to_pool(). Both belong to the worker thread of the Client that made
// them.
#pragma once
#include <openssl/ssl.h>
#include <memory>

#include "asio_impl/net.h"
#include "h1/response.h"
#include "upstream/stream.h"
#include "upstream/target.h"

namespace cg::upstream {

namespace detail {
class Pool;
// SSL ex_data slot holding the Connection* that owns an SSL object (for the new-session hook).
int connection_ex_index();
}  // namespace detail

class Connection {
 public:
  // ctx == nullptr: plain TCP. Otherwise a TLS stream (handshake done by the Client).
  Connection(net::any_io_executor ex, ssl::context* ctx, Target target,
             std::weak_ptr<detail::Pool> pool);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Stream& stream() { return stream_; }
  // Read buffer for http::async_read*; kept across requests on this connection.
  beast::flat_buffer& buffer() { return buffer_; }
  // Storage for the head of the response being read on this connection (reused per request).
  h1::Response& response() { return response_; }
  // True when this connection came from the pool (already served a request). A failure before
  // any response byte on a reused connection may be retried once on a fresh one.
  bool reused() const { return reused_; }
  const Target& target() const { return target_; }
  const std::string& key() const { return key_; }
  // TLS: whether the handshake resumed a cached session.
  bool tls_resumed();

  // Internal (Client/Pool/TLS hook).
  void set_reused(bool v) { reused_ = v; }
  // Non-blocking check of an idle connection: false if the peer closed it, reset it, or sent
  // unexpected bytes. Never blocks.
  bool idle_usable();
  // Called from the TLS new-session hook: keeps a copy in the owning Client's session cache.
  void remember_session(SSL_SESSION* session);
  std::weak_ptr<detail::Pool>& pool() { return pool_; }

 private:
  Target target_;
  std::string key_;
  Stream stream_;
  beast::flat_buffer buffer_;
  h1::Response response_;
  std::weak_ptr<detail::Pool> pool_;
  bool reused_ = false;
};

class Lease {
 public:
  Lease() = default;
  explicit Lease(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&& other) noexcept;
  ~Lease() { close(); }

  Connection* operator->() { return conn_.get(); }
  Connection& operator*() { return *conn_; }
  explicit operator bool() const { return conn_ != nullptr; }

  // REQUIRES: the last response was read completely and was keep-alive. Clears any stream expiry
  // and returns the connection to its Client's idle pool (or closes it if the Client is gone or
  // the pool is full). The lease is empty afterwards.
  void release_to_pool();
  // Closes the connection now (also what the destructor does). The lease is empty afterwards.
  void close();

 private:
  std::unique_ptr<Connection> conn_;
};

}  // namespace cg::upstream
