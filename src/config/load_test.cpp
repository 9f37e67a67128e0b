// Tests for load_config: every field settable by flag, env and TOML; precedence flags > env >
// TOML > defaults; error messages for bad flags, numbers and TOML files; --help. Test thread only.
#include "config/load.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <type_traits>

#include "config/fields.h"
#include "config/test_util.h"

namespace cg {
namespace {

using config_detail::Field;
using config_test::fake_env;
using config_test::TempFile;
using ::testing::HasSubstr;
using ::testing::Not;

const EnvLookup kNoEnv = fake_env({});

Config load_ok(const std::vector<std::string>& args, const EnvLookup& env = kNoEnv) {
  Result<Config> r = load_config(args, env);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : Config{};
}

ApiError load_err(const std::vector<std::string>& args, const EnvLookup& env = kNoEnv) {
  Result<Config> r = load_config(args, env);
  EXPECT_FALSE(r.ok());
  return r.ok() ? ApiError{} : std::move(r).error();
}

// The field's value as text, for comparisons.
std::string show(const Field& f, Config c) {
  return std::visit(
      [](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return *p;
        } else if constexpr (std::is_same_v<T, bool>) {
          return *p ? "true" : "false";
        } else if constexpr (std::is_same_v<T, Millis>) {
          return std::to_string(p->count());
        } else if constexpr (std::is_integral_v<T>) {
          return std::to_string(*p);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          std::string s;
          for (auto& v : *p)
            s += v + ",";
          return s;
        } else {
          std::string s;
          for (auto& [k, v] : *p)
            s += k + "=" + v + ",";
          return s;
        }
      },
      f.target(c));
}

// A valid, non-default value for `f`: {flag/env text, TOML literal, expected show()}.
struct Sample {
  std::string text, toml, expected;
};
Sample sample_for(const Field& f) {
  const std::string key(f.key);
  Config probe;
  config_detail::Target t = f.target(probe);
  if (std::holds_alternative<std::string*>(t)) {
    std::string v = "custom-" + key;
    if (key == "host") v = "127.0.0.2";
    if (key == "github_api_url") v = "http://127.0.0.1:9999/gh";
    if (key == "github_url") v = "http://127.0.0.1:9999/web";
    if (key == "copilot_api_url") v = "https://copilot.example";
    if (key == "https_proxy") v = "http://proxy.example:3128";
    if (key == "account_type") v = "business";
    if (key == "level") v = "debug";
    if (key == "strategy") v = "round-robin";
    if (key == "free_strategy") v = "round-robin";
    return {v, "\"" + v + "\"", v};
  }
  if (std::holds_alternative<bool*>(t)) {
    std::string v = f.inverted_flag ? "false" : "true";
    return {v, v, v};
  }
  if (std::holds_alternative<std::vector<std::string>*>(t)) {
    return {"k1,k2", "[\"k1\", \"k2\"]", "k1,k2,"};
  }
  if (std::holds_alternative<std::map<std::string, std::string>*>(t)) {
    return {"a=b,c=d", "{ a = \"b\", c = \"d\" }", "a=b,c=d,"};
  }
  std::string v = "4321";
  if (key == "port") v = "8080";
  if (key == "workers") v = "3";
  if (key == "retry_attempts") v = "7";
  if (key == "max_failovers") v = "5";
  if (key == "breaker_failures") v = "7";
  return {v, v, v};
}

TEST(LoadConfig, DefaultsWithoutAnySource) {
  Config c = load_ok({});
  Config d;
  for (const Field& f : config_detail::fields())
    EXPECT_EQ(show(f, c), show(f, d)) << f.key;
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 4141);
  EXPECT_TRUE(c.config_file.empty());
}

