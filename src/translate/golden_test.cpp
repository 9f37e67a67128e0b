// Golden tests: every file pair under src/translate/testdata/ is one translation, input ->
// expected output. Request/response pairs are compared as JSON values, streams byte for byte.
// Run with CG_UPDATE_GOLDEN=1 to (re)write the expected files from the current output (then
// review the diff). Test thread only.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "translate/anthropic_stream_encoder.h"
#include "translate/chat_stream_decoder.h"
#include "translate/from_anthropic_request.h"
#include "translate/from_chat_response.h"
#include "translate/golden_files.h"
#include "translate/to_anthropic_response.h"
#include "translate/to_chat_request.h"

namespace cg::translate {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

using namespace golden;  // NOLINT(google-build-using-namespace): test helpers

ChatTarget target_from(const json::object& o) {
  ChatTarget t;
  t.model = json::value_to<std::string>(o.at("model"));
  if (auto* v = o.if_contains("copilot_reasoning")) t.copilot_reasoning = v->as_bool();
  if (auto* v = o.if_contains("max_completion_tokens")) t.max_completion_tokens = v->as_bool();
  if (auto* v = o.if_contains("max_output_tokens")) t.max_output_tokens = v->to_number<int64_t>();
  return t;
}

TEST(Golden, AnthropicRequestToChat) {
  const auto files = inputs(".anthropic-request.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    json::value doc = json::parse(read_file(in));
    const ChatTarget target = target_from(doc.at("target").as_object());
    auto req = from_anthropic_request(json::serialize(doc.at("request")));
    ASSERT_TRUE(req.ok()) << req.error().message;
    auto body = to_chat_request(*req, target);
    ASSERT_TRUE(body.ok()) << body.error().message;
    expect_json_golden(sibling(in, ".anthropic-request.json", ".chat-request.json"), *body);
  }
}

TEST(Golden, ChatResponseToAnthropic) {
  const auto files = inputs(".chat-response.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    auto r = from_chat_response(read_file(in));
    ASSERT_TRUE(r.ok()) << r.error().message;
    expect_json_golden(sibling(in, ".chat-response.json", ".anthropic-response.json"),
                       to_anthropic_response(*r, "msg_test", "claude-sonnet-4-5-20250929"));
  }
}

TEST(Golden, ChatStreamToAnthropic) {
  const auto files = inputs(".chat-stream.sse");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    ChatStreamDecoder dec;
    AnthropicStreamEncoder enc("msg_test", "claude-sonnet-4-5-20250929");
    std::string out;
    auto sink = [&](const StreamEvent& e) { enc.on(e, out); };
    for (const std::string& data : sse_data(read_file(in)))
      dec.feed(data, sink);
    EXPECT_TRUE(dec.done());
    enc.finish(out);
    expect_text_golden(sibling(in, ".chat-stream.sse", ".anthropic-stream.sse"), out);
  }
}

}  // namespace
}  // namespace cg::translate
