// Test-only helpers for unit_upstream: a coroutine runner, a tiny Beast HTTP(S) server, an HTTP
// CONNECT proxy and a throwaway PKI generated with the openssl CLI. Everything runs on one
// io_context on the test's thread, on 127.0.0.1 only.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "asio_impl/net.h"

namespace cg::upstream::testing {

using namespace std::chrono_literals;

// Runs `task` on ioc until it finishes (or 15 s pass: then nullopt).
template <class T>
std::optional<T> run(net::io_context& ioc, Task<T> task) {
  std::optional<T> out;
  auto wrapper = [](Task<T> t, std::optional<T>& dst) -> Task<void> {
    dst.emplace(co_await std::move(t));
  };
  net::co_spawn(ioc, wrapper(std::move(task), out), [&](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
    ioc.stop();
  });
  ioc.restart();
  ioc.run_for(15s);
  return out;
}

inline Task<void> sleep_for(std::chrono::milliseconds d) {
  net::steady_timer t(co_await net::this_coro::executor, d);
  co_await t.async_wait(use_nothrow);
}

// ---------------------------------------------------------------------------------------------
// HTTP server

struct ServerState {
  explicit ServerState(net::any_io_executor ex) : acceptor(ex) {}
  tcp::acceptor acceptor;
  ssl::context* tls = nullptr;
  // Behaviour.
  bool close_after_each = false;  // answer keep-alive, then close the socket anyway
  int drop_request_n = 0;         // per connection, request #n (1-based) is read, then dropped
  bool silent = false;            // accept and hold sockets, never read or write
  // Observations.
  int accepted = 0;
  int requests = 0;
  int handshake_failures = 0;
  std::vector<std::string> targets;
  std::vector<std::string> hosts;
  std::vector<tcp::socket> held;
};

template <class S>
Task<void> serve_http(S& stream, std::shared_ptr<ServerState> st) {
  beast::flat_buffer buf;
  for (int n = 1;; ++n) {
    http::request<http::string_body> req;
    auto [ec, r] = co_await http::async_read(stream, buf, req, use_nothrow);
    if (ec) co_return;
    ++st->requests;
    st->targets.emplace_back(req.target());
    st->hosts.emplace_back(req[http::field::host]);
    if (st->drop_request_n == n) co_return;  // close without any response byte
    http::response<http::string_body> res{http::status::ok, 11};
    res.set(http::field::content_type, "text/plain");
    res.body() = "hello " + std::string(req.target()) + " " + req.body();
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto [wec, w] = co_await http::async_write(stream, res, use_nothrow);
    if (wec || st->close_after_each || !req.keep_alive()) co_return;
  }
}

inline Task<void> serve_connection(tcp::socket sock, std::shared_ptr<ServerState> st) {
  if (!st->tls) {
    beast::tcp_stream s(std::move(sock));
    co_await serve_http(s, st);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> s(beast::tcp_stream(std::move(sock)), *st->tls);
  s.next_layer().expires_after(5s);
  auto [ec] = co_await s.async_handshake(ssl::stream_base::server, use_nothrow);
  if (ec) {
    ++st->handshake_failures;
    co_return;
  }
  s.next_layer().expires_never();
  co_await serve_http(s, st);
}

inline Task<void> accept_loop(std::shared_ptr<ServerState> st) {
  for (;;) {
    auto [ec, sock] = co_await st->acceptor.async_accept(use_nothrow);
    if (ec) co_return;
    ++st->accepted;
    if (st->silent) {
      st->held.push_back(std::move(sock));
      continue;
    }
    net::co_spawn(st->acceptor.get_executor(), serve_connection(std::move(sock), st),
                  net::detached);
  }
}

inline void listen_loopback(tcp::acceptor& a) {
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
  a.open(ep.protocol());
  a.set_option(tcp::acceptor::reuse_address(true));
  a.bind(ep);
  a.listen();
}

class TestServer {
 public:
  explicit TestServer(net::io_context& ioc, ssl::context* tls = nullptr)
      : st(std::make_shared<ServerState>(ioc.get_executor())) {
    st->tls = tls;
    listen_loopback(st->acceptor);
    net::co_spawn(ioc, accept_loop(st), net::detached);
  }
  ~TestServer() {
    error_code ec;
    st->acceptor.close(ec);
    for (auto& s : st->held)
      s.close(ec);
  }
  uint16_t port() const { return st->acceptor.local_endpoint().port(); }
  std::string url(std::string_view scheme = "http", std::string_view host = "127.0.0.1") const {
    return std::string(scheme) + "://" + std::string(host) + ":" + std::to_string(port());
  }

  std::shared_ptr<ServerState> st;
};

// ---------------------------------------------------------------------------------------------
// CONNECT proxy

struct ProxyState {
  explicit ProxyState(net::any_io_executor ex) : acceptor(ex) {}
  tcp::acceptor acceptor;
  int refuse_status = 0;  // e.g. 407: answer this and close
  int accepted = 0;
  std::vector<std::string> connect_targets;
  std::vector<std::string> authorizations;
};

inline Task<void> pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
  std::array<char, 16384> buf;
  for (;;) {
    auto [ec, n] = co_await from->async_read_some(net::buffer(buf), use_nothrow);
    if (ec) break;
    auto [wec, w] = co_await net::async_write(*to, net::buffer(buf.data(), n), use_nothrow);
    if (wec) break;
  }
  error_code ignored;
  to->shutdown(tcp::socket::shutdown_send, ignored);
}

inline Task<void> proxy_session(tcp::socket sock, std::shared_ptr<ProxyState> st) {
  auto client = std::make_shared<tcp::socket>(std::move(sock));
  beast::flat_buffer buf;
  http::request_parser<http::empty_body> parser;
  auto [ec, n] = co_await http::async_read(*client, buf, parser, use_nothrow);
  if (ec) co_return;
  auto& req = parser.get();
  st->connect_targets.push_back(std::string(req.method_string()) + " " + std::string(req.target()));
  st->authorizations.emplace_back(req[http::field::proxy_authorization]);
  if (st->refuse_status != 0) {
    std::string reply = "HTTP/1.1 " + std::to_string(st->refuse_status) +
                        " Refused\r\nContent-Length: 6\r\n\r\nno way";
    co_await net::async_write(*client, net::buffer(reply), use_nothrow);
    co_return;
  }
  // The test proxy only tunnels to 127.0.0.1, taking the port from "host:port".
  std::string target(req.target());
  uint16_t port = static_cast<uint16_t>(std::stoi(target.substr(target.rfind(':') + 1)));
  auto upstream = std::make_shared<tcp::socket>(client->get_executor());
  auto [cec] = co_await upstream->async_connect(
      tcp::endpoint(net::ip::make_address("127.0.0.1"), port), use_nothrow);
  if (cec) co_return;
  std::string ok = "HTTP/1.1 200 Connection established\r\n\r\n";
  co_await net::async_write(*client, net::buffer(ok), use_nothrow);
  auto ex = client->get_executor();
  net::co_spawn(ex, pump(client, upstream), net::detached);
  net::co_spawn(ex, pump(upstream, client), net::detached);
}

inline Task<void> proxy_accept_loop(std::shared_ptr<ProxyState> st) {
  for (;;) {
    auto [ec, sock] = co_await st->acceptor.async_accept(use_nothrow);
    if (ec) co_return;
    ++st->accepted;
    net::co_spawn(st->acceptor.get_executor(), proxy_session(std::move(sock), st), net::detached);
  }
}

class ConnectProxy {
 public:
  explicit ConnectProxy(net::io_context& ioc)
      : st(std::make_shared<ProxyState>(ioc.get_executor())) {
    listen_loopback(st->acceptor);
    net::co_spawn(ioc, proxy_accept_loop(st), net::detached);
  }
  ~ConnectProxy() {
    error_code ec;
    st->acceptor.close(ec);
  }
  uint16_t port() const { return st->acceptor.local_endpoint().port(); }

