// HTTPS through an HTTP CONNECT proxy on loopback: tunnel + Basic auth, no_proxy bypass, plain
// http never proxied, proxy refusal (407) -> 502 without leaking credentials.
#include "upstream/proxy.h"

#include <gtest/gtest.h>

#include "upstream/client.h"
#include "upstream/request.h"
#include "upstream/test_support.h"
#include "upstream/tls_context.h"

namespace cg::upstream {
namespace {

using namespace std::chrono_literals;
using testing::ConnectProxy;
using testing::run;
using testing::TestServer;

class Proxy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new testing::Pki();
    ok_ = pki_->generate();
  }
  static void TearDownTestSuite() {
    pki_->remove();
    delete pki_;
  }
  void SetUp() override {
    ASSERT_TRUE(ok_) << "openssl CLI failed to create the test PKI";
    server_ctx_ = pki_->server_context("localhost");
  }

  ClientOptions options(const ConnectProxy& proxy, std::string no_proxy = {}) const {
    ClientOptions o;
    o.ca_bundle = pki_->ca();
    o.https_proxy = "http://user:s3cret@127.0.0.1:" + std::to_string(proxy.port());
    o.no_proxy = std::move(no_proxy);
    return o;
  }
  static http::request<http::string_body> get(const Target& t, std::string_view path) {
    return {http::verb::get, t.path(path), 11};
  }

  std::unique_ptr<ssl::context> server_ctx_;
  static testing::Pki* pki_;
  static bool ok_;
};
testing::Pki* Proxy::pki_ = nullptr;
bool Proxy::ok_ = false;

TEST_F(Proxy, HttpsGoesThroughConnectTunnelWithBasicAuth) {
  net::io_context ioc;
  TestServer server(ioc, server_ctx_.get());
  ConnectProxy proxy(ioc);
  auto opts = options(proxy);
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  Target t = Target::parse(server.url("https", "localhost")).value();
  EXPECT_TRUE(client.uses_proxy(t));
  auto r = run(ioc, [&]() -> Task<std::vector<std::string>> {
    std::vector<std::string> out;
    for (const char* p : {"/x", "/y"}) {
      auto res = co_await request(client, t, get(t, p), 5s);
      out.push_back(res ? res->body : "error " + res.error().message);
    }
    co_return out;
  }());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (std::vector<std::string>{"hello /x ", "hello /y "}));
  EXPECT_EQ(proxy.st->accepted, 1);  // the tunnel was pooled and reused
  ASSERT_EQ(proxy.st->connect_targets.size(), 1u);
  EXPECT_EQ(proxy.st->connect_targets[0], "CONNECT localhost:" + std::to_string(server.port()));
  EXPECT_EQ(proxy.st->authorizations[0], "Basic dXNlcjpzM2NyZXQ=");  // user:s3cret
  EXPECT_EQ(server.st->accepted, 1);
}

TEST_F(Proxy, NoProxyHostBypassesTheProxy) {
  net::io_context ioc;
  TestServer server(ioc, server_ctx_.get());
  ConnectProxy proxy(ioc);
  auto opts = options(proxy, "example.com, localhost");
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  Target t = Target::parse(server.url("https", "localhost")).value();
  EXPECT_FALSE(client.uses_proxy(t));
  auto r = run(ioc, request(client, t, get(t, "/direct"), 5s));
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->ok()) << r->error().message;
  EXPECT_EQ((*r)->body, "hello /direct ");
  EXPECT_EQ(proxy.st->accepted, 0);
  EXPECT_EQ(server.st->accepted, 1);
}

TEST_F(Proxy, PlainHttpIsNeverProxied) {
  net::io_context ioc;
  TestServer server(ioc);
  ConnectProxy proxy(ioc);
  auto opts = options(proxy);
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  Target t = Target::parse(server.url()).value();
  auto r = run(ioc, request(client, t, get(t, "/plain"), 5s));
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->ok()) << r->error().message;
  EXPECT_EQ(proxy.st->accepted, 0);
}

TEST_F(Proxy, RefusedConnectIs502WithoutCredentials) {
  net::io_context ioc;
  TestServer server(ioc, server_ctx_.get());
  ConnectProxy proxy(ioc);
  proxy.st->refuse_status = 407;
  auto opts = options(proxy);
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  Target t = Target::parse(server.url("https", "localhost")).value();
  auto r = run(ioc, request(client, t, get(t, "/"), 5s));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  const ApiError& e = r->error();
  EXPECT_EQ(e.status, 502);
  EXPECT_NE(e.message.find("407"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("localhost:" + std::to_string(server.port())), std::string::npos);
  EXPECT_EQ(e.message.find("s3cret"), std::string::npos);
  EXPECT_EQ(e.message.find("dXNlcjpzM2NyZXQ"), std::string::npos);
  EXPECT_EQ(server.st->accepted, 0);
}

TEST_F(Proxy, UnreachableProxyIs502) {
  net::io_context ioc;
  uint16_t dead_port;
  {
    tcp::acceptor a(ioc);
    testing::listen_loopback(a);
    dead_port = a.local_endpoint().port();
  }
  ClientOptions opts;
  opts.ca_bundle = pki_->ca();
  opts.https_proxy = "http://user:s3cret@127.0.0.1:" + std::to_string(dead_port);
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  auto r = run(ioc, client.connect(Target::parse("https://localhost:1").value()));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 502);
  EXPECT_NE(r->error().message.find("proxy 127.0.0.1:" + std::to_string(dead_port)),
            std::string::npos)
      << r->error().message;
  EXPECT_EQ(r->error().message.find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace cg::upstream
