// TLS over loopback with a throwaway PKI: trust via ca_bundle, verification failures (unknown CA,
// wrong host name), handshake timeout, session resumption, pooling of TLS connections.
#include "upstream/tls_context.h"

#include <gtest/gtest.h>

#include "upstream/client.h"
#include "upstream/request.h"
#include "upstream/test_support.h"

namespace cg::upstream {
namespace {

using namespace std::chrono_literals;
using testing::run;
using testing::TestServer;

class Tls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new testing::Pki();
    ok_ = pki_->generate();
  }
  static void TearDownTestSuite() {
    pki_->remove();
    delete pki_;
  }
  void SetUp() override { ASSERT_TRUE(ok_) << "openssl CLI failed to create the test PKI"; }

  ClientOptions trusting() const {
    ClientOptions o;
    o.ca_bundle = pki_->ca();
    return o;
  }
  static http::request<http::string_body> get(const Target& t, std::string_view path) {
    return {http::verb::get, t.path(path), 11};
  }

  static testing::Pki* pki_;
  static bool ok_;
};
testing::Pki* Tls::pki_ = nullptr;
bool Tls::ok_ = false;

TEST_F(Tls, RequestSucceedsWithCaBundleAndReusesConnection) {
  net::io_context ioc;
  auto server_ctx = pki_->server_context("localhost");
  TestServer server(ioc, server_ctx.get());
  auto opts = trusting();
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  Target t = Target::parse(server.url("https", "localhost")).value();
  auto r = run(ioc, [&]() -> Task<std::vector<std::string>> {
    std::vector<std::string> out;
    for (const char* p : {"/a", "/b"}) {
      auto res = co_await request(client, t, get(t, p), 5s);
      out.push_back(res ? res->body : "error " + res.error().message);
    }
    co_return out;
  }());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (std::vector<std::string>{"hello /a ", "hello /b "}));
  EXPECT_EQ(server.st->accepted, 1);
  EXPECT_EQ(server.st->hosts[0], "localhost:" + std::to_string(server.port()));
  EXPECT_EQ(client.idle_count(), 1u);
}

TEST_F(Tls, UnknownCaFailsWith502) {
  net::io_context ioc;
  auto server_ctx = pki_->server_context("localhost");
  TestServer server(ioc, server_ctx.get());
  ClientOptions opts;  // system store only: our test CA is not trusted
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  Target t = Target::parse(server.url("https", "localhost")).value();
  auto r = run(ioc, request(client, t, get(t, "/"), 5s));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 502);
  EXPECT_NE(r->error().message.find("localhost:" + std::to_string(server.port())),
            std::string::npos);
  EXPECT_NE(r->error().message.find("certificate"), std::string::npos) << r->error().message;
  EXPECT_EQ(server.st->requests, 0);
}

TEST_F(Tls, CertificateForAnotherNameFailsHostnameVerification) {
  net::io_context ioc;
  auto server_ctx = pki_->server_context("other.example");
  TestServer server(ioc, server_ctx.get());
  auto opts = trusting();
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  Target t = Target::parse(server.url("https", "localhost")).value();
  auto r = run(ioc, request(client, t, get(t, "/"), 5s));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 502);
  EXPECT_NE(r->error().message.find("hostname mismatch"), std::string::npos) << r->error().message;
  EXPECT_EQ(server.st->requests, 0);
}

TEST_F(Tls, IpLiteralIsVerifiedAgainstIpSans) {
  net::io_context ioc;
  auto server_ctx = pki_->server_context("localhost");  // DNS:localhost only, no IP SAN
  TestServer server(ioc, server_ctx.get());
  auto opts = trusting();
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  Target t = Target::parse(server.url("https", "127.0.0.1")).value();
  auto r = run(ioc, client.connect(t));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 502);
}

TEST_F(Tls, HandshakeToSilentServerTimesOutWith504) {
  net::io_context ioc;
  TestServer server(ioc);
  server.st->silent = true;  // accepts TCP, never speaks TLS
  auto opts = trusting();
  opts.connect_timeout = 250ms;
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  Target t = Target::parse(server.url("https", "localhost")).value();
  auto start = std::chrono::steady_clock::now();
  auto r = run(ioc, client.connect(t));
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().status, 504) << r->error().message;
  EXPECT_NE(r->error().message.find("localhost"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(server.st->accepted, 1);
}

TEST_F(Tls, NewConnectionResumesTheCachedSession) {
  net::io_context ioc;
  auto server_ctx = pki_->server_context("localhost");
  TestServer server(ioc, server_ctx.get());
  auto opts = trusting();
  Client client(ioc.get_executor(), make_tls_context(opts), opts);
  Target t = Target::parse(server.url("https", "localhost")).value();
  auto r = run(ioc, [&]() -> Task<std::vector<int>> {
    std::vector<int> out;
    auto first = co_await client.connect(t);
    out.push_back(first.ok() && !first.value()->tls_resumed());
    auto res = co_await request(client, t, get(t, "/"), 5s);  // reads tickets (TLS 1.3)
    out.push_back(res ? res->status : 0);
    client.close_idle();
    auto second = co_await client.connect(t);  // a brand-new connection
    out.push_back(second.ok() && !second.value()->reused());
    out.push_back(second.ok() && second.value()->tls_resumed());
    co_return out;
  }());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (std::vector<int>{1, 200, 1, 1}));
}

TEST(TlsContext, BadCaBundleThrows) {
  ClientOptions opts;
  opts.ca_bundle = "/nonexistent/ca.pem";
  EXPECT_ANY_THROW(make_tls_context(opts));
}

}  // namespace
}  // namespace cg::upstream
