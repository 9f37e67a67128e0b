// GET /v1/models and /v1/models/{id} in OpenAI shape, or Anthropic shape for Anthropic clients
// (anthropic-version header, or the /anthropic/v1 prefix). Gateway and simulator in-process.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>

#include "harness.h"

namespace cg::test {
namespace {

namespace json = boost::json;

constexpr std::pair<const char*, const char*> kAnthropic{"anthropic-version", "2023-06-01"};

Response get(uint16_t port, std::string target,
             std::vector<std::pair<std::string, std::string>> headers = {}) {
  return request(port, http::verb::get, std::move(target), {}, std::move(headers));
}

std::vector<std::string> ids_of(const json::object& list) {
  std::vector<std::string> ids;
  for (const json::value& m : list.at("data").as_array())
    ids.emplace_back(m.at("id").as_string());
  return ids;
}

bool contains(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void expect_anthropic_list(const json::object& v) {
  EXPECT_FALSE(v.contains("object"));
  EXPECT_TRUE(v.at("has_more").is_bool());
  EXPECT_TRUE(v.contains("first_id"));
  EXPECT_TRUE(v.contains("last_id"));
  for (const json::value& m : v.at("data").as_array()) {
    EXPECT_EQ(m.at("type").as_string(), "model");
    EXPECT_TRUE(m.at("display_name").is_string());
    const std::string created(m.at("created_at").as_string());
    // RFC 3339, UTC: 2025-01-02T03:04:05Z
    EXPECT_EQ(created.size(), 20u) << created;
    EXPECT_EQ(created.back(), 'Z') << created;
    EXPECT_EQ(created[10], 'T') << created;
  }
}

class ModelsShape : public ::testing::Test {
 protected:
  void SetUp() override { env_ = start_env(); }
  uint16_t port() const { return env_->port(); }
  std::unique_ptr<Env> env_;
};

TEST_F(ModelsShape, OpenAIShapeWithoutAnthropicVersion) {
  Response r = get(port(), "/v1/models");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("object").as_string(), "list");
  EXPECT_FALSE(v.contains("has_more"));
  const auto ids = ids_of(v);
  EXPECT_TRUE(contains(ids, "gpt-4.1"));
  EXPECT_TRUE(contains(ids, "claude-sonnet-4.5"));
  for (const json::value& m : v.at("data").as_array())
    EXPECT_EQ(m.at("object").as_string(), "model");
}

TEST_F(ModelsShape, AnthropicShapeWithAnthropicVersion) {
  Response r = get(port(), "/v1/models", {kAnthropic});
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object v = json::parse(r.body).as_object();
  expect_anthropic_list(v);
  const auto ids = ids_of(v);
  EXPECT_TRUE(contains(ids, "claude-sonnet-4.5"));
  EXPECT_TRUE(contains(ids, "gpt-4.1"));
  EXPECT_FALSE(contains(ids, "text-embedding-3-small"));  // chat models only
  EXPECT_FALSE(v.at("has_more").as_bool());
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(v.at("first_id").as_string(), ids.front());
  EXPECT_EQ(v.at("last_id").as_string(), ids.back());
  // The same list under /anthropic/v1 without the header.
  Response p = get(port(), "/anthropic/v1/models");
  ASSERT_EQ(p.status, 200) << p.body;
  const json::object pv = json::parse(p.body).as_object();
  expect_anthropic_list(pv);
  EXPECT_EQ(ids_of(pv), ids);
}

TEST_F(ModelsShape, AnthropicPaging) {
  const auto all = ids_of(json::parse(get(port(), "/v1/models", {kAnthropic}).body).as_object());
  ASSERT_GE(all.size(), 4u);
  Response first = get(port(), "/v1/models?limit=2", {kAnthropic});
  ASSERT_EQ(first.status, 200);
  const json::object a = json::parse(first.body).as_object();
  EXPECT_EQ(ids_of(a), (std::vector<std::string>{all[0], all[1]}));
  EXPECT_TRUE(a.at("has_more").as_bool());
  EXPECT_EQ(a.at("last_id").as_string(), all[1]);
  Response second = get(port(), "/v1/models?limit=2&after_id=" + all[1], {kAnthropic});
  const json::object b = json::parse(second.body).as_object();
  EXPECT_EQ(ids_of(b), (std::vector<std::string>{all[2], all[3]}));
  EXPECT_EQ(b.at("first_id").as_string(), all[2]);
  Response back = get(port(), "/anthropic/v1/models?limit=1&before_id=" + all[2]);
  const json::object c = json::parse(back.body).as_object();
  EXPECT_EQ(ids_of(c), (std::vector<std::string>{all[1]}));
  EXPECT_TRUE(c.at("has_more").as_bool());
}

TEST_F(ModelsShape, OneModelInBothShapes) {
  Response o = get(port(), "/v1/models/claude-sonnet-4.5");
  ASSERT_EQ(o.status, 200) << o.body;
  const json::object ov = json::parse(o.body).as_object();
  EXPECT_EQ(ov.at("id").as_string(), "claude-sonnet-4.5");
  EXPECT_EQ(ov.at("object").as_string(), "model");
  EXPECT_FALSE(ov.contains("display_name"));

  Response a = get(port(), "/v1/models/claude-sonnet-4.5", {kAnthropic});
  ASSERT_EQ(a.status, 200) << a.body;
  const json::object av = json::parse(a.body).as_object();
  EXPECT_EQ(av.at("id").as_string(), "claude-sonnet-4.5");
  EXPECT_EQ(av.at("type").as_string(), "model");
  EXPECT_EQ(av.at("display_name").as_string(), "Claude Sonnet 4.5");
  EXPECT_TRUE(av.at("created_at").is_string());
  EXPECT_FALSE(av.contains("object"));

  Response p = get(port(), "/anthropic/v1/models/gpt-4.1");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(json::parse(p.body).at("display_name").as_string(), "GPT-4.1");
}

TEST_F(ModelsShape, OneModelByTheNamesClientsUse) {
  Response a = get(port(), "/v1/models/claude-sonnet-4-20250514", {kAnthropic});
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(json::parse(a.body).at("id").as_string(), "claude-sonnet-4");
  Response o = get(port(), "/v1/models/claude-haiku-4-5");
  ASSERT_EQ(o.status, 200) << o.body;
  EXPECT_EQ(json::parse(o.body).at("id").as_string(), "claude-haiku-4.5");
}

TEST_F(ModelsShape, UnknownModelIs404InTheClientsShape) {
  Response o = get(port(), "/v1/models/nope-1");
  EXPECT_EQ(o.status, 404);
  const json::object ov = json::parse(o.body).as_object();
  EXPECT_EQ(ov.at("error").at("code").as_string(), "model_not_found");
  EXPECT_FALSE(ov.contains("type"));

  Response a = get(port(), "/v1/models/nope-1", {kAnthropic});
  EXPECT_EQ(a.status, 404);
  const json::object av = json::parse(a.body).as_object();
  EXPECT_EQ(av.at("type").as_string(), "error");
  EXPECT_EQ(av.at("error").at("type").as_string(), "not_found_error");
  EXPECT_NE(std::string(av.at("error").at("message").as_string()).find("nope-1"),
            std::string::npos);

  Response p = get(port(), "/anthropic/v1/models/nope-1");
  EXPECT_EQ(p.status, 404);
  EXPECT_EQ(json::parse(p.body).at("error").at("type").as_string(), "not_found_error");
}

TEST_F(ModelsShape, AnthropicClientsGetAnthropicAuthErrors) {
  Response r = request(port(), http::verb::get, "/v1/models", {},
                       {{"x-api-key", "wrong"}, {kAnthropic.first, kAnthropic.second}}, false);
  EXPECT_EQ(r.status, 401);
  const json::object v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("type").as_string(), "error");
  EXPECT_EQ(v.at("error").at("type").as_string(), "authentication_error");
}

}  // namespace
}  // namespace cg::test
