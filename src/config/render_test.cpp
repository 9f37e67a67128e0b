// Tests for render_effective() and mask_secret(): secrets masked, output is TOML that loads back
// to the same configuration. Test thread only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/load.h"
#include "config/test_util.h"

namespace cg {
namespace {

using config_test::fake_env;
using config_test::TempFile;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(MaskSecret, ShowsAtMostLastFour) {
  EXPECT_EQ(mask_secret(""), "");
  EXPECT_EQ(mask_secret("short"), "****");
  EXPECT_EQ(mask_secret("elevenchars"), "****");
  EXPECT_EQ(mask_secret("ghu_0123456789abcdef"), "****cdef");
}

TEST(RenderEffective, MasksEverySecret) {
  Config c;
  c.auth.github_token = "ghu_verysecretgithubtoken1234";
  c.auth.copilot_token = "tid=abc;exp=123;sku=secretsecret;8kp=1:zz99";
  c.auth.api_keys = {"sk-team-alpha-000111", "sk-team-beta-222333"};
  c.upstream.https_proxy = "http://alice:pr0xypass@proxy.example:3128";
  std::string out = render_effective(c);
  EXPECT_THAT(out, Not(HasSubstr("verysecret")));
  EXPECT_THAT(out, Not(HasSubstr("secretsecret")));
  EXPECT_THAT(out, Not(HasSubstr("alpha")));
  EXPECT_THAT(out, Not(HasSubstr("beta")));
  EXPECT_THAT(out, Not(HasSubstr("pr0xypass")));
  EXPECT_THAT(out, Not(HasSubstr("alice")));
  EXPECT_THAT(out, HasSubstr("github_token = \"****1234\""));
  EXPECT_THAT(out, HasSubstr("api_keys = [\"****0111\", \"****2333\"]"));
  EXPECT_THAT(out, HasSubstr("https_proxy = \"http://****@proxy.example:3128\""));
}

TEST(RenderEffective, HasEveryTableAndLoadsBack) {
  Config c;
  c.server.port = 8081;
  c.server.workers = 2;
  c.server.header_timeout = Millis(1500);
  c.upstream.copilot_api_url = "https://api.business.githubcopilot.com";
  c.upstream.no_proxy = "localhost,.corp";
  c.upstream.user_agent = "ua \"quoted\" \\ back";
  c.api.model_aliases = {{"gpt-4", "gpt-4.1"}, {"weird key", "x"}};
  c.log.level = "debug";
  c.log.access_log = false;
  std::string out = render_effective(c);
  for (const char* t :
       {"[server]", "[upstream]", "[auth]", "[api.model_aliases]", "[log]", "[store]"}) {
    EXPECT_THAT(out, HasSubstr(t));
  }
  EXPECT_THAT(out, HasSubstr("port = 8081"));
  EXPECT_THAT(out, HasSubstr("header_timeout = 1500"));

  TempFile file(out);
  Result<Config> back = load_config({"--config", file.path()}, fake_env({}));
  ASSERT_TRUE(back.ok()) << back.error().message << "\n" << out;
  Config expected = c;
  expected.config_file = file.path();
  EXPECT_EQ(render_effective(*back), render_effective(expected));
  EXPECT_EQ(back->upstream.user_agent, c.upstream.user_agent);
  EXPECT_EQ(back->api.model_aliases, c.api.model_aliases);
  EXPECT_FALSE(back->log.access_log);
}

TEST(RenderEffective, DefaultsLoadBackUnchanged) {
  std::string out = render_effective(Config{});
  TempFile file(out);
  Result<Config> back = load_config({"--config", file.path()}, fake_env({}));
  ASSERT_TRUE(back.ok()) << back.error().message << "\n" << out;
  Config expected;
  expected.config_file = file.path();
  EXPECT_EQ(render_effective(*back), render_effective(expected));
}

}  // namespace
}  // namespace cg
