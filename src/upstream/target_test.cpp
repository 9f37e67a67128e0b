// Unit tests for Target::parse / key / host_header and ProxyConfig::parse. Pure.
#include "upstream/target.h"

#include <gtest/gtest.h>

#include "upstream/proxy.h"

namespace cg::upstream {
namespace {

TEST(Target, ParsesHttpsWithDefaultPort) {
  auto t = Target::parse("https://api.githubcopilot.com");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->tls);
  EXPECT_EQ(t->host, "api.githubcopilot.com");
  EXPECT_EQ(t->port, 443);
  EXPECT_EQ(t->base_path, "");
  EXPECT_EQ(t->key(), "https://api.githubcopilot.com:443");
  EXPECT_EQ(t->host_header(), "api.githubcopilot.com");
  EXPECT_EQ(t->path("/chat/completions"), "/chat/completions");
}

TEST(Target, ParsesHttpWithPortAndBasePath) {
  auto t = Target::parse("http://127.0.0.1:8080/api/v3/");
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->tls);
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 8080);
  EXPECT_EQ(t->base_path, "/api/v3");
  EXPECT_EQ(t->key(), "http://127.0.0.1:8080");
  EXPECT_EQ(t->host_header(), "127.0.0.1:8080");
  EXPECT_EQ(t->path("/copilot_internal/v2/token"), "/api/v3/copilot_internal/v2/token");
}

TEST(Target, DefaultHttpPortAndCaseFolding) {
  auto t = Target::parse("HTTP://Example.COM/");
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->tls);
  EXPECT_EQ(t->host, "example.com");
  EXPECT_EQ(t->port, 80);
  EXPECT_EQ(t->base_path, "");
  EXPECT_EQ(t->host_header(), "example.com");
}

TEST(Target, Ipv6Literal) {
  auto t = Target::parse("https://[::1]:8443");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->host, "::1");
  EXPECT_EQ(t->port, 8443);
  EXPECT_EQ(t->authority(), "[::1]:8443");
  EXPECT_EQ(t->host_header(), "[::1]:8443");
  EXPECT_EQ(t->key(), "https://[::1]:8443");
}

TEST(Target, KeysDifferBySchemeAndPort) {
  EXPECT_NE(Target::parse("http://h:1")->key(), Target::parse("https://h:1")->key());
  EXPECT_NE(Target::parse("http://h:1")->key(), Target::parse("http://h:2")->key());
  EXPECT_EQ(Target::parse("http://h:80")->key(), Target::parse("http://h")->key());
}

TEST(Target, RejectsBadUrls) {
  for (const char* bad :
       {"", "api.github.com", "ftp://h/", "https://", "https://:443", "https://user:pw@h/",
        "https://h/?q=1", "https://h/#f", "https://h:0", "https://h:99999", "not a url"}) {
    auto t = Target::parse(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_EQ(t.error().message.find("pw"), std::string::npos) << bad;
    }
  }
}

TEST(ProxyConfig, ParsesCredentialsIntoBasicAuth) {
  auto p = ProxyConfig::parse("http://user:p%40ss@proxy.local:3128");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->host, "proxy.local");
  EXPECT_EQ(p->port, 3128);
  EXPECT_EQ(p->authorization, "Basic dXNlcjpwQHNz");  // base64("user:p@ss")
  EXPECT_EQ(p->authority(), "proxy.local:3128");
}

TEST(ProxyConfig, DefaultsAndBareHostPort) {
  auto p = ProxyConfig::parse("http://proxy.local");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->port, 80);
  EXPECT_TRUE(p->authorization.empty());
  auto q = ProxyConfig::parse("10.0.0.1:8080");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->host, "10.0.0.1");
  EXPECT_EQ(q->port, 8080);
}

TEST(ProxyConfig, RejectsOtherSchemesWithoutLeakingSecrets) {
  auto p = ProxyConfig::parse("socks5://user:topsecret@proxy:1080");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message.find("topsecret"), std::string::npos);
  EXPECT_FALSE(ProxyConfig::parse("http://").ok());
}

}  // namespace
}  // namespace cg::upstream
