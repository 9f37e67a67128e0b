// from_anthropic_request: what it keeps outlives the parse (the DOM lives in a per-call arena).
// Test thread only.
#include "translate/from_anthropic_request.h"
#include "translate/from_chat_request.h"
#include "translate/from_responses_request.h"

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

TEST(FromOtherRequests, KeptJsonValuesUseTheDefaultStorage) {
  const boost::json::storage_ptr default_storage;
  auto chat = from_chat_request(
      R"({"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function",)"
      R"("function":{"name":"t","parameters":{"type":"object"}}}]})");
  ASSERT_TRUE(chat.ok()) << chat.error().message;
  ASSERT_EQ(chat->tools.size(), 1u);
  EXPECT_EQ(chat->tools[0].parameters.storage().get(), default_storage.get());
  auto responses =
      from_responses_request(R"({"model":"m","input":"hi","tools":[{"type":"function","name":"t",)"
                             R"("parameters":{"type":"object"}}]})");
  ASSERT_TRUE(responses.ok()) << responses.error().message;
  ASSERT_EQ(responses->tools.size(), 1u);
  EXPECT_EQ(responses->tools[0].parameters.storage().get(), default_storage.get());
}

}  // namespace
}  // namespace cg::translate
