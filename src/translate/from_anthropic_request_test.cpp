// from_anthropic_request: what it keeps outlives the parse (the DOM lives in a per-call arena).
// Test thread only.
#include "translate/from_anthropic_request.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cg::translate {
namespace {

TEST(FromAnthropicRequest, KeptJsonValuesUseTheDefaultStorage) {
  auto r = from_anthropic_request(
      R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],)"
      R"("tools":[{"name":"t","input_schema":{"type":"object","properties":{"a":{"type":"string"}}}}],)"
      R"("output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->tools.size(), 1u);
  const boost::json::storage_ptr default_storage;
  EXPECT_EQ(r->tools[0].parameters.storage().get(), default_storage.get());
  EXPECT_EQ(r->response_schema.storage().get(), default_storage.get());
  EXPECT_EQ(boost::json::serialize(r->tools[0].parameters),
            R"({"type":"object","properties":{"a":{"type":"string"}}})");
}

}  // namespace
}  // namespace cg::translate