  std::shared_ptr<ProxyState> st;
};

// ---------------------------------------------------------------------------------------------
// Throwaway PKI: a CA, a server cert for "localhost" and one for "other.example", all signed by
// the CA (EC P-256 keys, valid 2 days).

struct Pki {
  std::filesystem::path dir;
  std::string ca() const { return (dir / "ca.pem").string(); }
  std::string cert(std::string_view name) const {
    return (dir / (std::string(name) + ".pem")).string();
  }
  std::string key(std::string_view name) const {
    return (dir / (std::string(name) + ".key")).string();
  }

  // Returns false if the openssl CLI failed.
  bool generate() {
    char tmpl[] = "/tmp/cg_upstream_pki_XXXXXX";
    if (!mkdtemp(tmpl)) return false;
    dir = tmpl;
    const std::string d = dir.string();
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    std::string cmd = "cd " + d + " && openssl req -x509" + ec +
                      " -keyout ca.key -out ca.pem -days 2 -subj /CN=cg-test-ca"
                      " -addext basicConstraints=critical,CA:TRUE"
                      " -addext keyUsage=critical,keyCertSign,cRLSign >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) return false;
    for (std::string name : {"localhost", "other.example"}) {
      cmd = "cd " + d + " && printf 'subjectAltName=DNS:" + name +
            "\\nextendedKeyUsage=serverAuth\\n' > " + name + ".ext && openssl req" + ec +
            " -keyout " + name + ".key -out " + name + ".csr -subj /CN=" + name +
            " >/dev/null 2>&1 && openssl x509 -req -in " + name +
            ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile " + name +
            ".ext -out " + name + ".pem >/dev/null 2>&1";
      if (std::system(cmd.c_str()) != 0) return false;
    }
    return true;
  }
  void remove() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }

  std::unique_ptr<ssl::context> server_context(std::string_view name) const {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    ctx->use_certificate_chain_file(cert(name));
    ctx->use_private_key_file(key(name), ssl::context::pem);
    return ctx;
  }
};

}  // namespace cg::upstream::testing
