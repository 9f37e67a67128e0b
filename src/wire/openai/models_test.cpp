// Tests for the Copilot catalog parser and the OpenAI models list rendering.
#include "wire/openai/models.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace cg::wire::openai {
namespace {

const char* kCatalog = R"({"object":"list","data":[
  {"id":"claude-sonnet-4.5","name":"Claude Sonnet 4.5","vendor":"Anthropic",
   "version":"claude-sonnet-4.5",
   "preview":false,"model_picker_enabled":true,"billing":{"is_premium":true,"multiplier":1},
   "supported_endpoints":["/chat/completions","/v1/messages"],
   "capabilities":{"type":"chat","family":"claude-sonnet-4.5","tokenizer":"o200k_base",
     "limits":{"max_context_window_tokens":200000,"max_prompt_tokens":128000,
               "max_output_tokens":16000,
               "vision":{"max_prompt_images":5}},
     "supports":{"streaming":true,"tool_calls":true,"vision":true,"thinking":true,
                 "max_thinking_budget":32000}}},
  {"id":"text-embedding-3-small","name":"Embedding V3 small","vendor":"Azure OpenAI","version":"1",
   "preview":true,"billing":{"is_premium":false,"multiplier":0.33},
   "capabilities":{"type":"embeddings","family":"text-embedding-3-small","tokenizer":"cl100k_base",
     "limits":{"max_inputs":512},"supports":{"dimensions":true}}},
  {"id":"no-vendor","capabilities":{}},
  {"name":"no id is skipped"}
]})";

TEST(Catalog, Parse) {
  auto c = wire::copilot::parse_catalog(kCatalog);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->models.size(), 3u);
  const auto* m = c->find("claude-sonnet-4.5");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->vendor, "Anthropic");
  EXPECT_EQ(m->type, "chat");
  EXPECT_TRUE(m->premium);
  EXPECT_EQ(m->multiplier, 1.0);
  EXPECT_EQ(m->supported_endpoints,
            (std::vector<std::string>{"/chat/completions", "/v1/messages"}));
  EXPECT_EQ(m->max_context_window_tokens, 200000);
  EXPECT_EQ(m->max_prompt_tokens, 128000);
  EXPECT_EQ(m->max_output_tokens, 16000);
  EXPECT_TRUE(m->supports_streaming && m->supports_tool_calls && m->supports_vision &&
              m->supports_thinking);
  EXPECT_FALSE(m->limits_json.empty());
  const auto* e = c->find("text-embedding-3-small");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->max_output_tokens, -1);
  EXPECT_FALSE(e->supports_streaming);
  EXPECT_EQ(c->find("missing"), nullptr);
}

TEST(Catalog, Errors) {
  EXPECT_FALSE(wire::copilot::parse_catalog("not json").ok());
  EXPECT_FALSE(wire::copilot::parse_catalog(R"({"object":"list"})").ok());
  EXPECT_EQ(wire::copilot::parse_catalog("{}").error().status, 502);
  auto bare = wire::copilot::parse_catalog(R"([{"id":"a"}])");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->models.size(), 1u);
}

TEST(Models, RenderList) {
  auto c = wire::copilot::parse_catalog(kCatalog);
  ASSERT_TRUE(c.ok());
  std::string s = render_models(*c, 1700000000);
  boost::system::error_code ec;
  auto v = boost::json::parse(s, ec);
  ASSERT_FALSE(ec) << s;
  EXPECT_EQ(v.at("object").as_string(), "list");
  const auto& data = v.at("data").as_array();
  ASSERT_EQ(data.size(), 3u);
  const auto& m = data[0].as_object();
  EXPECT_EQ(m.at("id").as_string(), "claude-sonnet-4.5");
  EXPECT_EQ(m.at("object").as_string(), "model");
  EXPECT_EQ(m.at("created").as_int64(), 1700000000);
  EXPECT_EQ(m.at("owned_by").as_string(), "anthropic");
  EXPECT_EQ(m.at("name").as_string(), "Claude Sonnet 4.5");
  EXPECT_EQ(m.at("vendor").as_string(), "Anthropic");
  EXPECT_EQ(m.at("version").as_string(), "claude-sonnet-4.5");
  EXPECT_FALSE(m.at("preview").as_bool());
  EXPECT_EQ(m.at("type").as_string(), "chat");
  EXPECT_TRUE(m.at("billing").at("is_premium").as_bool());
  EXPECT_EQ(m.at("billing").at("multiplier").to_number<double>(), 1.0);
  EXPECT_EQ(m.at("supported_endpoints").as_array().size(), 2u);
  EXPECT_EQ(m.at("limits").at("max_prompt_tokens").as_int64(), 128000);
  EXPECT_EQ(m.at("limits").at("vision").at("max_prompt_images").as_int64(), 5);
  EXPECT_TRUE(m.at("supports").at("tool_calls").as_bool());
  EXPECT_EQ(m.at("family").as_string(), "claude-sonnet-4.5");
  EXPECT_EQ(m.at("tokenizer").as_string(), "o200k_base");

  const auto& emb = data[1].as_object();
  EXPECT_EQ(emb.at("owned_by").as_string(), "azure openai");
  EXPECT_DOUBLE_EQ(emb.at("billing").at("multiplier").as_double(), 0.33);
  EXPECT_TRUE(emb.at("preview").as_bool());

  const auto& bare = data[2].as_object();
  EXPECT_EQ(bare.at("owned_by").as_string(), "github-copilot");
  EXPECT_TRUE(bare.at("limits").as_object().empty());
  EXPECT_TRUE(bare.at("supports").as_object().empty());
  EXPECT_TRUE(bare.at("supported_endpoints").as_array().empty());
}

TEST(Models, RenderOne) {
  auto c = wire::copilot::parse_catalog(kCatalog);
  ASSERT_TRUE(c.ok());
  auto one = render_model(*c, "text-embedding-3-small", 5);
  ASSERT_TRUE(one);
  boost::system::error_code ec;
  auto v = boost::json::parse(*one, ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(v.at("id").as_string(), "text-embedding-3-small");
  EXPECT_EQ(v.at("type").as_string(), "embeddings");
  EXPECT_FALSE(render_model(*c, "nope", 5));
}

}  // namespace
}  // namespace cg::wire::openai
