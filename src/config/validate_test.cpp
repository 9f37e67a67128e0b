// Tests for validate() and is_loopback_host(). Test thread only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "config/load.h"

namespace cg {
namespace {

using ::testing::HasSubstr;

TEST(Loopback, Recognised) {
  for (const char* h : {"127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "[::1]", "localhost",
                        "LocalHost", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_loopback_host(h)) << h;
  }
  for (const char* h :
       {"0.0.0.0", "::", "[::]", "128.0.0.1", "10.0.0.1", "192.168.1.1", "example.com",
        "localhost.example.com", "", "127.0.0.1.nip.io", "::ffff:10.0.0.1", "fe80::1"}) {
    EXPECT_FALSE(is_loopback_host(h)) << h;
  }
}

TEST(Validate, DefaultsAreValid) {
  EXPECT_EQ(validate(Config{}), std::nullopt);
}

std::string error_of(const Config& c) {
  auto e = validate(c);
  EXPECT_TRUE(e.has_value());
  return e.value_or("");
}

TEST(Validate, RejectsBadNumbers) {
  Config c;
  c.server.workers = -1;
  EXPECT_THAT(error_of(c), HasSubstr("--workers"));
  c = {};
  c.server.max_body_bytes = 0;
  EXPECT_THAT(error_of(c), HasSubstr("--max-body-bytes"));
  c = {};
  c.server.max_header_bytes = 0;
  EXPECT_THAT(error_of(c), HasSubstr("--max-header-bytes"));
  c = {};
  c.upstream.first_byte_timeout = Millis(0);
  EXPECT_THAT(error_of(c), HasSubstr("--first-byte-timeout-ms"));
  c = {};
  c.auth.retry_max = Millis(100);
  c.auth.retry_initial = Millis(200);
  EXPECT_THAT(error_of(c), HasSubstr("--token-retry-max-ms"));
  c = {};
  c.auth.retry_attempts = 0;
  EXPECT_THAT(error_of(c), HasSubstr("--token-retry-attempts"));
  c = {};
  c.auth.refresh_margin = Millis(0);  // a zero margin is allowed
  EXPECT_EQ(validate(c), std::nullopt);
}

TEST(Validate, ReportsEveryProblemOnItsOwnLine) {
  Config c;
  c.server.workers = -1;
  c.server.idle_timeout = Millis(0);
  c.log.level = "loud";
  std::string e = error_of(c);
  EXPECT_THAT(e, HasSubstr("--workers"));
  EXPECT_THAT(e, HasSubstr("--idle-timeout-ms"));
  EXPECT_THAT(e, HasSubstr("--log-level"));
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 2);
}

TEST(Validate, Urls) {
  auto url_ok = [](const std::string& url) {
    Config c;
    c.upstream.github_api_url = url;
    return !validate(c).has_value();
  };
  EXPECT_TRUE(url_ok("https://api.github.com"));
  EXPECT_TRUE(url_ok("http://127.0.0.1:8080/base"));
  EXPECT_TRUE(url_ok("HTTPS://Example.com/"));
  EXPECT_TRUE(url_ok("http://[::1]:9000"));
  EXPECT_FALSE(url_ok(""));
  EXPECT_FALSE(url_ok("api.github.com"));
  EXPECT_FALSE(url_ok("ftp://api.github.com"));
  EXPECT_FALSE(url_ok("https://"));
  EXPECT_FALSE(url_ok("https://:443"));
  EXPECT_FALSE(url_ok("https://host:0"));
  EXPECT_FALSE(url_ok("https://host:99999"));
  EXPECT_FALSE(url_ok("https://host:12ab"));
  EXPECT_FALSE(url_ok("https://ho st"));

  Config c;
  c.upstream.copilot_api_url = "not a url";
  EXPECT_THAT(error_of(c), HasSubstr("--copilot-api-url"));
  c = {};
  c.upstream.https_proxy = "proxy:3128";
  EXPECT_THAT(error_of(c), HasSubstr("--https-proxy"));
  c.upstream.https_proxy = "http://user:pw@proxy:3128";
  EXPECT_EQ(validate(c), std::nullopt);
}

TEST(Validate, Enumerations) {
  Config c;
  c.upstream.account_type = "personal";
  EXPECT_THAT(error_of(c), HasSubstr("--account-type"));
  c = {};
  c.upstream.account_type = "enterprise";
  c.log.level = "warn";
  EXPECT_EQ(validate(c), std::nullopt);
}

TEST(Validate, RemoteWithoutKeysNeedsExplicitOptIn) {
  Config c;
  c.server.host = "0.0.0.0";
  std::string e = error_of(c);
  EXPECT_THAT(e, HasSubstr("0.0.0.0"));
  EXPECT_THAT(e, HasSubstr("API_KEY"));
  EXPECT_THAT(e, HasSubstr("--allow-unauthenticated-remote"));
  c.server.allow_unauthenticated_remote = true;
  EXPECT_EQ(validate(c), std::nullopt);
  c.server.allow_unauthenticated_remote = false;
  c.auth.api_keys = {"sk-team"};
  EXPECT_EQ(validate(c), std::nullopt);
  c.auth.api_keys = {};
  c.server.host = "::1";
  EXPECT_EQ(validate(c), std::nullopt);
}

}  // namespace
}  // namespace cg
