// Tests for the Anthropic-shaped model list: paging, ids, created_at, chat models only.
#include "wire/anthropic/models.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cg::wire::anthropic {
namespace {

namespace json = boost::json;
using wire::copilot::ModelCatalog;
using wire::copilot::ModelInfo;

constexpr int64_t kCreated = 1700000000;  // 2023-11-14T22:13:20Z

ModelCatalog catalog() {
  ModelCatalog c;
  for (const char* id : {"a", "b", "c", "d", "e"}) {
    ModelInfo m;
    m.id = id;
    m.name = std::string("Model ") + id;
    m.type = "chat";
    c.models.push_back(m);
  }
  ModelInfo emb;
  emb.id = "emb";
  emb.type = "embeddings";
  c.models.insert(c.models.begin() + 2, emb);  // between b and c
  ModelInfo untyped;
  untyped.id = "f";  // no name, no type: listed, named by its id
  c.models.push_back(untyped);
  return c;
}

struct Page {
  std::vector<std::string> ids;
  bool has_more = false;
  std::string first_id, last_id;  // "null" for JSON null
  json::object raw;
};

Page list(const ModelPage& page) {
  const std::string body = render_models(catalog(), kCreated, page);
  Page p;
  p.raw = json::parse(body).as_object();
  for (const json::value& m : p.raw.at("data").as_array())
    p.ids.emplace_back(m.at("id").as_string());
  p.has_more = p.raw.at("has_more").as_bool();
  auto id = [](const json::value& v) {
    return v.is_null() ? std::string("null") : std::string(v.as_string());
  };
  p.first_id = id(p.raw.at("first_id"));
  p.last_id = id(p.raw.at("last_id"));
  return p;
}

ModelPage page(std::string_view after, std::string_view before, int limit) {
  ModelPage p;
  p.after_id = after;
  p.before_id = before;
  p.limit = limit;
  return p;
}

using Ids = std::vector<std::string>;

TEST(AnthropicModels, WholeListHasChatModelsOnly) {
  const Page p = list(ModelPage{});
  EXPECT_EQ(p.ids, (Ids{"a", "b", "c", "d", "e", "f"}));
  EXPECT_FALSE(p.has_more);
  EXPECT_EQ(p.first_id, "a");
  EXPECT_EQ(p.last_id, "f");
  EXPECT_EQ(p.raw.size(), 4u);
}

TEST(AnthropicModels, ModelObjects) {
  const Page p = list(ModelPage{});
  const json::object& a = p.raw.at("data").at(0).as_object();
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a.at("type").as_string(), "model");
  EXPECT_EQ(a.at("id").as_string(), "a");
  EXPECT_EQ(a.at("display_name").as_string(), "Model a");
  EXPECT_EQ(a.at("created_at").as_string(), "2023-11-14T22:13:20Z");
  const json::object& f = p.raw.at("data").at(5).as_object();
  EXPECT_EQ(f.at("display_name").as_string(), "f");
  EXPECT_EQ(json::parse(render_models(catalog(), 0, ModelPage{}))
                .at("data")
                .at(0)
                .at("created_at")
                .as_string(),
            "1970-01-01T00:00:00Z");
}

TEST(AnthropicModels, ForwardPaging) {
  Page p = list(page("", "", 2));
  EXPECT_EQ(p.ids, (Ids{"a", "b"}));
  EXPECT_TRUE(p.has_more);
  EXPECT_EQ(p.first_id, "a");
  EXPECT_EQ(p.last_id, "b");

  p = list(page(p.last_id, "", 2));
  EXPECT_EQ(p.ids, (Ids{"c", "d"}));  // the embeddings model is skipped
  EXPECT_TRUE(p.has_more);

  p = list(page(p.last_id, "", 2));
  EXPECT_EQ(p.ids, (Ids{"e", "f"}));
  EXPECT_FALSE(p.has_more);
  EXPECT_EQ(p.last_id, "f");

  p = list(page("f", "", 2));
  EXPECT_TRUE(p.ids.empty());
  EXPECT_FALSE(p.has_more);
  EXPECT_EQ(p.first_id, "null");
  EXPECT_EQ(p.last_id, "null");
}

