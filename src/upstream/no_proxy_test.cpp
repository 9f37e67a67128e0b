// Unit tests for no_proxy_matches (curl semantics). Pure.
#include "upstream/no_proxy.h"

#include <gtest/gtest.h>

namespace cg::upstream {
namespace {

TEST(NoProxy, EmptyListMatchesNothing) {
  EXPECT_FALSE(no_proxy_matches("", "example.com", 443));
  EXPECT_FALSE(no_proxy_matches(" , ,", "example.com", 443));
}

TEST(NoProxy, StarMatchesEverything) {
  EXPECT_TRUE(no_proxy_matches("*", "example.com", 443));
  EXPECT_TRUE(no_proxy_matches("foo, *", "10.1.2.3", 80));
}

TEST(NoProxy, ExactHostAndSubdomains) {
  EXPECT_TRUE(no_proxy_matches("example.com", "example.com", 443));
  EXPECT_TRUE(no_proxy_matches("example.com", "api.example.com", 443));
  EXPECT_TRUE(no_proxy_matches("example.com", "a.b.example.com", 443));
  EXPECT_FALSE(no_proxy_matches("example.com", "badexample.com", 443));
  EXPECT_FALSE(no_proxy_matches("example.com", "example.com.evil", 443));
  EXPECT_FALSE(no_proxy_matches("api.example.com", "example.com", 443));
}

TEST(NoProxy, LeadingDotIsASuffixMatch) {
  EXPECT_TRUE(no_proxy_matches(".example.com", "api.example.com", 443));
  EXPECT_TRUE(no_proxy_matches(".example.com", "example.com", 443));
  EXPECT_FALSE(no_proxy_matches(".example.com", "notexample.com", 443));
}

TEST(NoProxy, CaseAndTrailingDotInsensitive) {
  EXPECT_TRUE(no_proxy_matches("Example.COM", "api.example.com", 443));
  EXPECT_TRUE(no_proxy_matches("example.com.", "example.com", 443));
  EXPECT_TRUE(no_proxy_matches("example.com", "API.Example.com.", 443));
}

TEST(NoProxy, HostWithPortOnlyMatchesThatPort) {
  EXPECT_TRUE(no_proxy_matches("example.com:8443", "example.com", 8443));
  EXPECT_FALSE(no_proxy_matches("example.com:8443", "example.com", 443));
  EXPECT_TRUE(no_proxy_matches("localhost:443,other", "localhost", 443));
}

TEST(NoProxy, ListSeparators) {
  const char* list = "foo.internal, localhost  127.0.0.1,\t.corp.example";
  EXPECT_TRUE(no_proxy_matches(list, "localhost", 1));
  EXPECT_TRUE(no_proxy_matches(list, "127.0.0.1", 1));
  EXPECT_TRUE(no_proxy_matches(list, "git.corp.example", 1));
  EXPECT_TRUE(no_proxy_matches(list, "foo.internal", 1));
  EXPECT_FALSE(no_proxy_matches(list, "api.githubcopilot.com", 443));
}

TEST(NoProxy, IpLiterals) {
  EXPECT_TRUE(no_proxy_matches("127.0.0.1", "127.0.0.1", 80));
  EXPECT_FALSE(no_proxy_matches("127.0.0.1", "127.0.0.10", 80));
  EXPECT_FALSE(no_proxy_matches("0.0.1", "127.0.0.1", 80));  // label match, but a different IP
  EXPECT_TRUE(no_proxy_matches("::1", "::1", 443));
  EXPECT_TRUE(no_proxy_matches("[::1]", "::1", 443));
  EXPECT_TRUE(no_proxy_matches("[::1]:443", "[::1]", 443));
  EXPECT_FALSE(no_proxy_matches("[::1]:443", "::1", 80));
}

TEST(NoProxy, MalformedEntriesAreIgnored) {
  EXPECT_FALSE(no_proxy_matches("example.com:abc", "example.com", 443));
  EXPECT_FALSE(no_proxy_matches("[::1", "::1", 443));
  EXPECT_FALSE(no_proxy_matches(".", "example.com", 443));
  EXPECT_TRUE(no_proxy_matches("example.com:abc,example.com", "example.com", 443));
}

}  // namespace
}  // namespace cg::upstream