TEST(LoadConfig, EveryFieldSettableByFlag) {
  for (const Field& f : config_detail::fields()) {
    Sample s = sample_for(f);
    ASSERT_NE(show(f, Config{}), s.expected) << "sample equals default for " << f.key;
    std::vector<std::string> args;
    Config probe;
    if (std::holds_alternative<bool*>(f.target(probe))) {
      args = {"--" + std::string(f.flag)};
    } else if (config_detail::is_repeatable(f)) {
      for (const std::string& item : config_detail::split_list(s.text)) {
        args.push_back("--" + std::string(f.flag));
        args.push_back(item);
      }
    } else {
      args = {"--" + std::string(f.flag), s.text};
    }
    Config c = load_ok(args);
    EXPECT_EQ(show(f, c), s.expected) << "flag --" << f.flag;
  }
}

TEST(LoadConfig, EveryFieldSettableByEnv) {
  for (const Field& f : config_detail::fields()) {
    Sample s = sample_for(f);
    Config c = load_ok({}, fake_env({{std::string(f.env), s.text}}));
    EXPECT_EQ(show(f, c), s.expected) << "env " << f.env;
  }
}

TEST(LoadConfig, EveryFieldSettableByToml) {
  for (const Field& f : config_detail::fields()) {
    Sample s = sample_for(f);
    TempFile file("[" + std::string(f.table) + "]\n" + std::string(f.key) + " = " + s.toml + "\n");
    Config c = load_ok({"--config", file.path()});
    EXPECT_EQ(show(f, c), s.expected) << "toml " << f.table << "." << f.key;
    EXPECT_EQ(c.config_file, file.path());
  }
}

