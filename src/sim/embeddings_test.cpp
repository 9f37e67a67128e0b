// Tests of POST /embeddings: float and base64 encodings of the same deterministic unit vectors,
// input forms, dimensions, model checks and validation (plan_embeddings directly and over real
// sockets). Test thread only.
#include "sim/embeddings.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <cstring>

#include "sim/base64.h"
#include "sim/sim_test_client.h"

namespace cg::sim {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::Response;

std::vector<float> floats_of(const json::value& embedding) {
  std::vector<float> out;
  for (const json::value& x : embedding.as_array())
    out.push_back(static_cast<float>(x.to_number<double>()));
  return out;
}

std::vector<float> floats_of_base64(const json::value& embedding) {
  const std::optional<std::string> bytes = decode_base64(embedding.as_string());
  EXPECT_TRUE(bytes.has_value());
  if (!bytes) return {};
  EXPECT_EQ(bytes->size() % 4, 0u);
  std::vector<float> out(bytes->size() / 4);
  for (size_t i = 0; i < out.size(); ++i) {
    uint32_t u = 0;
    for (int b = 0; b < 4; ++b)  // little-endian
      u |= static_cast<uint32_t>(static_cast<unsigned char>((*bytes)[4 * i + b])) << (8 * b);
    std::memcpy(&out[i], &u, 4);
  }
  return out;
}

double norm(const std::vector<float>& v) {
  double s = 0;
  for (float x : v)
    s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

class EmbeddingsTest : public testing::SimFixture {
 protected:
  void SetUp() override {
    start();
    token_ = copilot_token();
    c_ = std::make_unique<Client>(sim_->port());
  }
  Response post(const json::object& body) {
    return c_->post("/embeddings", json::serialize(body), auth(token_));
  }
  std::string token_;
  std::unique_ptr<Client> c_;
};

TEST_F(EmbeddingsTest, FloatAndBase64DecodeToTheSameUnitVector) {
  Response r = post({{"model", "text-embedding-3-small"}, {"input", "hello world"}});
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  const json::value v = r.json();
  EXPECT_EQ(v.at("object"), "list");
  EXPECT_EQ(v.at("model"), "text-embedding-3-small");
  ASSERT_EQ(v.at("data").as_array().size(), 1u);
  EXPECT_EQ(v.at("data").at(0).at("object"), "embedding");
  EXPECT_EQ(v.at("data").at(0).at("index"), 0);
  const std::vector<float> as_float = floats_of(v.at("data").at(0).at("embedding"));
  ASSERT_EQ(as_float.size(), 1536u);
  EXPECT_NEAR(norm(as_float), 1.0, 1e-5);
  EXPECT_EQ(v.at("usage").at("prompt_tokens"), 3);  // 11 bytes / 4 + 1
  EXPECT_EQ(v.at("usage").at("total_tokens"), 3);

  r = post({{"model", "text-embedding-3-small"},
            {"input", "hello world"},
            {"encoding_format", "base64"}});
  ASSERT_EQ(r.status, 200);
  const std::vector<float> as_base64 = floats_of_base64(r.json().at("data").at(0).at("embedding"));
  EXPECT_EQ(as_base64, as_float);

  // Deterministic: the same text gives the same vector, another text another one.
  r = post({{"model", "text-embedding-3-small"}, {"input", "hello world"}});
  EXPECT_EQ(floats_of(r.json().at("data").at(0).at("embedding")), as_float);
  EXPECT_EQ(embedding_vector("hello world", 1536), as_float);
  EXPECT_NE(embedding_vector("hello world!", 1536), as_float);
}

TEST_F(EmbeddingsTest, InputFormsAndDimensions) {
  Response r = post({{"model", "text-embedding-3-small"},
                     {"input", json::array{"a", "b", "a"}},
                     {"dimensions", 512}});
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  const json::value body = r.json();
  const json::array& data = body.at("data").as_array();
  ASSERT_EQ(data.size(), 3u);
  for (size_t i = 0; i < data.size(); ++i) {
    EXPECT_EQ(data[i].at("index").as_int64(), static_cast<int64_t>(i));
    const std::vector<float> f = floats_of(data[i].at("embedding"));
    EXPECT_EQ(f.size(), 512u);
    EXPECT_NEAR(norm(f), 1.0, 1e-5);
  }
  EXPECT_EQ(data[0].at("embedding"), data[2].at("embedding"));
  EXPECT_NE(data[0].at("embedding"), data[1].at("embedding"));

  r = post({{"model", "text-embedding-3-small"}, {"input", json::array{1, 2, 3}}});
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.json().at("data").as_array().size(), 1u);
  EXPECT_EQ(r.json().at("usage").at("prompt_tokens"), 3);
  r = post({{"model", "text-embedding-3-small"},
            {"input", json::array{json::array{1, 2}, json::array{3}}},
            {"encoding_format", "base64"}});
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.json().at("data").as_array().size(), 2u);
  EXPECT_EQ(floats_of_base64(r.json().at("data").at(1).at("embedding")).size(), 1536u);
}

TEST_F(EmbeddingsTest, ModelAndInputErrors) {
  Response r = post({{"model", "gpt-4.1"}, {"input", "x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("error").at("code"), "unsupported_api_for_model");
  r = post({{"model", "nope"}, {"input", "x"}});
  EXPECT_EQ(r.json().at("error").at("code"), "model_not_supported");
  for (const json::value& input :
       {json::value(""), json::value(json::array{}), json::value(json::array{"a", ""}),
        json::value(7), json::value(json::array{json::array{}}),
        json::value(json::array{"a", 1})}) {
    r = post({{"model", "text-embedding-3-small"}, {"input", input}});
    EXPECT_EQ(r.status, 400) << json::serialize(input);
    EXPECT_EQ(r.json().at("error").at("param"), "input") << json::serialize(input);
  }
  r = post({{"model", "text-embedding-3-small"}});
  EXPECT_EQ(r.json().at("error").at("code"), "missing_required_parameter");
  r = post({{"model", "text-embedding-3-small"}, {"input", "x"}, {"dimensions", 0}});
  EXPECT_EQ(r.json().at("error").at("param"), "dimensions");
  r = post({{"model", "text-embedding-3-small"}, {"input", "x"}, {"encoding_format", "hex"}});
  EXPECT_EQ(r.json().at("error").at("param"), "encoding_format");
  EXPECT_EQ(c_->post("/embeddings", R"({"model":"text-embedding-3-small","input":"x"})").status,
            401);
}

TEST_F(EmbeddingsTest, AccountAndHeaderFaults) {
  Response r = c_->post("/embeddings", R"({"model":"text-embedding-3-small","input":"x"})",
                        auth(token_, {{"x-sim-fault", "status=503,retry_after=1"}}));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers["retry-after"], "1");
  EXPECT_EQ(r.json().at("error").at("code"), "server_error");
}

}  // namespace
}  // namespace cg::sim