TEST(AnthropicModels, BackwardPaging) {
  Page p = list(page("", "e", 2));
  EXPECT_EQ(p.ids, (Ids{"c", "d"}));  // the page just before e
  EXPECT_TRUE(p.has_more);
  EXPECT_EQ(p.first_id, "c");
  EXPECT_EQ(p.last_id, "d");

  p = list(page("", p.first_id, 2));
  EXPECT_EQ(p.ids, (Ids{"a", "b"}));
  EXPECT_FALSE(p.has_more);

  p = list(page("", "a", 2));
  EXPECT_TRUE(p.ids.empty());
  EXPECT_FALSE(p.has_more);
  EXPECT_EQ(p.first_id, "null");
}

TEST(AnthropicModels, BothBounds) {
  Page p = list(page("a", "f", 20));
  EXPECT_EQ(p.ids, (Ids{"b", "c", "d", "e"}));
  EXPECT_FALSE(p.has_more);
  p = list(page("a", "f", 3));
  EXPECT_EQ(p.ids, (Ids{"b", "c", "d"}));
  EXPECT_TRUE(p.has_more);
  p = list(page("d", "b", 20));  // crossed bounds: nothing
  EXPECT_TRUE(p.ids.empty());
}

TEST(AnthropicModels, LimitIsAtLeastOne) {
  Page p = list(page("", "", 0));
  EXPECT_EQ(p.ids, (Ids{"a"}));
  EXPECT_TRUE(p.has_more);
  p = list(page("", "", 6));
  EXPECT_EQ(p.ids.size(), 6u);
  EXPECT_FALSE(p.has_more);
  p = list(page("", "", 5));
  EXPECT_EQ(p.ids.size(), 5u);
  EXPECT_TRUE(p.has_more);
}

TEST(AnthropicModels, EmptyCatalog) {
  const json::object v =
      json::parse(render_models(ModelCatalog{}, kCreated, ModelPage{})).as_object();
  EXPECT_TRUE(v.at("data").as_array().empty());
  EXPECT_FALSE(v.at("has_more").as_bool());
  EXPECT_TRUE(v.at("first_id").is_null());
  EXPECT_TRUE(v.at("last_id").is_null());
}

TEST(AnthropicModels, OneModel) {
  auto one = render_model(catalog(), "c", kCreated);
  ASSERT_TRUE(one.has_value());
  const json::object v = json::parse(*one).as_object();
  EXPECT_EQ(v.at("type").as_string(), "model");
  EXPECT_EQ(v.at("id").as_string(), "c");
  EXPECT_EQ(v.at("display_name").as_string(), "Model c");
  EXPECT_EQ(v.at("created_at").as_string(), "2023-11-14T22:13:20Z");
  EXPECT_FALSE(render_model(catalog(), "nope", kCreated).has_value());
  EXPECT_FALSE(render_model(catalog(), "", kCreated).has_value());
}

TEST(AnthropicModels, ParsePage) {
  ModelPage p = parse_model_page("/v1/models");
  EXPECT_TRUE(p.after_id.empty());
  EXPECT_TRUE(p.before_id.empty());
  EXPECT_EQ(p.limit, 20);

  p = parse_model_page("/v1/models?after_id=claude-sonnet-4&limit=5&before_id=gpt-4.1&x=y");
  EXPECT_EQ(p.after_id, "claude-sonnet-4");
  EXPECT_EQ(p.before_id, "gpt-4.1");
  EXPECT_EQ(p.limit, 5);

  EXPECT_EQ(parse_model_page("/v1/models?limit=0").limit, 1);
  EXPECT_EQ(parse_model_page("/v1/models?limit=-4").limit, 1);
  EXPECT_EQ(parse_model_page("/v1/models?limit=1000").limit, 1000);
  EXPECT_EQ(parse_model_page("/v1/models?limit=5000").limit, 1000);
  EXPECT_EQ(parse_model_page("/v1/models?limit=abc").limit, 20);
  EXPECT_EQ(parse_model_page("/v1/models?limit=5x").limit, 20);
  EXPECT_EQ(parse_model_page("/v1/models?limit=").limit, 20);
  EXPECT_EQ(parse_model_page("/v1/models?limit").limit, 20);
  EXPECT_EQ(parse_model_page("/v1/models?").limit, 20);
  EXPECT_EQ(parse_model_page("/v1/models?&&after_id=z&").after_id, "z");
}

}  // namespace
}  // namespace cg::wire::anthropic
