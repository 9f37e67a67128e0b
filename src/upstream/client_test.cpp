// Client + request() over plain HTTP on loopback: keep-alive reuse, stale pooled connections,
// retry rules, pool eviction, connect errors and timeouts, and the Stream buffer adapter.
#include "upstream/client.h"

#include <gtest/gtest.h>

#include "upstream/request.h"
#include "upstream/test_support.h"

namespace cg::upstream {
namespace {

using namespace std::chrono_literals;
using testing::run;
using testing::sleep_for;
using testing::TestServer;

http::request<http::string_body> get(const Target& t, std::string_view path) {
  http::request<http::string_body> req{http::verb::get, t.path(path), 11};
  return req;
}

Target parse(const std::string& url) {
  return Target::parse(url).value();
}

TEST(Client, RequestWorksAndSetsHostAndLength) {
  net::io_context ioc;
  TestServer server(ioc);
  Client client(ioc.get_executor(), nullptr, {});
  Target t = parse(server.url() + "/base");
  http::request<http::string_body> req{http::verb::post, t.path("/echo"), 11};
  req.body() = "ping";
  auto r = run(ioc, request(client, t, std::move(req), 5s));
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->ok()) << r->error().message;
  EXPECT_EQ((*r)->status, 200);
  EXPECT_EQ((*r)->body, "hello /base/echo ping");
  EXPECT_EQ((*r)->headers[http::field::content_type], "text/plain");
  ASSERT_EQ(server.st->hosts.size(), 1u);
  EXPECT_EQ(server.st->hosts[0], "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(client.idle_count(), 1u);
}

TEST(Client, SecondRequestReusesTheConnection) {
  net::io_context ioc;
  TestServer server(ioc);
  Client client(ioc.get_executor(), nullptr, {});
  Target t = parse(server.url());
  auto r = run(ioc, [&]() -> Task<std::vector<int>> {
    std::vector<int> statuses;
    for (int i = 0; i < 3; ++i) {
      auto res = co_await request(client, t, get(t, "/r" + std::to_string(i)), 5s);
      statuses.push_back(res ? res->status : -res.error().status);
    }
    co_return statuses;
  }());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (std::vector<int>{200, 200, 200}));
  EXPECT_EQ(server.st->accepted, 1);
  EXPECT_EQ(server.st->requests, 3);
  EXPECT_EQ(client.idle_count(), 1u);
}

TEST(Client, ConnectReportsReusedOnlyForPooledConnections) {
  net::io_context ioc;
  TestServer server(ioc);
  Client client(ioc.get_executor(), nullptr, {});
  Target t = parse(server.url());
  auto r = run(ioc, [&]() -> Task<std::vector<bool>> {
    std::vector<bool> reused;
    auto a = co_await client.connect(t);
    reused.push_back(a.value()->reused());
    a.value().release_to_pool();
    auto b = co_await client.connect(t);  // from the pool
    reused.push_back(b.value()->reused());
    auto c = co_await client.connect(t);  // pool empty now: fresh
    reused.push_back(c.value()->reused());
    co_return reused;
  }());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (std::vector<bool>{false, true, false}));
  EXPECT_EQ(server.st->accepted, 2);
  EXPECT_EQ(client.idle_count(), 0u);  // b and c were dropped without release: closed
}

TEST(Client, ServerClosingIdleConnectionIsDetectedBeforeReuse) {
  net::io_context ioc;
  TestServer server(ioc);
  server.st->close_after_each = true;  // says keep-alive, then closes
  ClientOptions opts;
  opts.pool_trust_idle = 0ms;  // probe every pooled connection before reuse
  Client client(ioc.get_executor(), nullptr, opts);
  Target t = parse(server.url());
  auto r = run(ioc, [&]() -> Task<std::vector<int>> {
    std::vector<int> out;
    auto first = co_await request(client, t, get(t, "/a"), 5s);
    out.push_back(first ? first->status : -first.error().status);
    out.push_back(int(client.idle_count()));
    co_await sleep_for(100ms);  // let the FIN arrive
    auto lease = co_await client.connect(t);
    out.push_back(lease && !lease.value()->reused());  // stale one skipped, fresh one made
    auto second = co_await request(client, t, get(t, "/b"), 5s);
    out.push_back(second ? second->status : -second.error().status);
    co_return out;
  }());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (std::vector<int>{200, 1, 1, 200}));
  EXPECT_EQ(server.st->requests, 2);
}

TEST(Client, ReusedConnectionFailingBeforeResponseIsRetriedOnce) {
  net::io_context ioc;
  TestServer server(ioc);
  server.st->drop_request_n = 2;  // second request on any connection: closed, no response
  Client client(ioc.get_executor(), nullptr, {});
  Target t = parse(server.url());
  auto r = run(ioc, [&]() -> Task<std::vector<int>> {
    std::vector<int> out;
    for (const char* p : {"/one", "/two"}) {
      auto res = co_await request(client, t, get(t, p), 5s);
      out.push_back(res ? res->status : -res.error().status);
    }
    co_return out;
  }());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (std::vector<int>{200, 200}));
  EXPECT_EQ(server.st->accepted, 2);  // the retry used a fresh connection
  EXPECT_EQ(server.st->targets, (std::vector<std::string>{"/one", "/two", "/two"}));
}