TEST(LoadConfig, PrecedenceFlagsOverEnvOverTomlOverDefaults) {
  TempFile file("[server]\nport = 1000\nworkers = 1\n[auth]\napi_keys = [\"toml-key\"]\n");
  auto env = fake_env({{"CONFIG", file.path()}, {"PORT", "2000"}, {"API_KEY", "env-key"}});
  Config c = load_ok({"--port", "3000"}, env);
  EXPECT_EQ(c.server.port, 3000);
  EXPECT_EQ(c.server.workers, 1);  // only in TOML
  EXPECT_EQ(c.auth.api_keys, std::vector<std::string>{"env-key"});
  EXPECT_EQ(c.server.idle_timeout, Millis(75'000));  // default

  EXPECT_EQ(load_ok({}, env).server.port, 2000);
  EXPECT_EQ(load_ok({}, fake_env({{"CONFIG", file.path()}})).server.port, 1000);
  EXPECT_EQ(load_ok({"--api-key", "flag-key"}, env).auth.api_keys,
            std::vector<std::string>{"flag-key"});
}

TEST(LoadConfig, ConfigFlagBeatsConfigEnv) {
  TempFile a("[server]\nport = 1111\n"), b("[server]\nport = 2222\n");
  Config c = load_ok({"--config", b.path()}, fake_env({{"CONFIG", a.path()}}));
  EXPECT_EQ(c.server.port, 2222);
  EXPECT_EQ(c.config_file, b.path());
}

TEST(LoadConfig, FlagSyntaxVariants) {
  Config c =
      load_ok({"--port=9000", "--api-key", "one", "--api-key=two", "--model-alias", "gpt-4=gpt-4.1",
               "--model-alias", "sonnet=claude-sonnet-4", "--no-access-log"});
  EXPECT_EQ(c.server.port, 9000);
  EXPECT_EQ(c.auth.api_keys, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(c.api.model_aliases.at("gpt-4"), "gpt-4.1");
  EXPECT_EQ(c.api.model_aliases.at("sonnet"), "claude-sonnet-4");
  EXPECT_FALSE(c.log.access_log);
}

TEST(LoadConfig, EnvListsAndMaps) {
  Config c = load_ok({}, fake_env({{"API_KEY", " k1, k2,,k3 "},
                                   {"MODEL_ALIASES", "a=b, c = d"},
                                   {"ACCESS_LOG", "off"}}));
  EXPECT_EQ(c.auth.api_keys, (std::vector<std::string>{"k1", "k2", "k3"}));
  EXPECT_EQ(c.api.model_aliases, (std::map<std::string, std::string>{{"a", "b"}, {"c", "d"}}));
  EXPECT_FALSE(c.log.access_log);
}

TEST(LoadConfig, ProxyEnvSpellings) {
  EXPECT_EQ(load_ok({}, fake_env({{"https_proxy", "http://low:1"}})).upstream.https_proxy,
            "http://low:1");
  EXPECT_EQ(load_ok({}, fake_env({{"HTTPS_PROXY", "http://up:1"}, {"https_proxy", "http://low:1"}}))
                .upstream.https_proxy,
            "http://up:1");
  EXPECT_EQ(load_ok({}, fake_env({{"no_proxy", "localhost,.internal"}})).upstream.no_proxy,
            "localhost,.internal");
}

TEST(LoadConfig, EmptyEnvValuesAreUnset) {
  Config c = load_ok({}, fake_env({{"PORT", ""}, {"HOST", ""}, {"CONFIG", ""}}));
  EXPECT_EQ(c.server.port, 4141);
  EXPECT_EQ(c.server.host, "127.0.0.1");
}

TEST(LoadConfig, TomlMillisKeysMayCarryUnit) {
  TempFile file("[server]\nheader_timeout_ms = 1234\n[upstream]\nconnect_timeout = 55\n");
  Config c = load_ok({"--config", file.path()});
  EXPECT_EQ(c.server.header_timeout, Millis(1234));
  EXPECT_EQ(c.upstream.connect_timeout, Millis(55));
}

TEST(LoadConfig, TomlModelAliasesTable) {
  TempFile file("[api.model_aliases]\n\"gpt-4\" = \"gpt-4.1\"\nfast = \"gpt-4o-mini\"\n");
  Config c = load_ok({"--config", file.path()});
  EXPECT_EQ(c.api.model_aliases,
            (std::map<std::string, std::string>{{"gpt-4", "gpt-4.1"}, {"fast", "gpt-4o-mini"}}));
}

TEST(LoadConfigErrors, UnknownFlag) {
  ApiError e = load_err({"--bogus", "1"});
  EXPECT_EQ(e.status, 2);
  EXPECT_EQ(e.type, kConfigErrorType);
  EXPECT_THAT(e.message, HasSubstr("--bogus"));
  EXPECT_THAT(load_err({"stray"}).message, HasSubstr("stray"));
}

TEST(LoadConfigErrors, BadNumbers) {
  EXPECT_THAT(load_err({"--port", "abc"}).message, HasSubstr("--port"));
  EXPECT_THAT(load_err({"--port", "70000"}).message, HasSubstr("--port"));
  EXPECT_THAT(load_err({"--max-body-bytes", "-5"}).message, HasSubstr("--max-body-bytes"));
  EXPECT_THAT(load_err({"--header-timeout-ms", "10s"}).message, HasSubstr("--header-timeout-ms"));
  ApiError e = load_err({}, fake_env({{"WORKERS", "many"}}));
  EXPECT_THAT(e.message, HasSubstr("WORKERS"));
  EXPECT_THAT(e.message, HasSubstr("many"));
  EXPECT_THAT(load_err({}, fake_env({{"ACCESS_LOG", "maybe"}})).message, HasSubstr("ACCESS_LOG"));
  EXPECT_THAT(load_err({"--model-alias", "nonsense"}).message, HasSubstr("alias=model"));
}

TEST(LoadConfigErrors, MissingFlagValue) {
  EXPECT_THAT(load_err({"--port"}).message, HasSubstr("port"));
}

TEST(LoadConfigErrors, UnreadableToml) {
  ApiError e = load_err({"--config", "/nonexistent/dir/gw.toml"});
  EXPECT_EQ(e.status, 2);
  EXPECT_THAT(e.message, HasSubstr("/nonexistent/dir/gw.toml"));
  EXPECT_THAT(e.message, HasSubstr("cannot read"));
}

TEST(LoadConfigErrors, TomlSyntaxErrorHasFileAndLine) {
  TempFile file("[server]\nport = 80\nhost = \"unterminated\n");
  ApiError e = load_err({"--config", file.path()});
  EXPECT_THAT(e.message, HasSubstr(file.path() + ":3:"));
}

TEST(LoadConfigErrors, TomlUnknownKeyAndTable) {
  TempFile key("[server]\nport = 80\nprot = 81\n");
  ApiError e = load_err({"--config", key.path()});
  EXPECT_THAT(e.message, HasSubstr("server.prot"));
  EXPECT_THAT(e.message, HasSubstr(key.path() + ":3:"));

  TempFile table("[servre]\nport = 80\n");
  EXPECT_THAT(load_err({"--config", table.path()}).message, HasSubstr("'servre'"));

  TempFile top("port = 80\n");
  EXPECT_THAT(load_err({"--config", top.path()}).message, HasSubstr("'port'"));
}

TEST(LoadConfigErrors, TomlWrongTypes) {
  TempFile port("[server]\n\nport = \"eighty\"\n");
  ApiError e = load_err({"--config", port.path()});
  EXPECT_THAT(e.message, HasSubstr("server.port"));
  EXPECT_THAT(e.message, HasSubstr(port.path() + ":3:"));
  TempFile big("[server]\nport = 65536\n");
  EXPECT_THAT(load_err({"--config", big.path()}).message, HasSubstr("server.port"));
  TempFile keys("[auth]\napi_keys = \"single\"\n");
  EXPECT_THAT(load_err({"--config", keys.path()}).message, HasSubstr("auth.api_keys"));
  TempFile neg("[server]\nidle_timeout = -1\n");
  EXPECT_THAT(load_err({"--config", neg.path()}).message, HasSubstr("server.idle_timeout"));
}

TEST(LoadConfigErrors, ValidationRunsAfterMerge) {
  ApiError e = load_err({"--host", "0.0.0.0"});
  EXPECT_EQ(e.status, 2);
  EXPECT_THAT(e.message, HasSubstr("API_KEY"));
  EXPECT_THAT(e.message, HasSubstr("--allow-unauthenticated-remote"));
  EXPECT_EQ(load_ok({"--host", "0.0.0.0", "--allow-unauthenticated-remote"}).server.host,
            "0.0.0.0");
  EXPECT_EQ(load_ok({"--host", "0.0.0.0"}, fake_env({{"API_KEY", "sk-x"}})).server.host, "0.0.0.0");
  EXPECT_THAT(load_err({"--idle-timeout-ms", "0"}).message, HasSubstr("--idle-timeout-ms"));
}

TEST(LoadConfigErrors, SecretsNeverEchoed) {
  ApiError e = load_err({}, fake_env({{"HTTPS_PROXY", "ftp://user:hunter2@proxy:1"},
                                      {"GITHUB_TOKEN", "ghu_supersecret"}}));
  EXPECT_THAT(e.message, HasSubstr("HTTPS_PROXY"));
  EXPECT_THAT(e.message, Not(HasSubstr("hunter2")));
  EXPECT_THAT(e.message, Not(HasSubstr("supersecret")));
}

TEST(LoadConfig, HelpReturnsUsage) {
  for (const char* flag : {"--help", "-h"}) {
    ApiError e = load_err({"--port", "1", flag});
    EXPECT_EQ(e.type, kHelpType);
    EXPECT_EQ(e.status, 0);
    EXPECT_EQ(e.message, serve_usage());
  }
  std::string usage = serve_usage();
  for (const Field& f : config_detail::fields()) {
    EXPECT_THAT(usage, HasSubstr("--" + std::string(f.flag))) << f.flag;
    EXPECT_THAT(usage, HasSubstr(std::string(f.env))) << f.env;
  }
  EXPECT_THAT(usage, HasSubstr("--config"));
  EXPECT_THAT(usage, HasSubstr("default 4141"));
}

TEST(LoadConfig, ProcessEnvReadsRealEnvironment) {
  ::setenv("CG_LOAD_TEST_VAR", "value", 1);
  EnvLookup env = process_env();
  EXPECT_EQ(env("CG_LOAD_TEST_VAR"), "value");
  ::unsetenv("CG_LOAD_TEST_VAR");
  EXPECT_EQ(env("CG_LOAD_TEST_VAR"), std::nullopt);
}

}  // namespace
}  // namespace cg