TEST(Client, FreshConnectionFailureIsNotRetried) {
  net::io_context ioc;
  TestServer server(ioc);
  server.st->drop_request_n = 1;
  Client client(ioc.get_executor(), nullptr, {});
  Target t = parse(server.url());
  auto r = run(ioc, request(client, t, get(t, "/x"), 5s));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 502);
  EXPECT_NE(r->error().message.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(server.st->accepted, 1);
  EXPECT_EQ(client.idle_count(), 0u);
}

TEST(Client, ResponseTimeoutIs504) {
  net::io_context ioc;
  TestServer server(ioc);
  server.st->silent = true;  // accepts, never answers
  Client client(ioc.get_executor(), nullptr, {});
  Target t = parse(server.url());
  auto start = std::chrono::steady_clock::now();
  auto r = run(ioc, request(client, t, get(t, "/slow"), 200ms));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 504);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(Client, IdleConnectionsAreEvictedAfterTimeout) {
  net::io_context ioc;
  TestServer server(ioc);
  ClientOptions opts;
  opts.pool_idle_timeout = 150ms;
  Client client(ioc.get_executor(), nullptr, opts);
  Target t = parse(server.url());
  auto r = run(ioc, [&]() -> Task<std::vector<size_t>> {
    std::vector<size_t> out;
    auto res = co_await request(client, t, get(t, "/"), 5s);
    out.push_back(res ? 1 : 0);
    out.push_back(client.idle_count());
    co_await sleep_for(400ms);
    out.push_back(client.idle_count());
    co_return out;
  }());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (std::vector<size_t>{1, 1, 0}));
}

TEST(Client, PoolKeepsAtMostMaxIdlePerTarget) {
  net::io_context ioc;
  TestServer server(ioc);
  ClientOptions opts;
  opts.max_idle_per_target = 2;
  Client client(ioc.get_executor(), nullptr, opts);
  Target t = parse(server.url());
  auto r = run(ioc, [&]() -> Task<size_t> {
    std::vector<Lease> leases;
    for (int i = 0; i < 4; ++i)
      leases.push_back(std::move((co_await client.connect(t)).value()));
    for (auto& l : leases)
      l.release_to_pool();
    co_return client.idle_count();
  }());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 2u);
  client.close_idle();
  EXPECT_EQ(client.idle_count(), 0u);
}

TEST(Client, ConnectionRefusedIs502) {
  net::io_context ioc;
  uint16_t port;
  {
    tcp::acceptor a(ioc);
    testing::listen_loopback(a);
    port = a.local_endpoint().port();
  }  // closed: nothing listens there now
  Client client(ioc.get_executor(), nullptr, {});
  Target t = parse("http://127.0.0.1:" + std::to_string(port));
  auto r = run(ioc, request(client, t, get(t, "/"), 5s));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 502);
  EXPECT_NE(r->error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos);
}

TEST(Client, UnresolvableHostIs502) {
  net::io_context ioc;
  Client client(ioc.get_executor(), nullptr, {});
  Target t = parse("http://no-such-host.invalid:80");
  auto r = run(ioc, client.connect(t));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 502);
  EXPECT_NE(r->error().message.find("no-such-host.invalid"), std::string::npos);
}

// A listener whose backlog is full: further SYNs are dropped, so connect() hangs until the
// client's connect_timeout.
TEST(Client, ConnectTimeoutIs504) {
  net::io_context ioc;
  tcp::acceptor a(ioc);
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
  a.open(ep.protocol());
  a.bind(ep);
  a.listen(0);
  const uint16_t port = a.local_endpoint().port();
  // Fill the backlog with connections nobody accepts.
  std::vector<std::unique_ptr<tcp::socket>> fillers;
  for (int i = 0; i < 4; ++i) {
    auto s = std::make_unique<tcp::socket>(ioc);
    s->async_connect(tcp::endpoint(ep.address(), port), [](error_code) {});  // SYN sent now
    fillers.push_back(std::move(s));
  }
  ioc.poll();
  ClientOptions opts;
  opts.connect_timeout = 300ms;
  Client client(ioc.get_executor(), nullptr, opts);
  Target t = parse("http://127.0.0.1:" + std::to_string(port));
  auto start = std::chrono::steady_clock::now();
  auto r = run(ioc, client.connect(t));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 504) << r->error().message;
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 3s);
}

TEST(Client, HttpsWithoutTlsContextIs502) {
  net::io_context ioc;
  Client client(ioc.get_executor(), nullptr, {});
  auto r = run(ioc, client.connect(parse("https://localhost:1")));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 502);
}

TEST(Client, BadProxyUrlThrowsAtConstruction) {
  net::io_context ioc;
  ClientOptions opts;
  opts.https_proxy = "socks5://u:secret@h:1";
  EXPECT_THROW(Client(ioc.get_executor(), nullptr, opts), std::invalid_argument);
}

TEST(Stream, BufferArrayKeepsNonEmptyBuffersUpToTheLimit) {
  std::array<char, 40> mem{};
  std::vector<net::const_buffer> bufs;
  for (int i = 0; i < 20; ++i)
    bufs.emplace_back(mem.data() + 2 * i, i % 5 == 0 ? 0 : 2);
  detail::ConstBuffers arr(bufs);
  EXPECT_EQ(std::distance(arr.begin(), arr.end()), long(detail::kMaxBuffers));
  EXPECT_EQ(net::buffer_size(arr), 2 * detail::kMaxBuffers);
  EXPECT_EQ(arr.begin()->data(), mem.data() + 2);  // the empty first buffer was skipped
}

}  // namespace
}  // namespace cg::upstream
