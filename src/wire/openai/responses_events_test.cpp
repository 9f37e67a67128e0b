// Tests for the Responses stream error event and the usage of terminal Responses events.
#include "wire/openai/responses_events.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cg::wire::openai {
namespace {

namespace json = boost::json;

// The data of a single `event: error` event.
json::object error_data(const std::string& ev) {
  const std::string prefix = "event: error\ndata: ";
  EXPECT_EQ(ev.substr(0, prefix.size()), prefix) << ev;
  EXPECT_GE(ev.size(), prefix.size() + 2);
  EXPECT_EQ(ev.substr(ev.size() - 2), "\n\n") << ev;
  const std::string data = ev.substr(prefix.size(), ev.size() - prefix.size() - 2);
  EXPECT_EQ(data.find('\n'), std::string::npos) << ev;
  return json::parse(data).as_object();
}

TEST(ResponsesErrorEvent, FlatAndNestedFields) {
  ApiError e{502, "server_error", "upstream_unreachable", "Upstream \"closed\"\nearly", "input",
             {}};
  const json::object v = error_data(responses_error_event(e, 17));
  EXPECT_EQ(v.at("type").as_string(), "error");
  EXPECT_EQ(v.at("sequence_number").as_int64(), 17);
  EXPECT_EQ(v.at("code").as_string(), "upstream_unreachable");
  EXPECT_EQ(v.at("message").as_string(), "Upstream \"closed\"\nearly");
  EXPECT_EQ(v.at("param").as_string(), "input");
  const json::object& err = v.at("error").as_object();
  EXPECT_EQ(err.at("type").as_string(), "server_error");
  EXPECT_EQ(err.at("code").as_string(), "upstream_unreachable");
  EXPECT_EQ(err.at("message").as_string(), "Upstream \"closed\"\nearly");
  EXPECT_EQ(err.at("param").as_string(), "input");
}

TEST(ResponsesErrorEvent, EmptyFieldsAreNullAndTypeDefaults) {
  ApiError e;
  e.status = 500;
  e.message = "boom";
  const json::object v = error_data(responses_error_event(e, 0));
  EXPECT_EQ(v.at("sequence_number").as_int64(), 0);
  EXPECT_TRUE(v.at("code").is_null());
  EXPECT_TRUE(v.at("param").is_null());
  EXPECT_EQ(v.at("message").as_string(), "boom");
  EXPECT_EQ(v.at("error").at("type").as_string(), "server_error");
  EXPECT_TRUE(v.at("error").at("code").is_null());
  EXPECT_TRUE(v.at("error").at("param").is_null());
}

TEST(ResponsesErrorEvent, LargeSequenceNumbers) {
  const json::object v =
      error_data(responses_error_event(ApiError::gateway_timeout("idle"), 9007199254740991));
  EXPECT_EQ(v.at("sequence_number").as_int64(), 9007199254740991);
  EXPECT_EQ(v.at("code").as_string(), "upstream_timeout");
}

struct Seen {
  int64_t in = -7, out = -7;
};

Seen read(std::string_view data) {
  Seen s;
  read_responses_usage(data, s.in, s.out);
  return s;
}

TEST(ResponsesUsage, TerminalEvents) {
  for (std::string_view type : {"response.completed", "response.incomplete", "response.failed"}) {
    const std::string data =
        std::string(R"({"type":")") + std::string(type) +
        R"(","sequence_number":9,"response":{"id":"resp_1","object":"response",)"
        R"("output":[{"type":"message","content":[{"type":"output_text","text":"x"}]}],)"
        R"("usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":0},)"
        R"("output_tokens":87,"output_tokens_details":{"reasoning_tokens":64},)"
        R"("total_tokens":123}}})";
    const Seen s = read(data);
    EXPECT_EQ(s.in, 36) << type;
    EXPECT_EQ(s.out, 87) << type;
  }
}

TEST(ResponsesUsage, WholeResponseObject) {
  const Seen s = read(R"({"id":"resp_1","object":"response","status":"completed",)"
                      R"("usage":{"input_tokens":5,"output_tokens":9,"total_tokens":14}})");
  EXPECT_EQ(s.in, 5);
  EXPECT_EQ(s.out, 9);
}

TEST(ResponsesUsage, NoUsageLeavesValuesUntouched) {
  for (
      std::string_view data :
      {R"({"type":"response.created","sequence_number":0,"response":{"id":"r","usage":null}})",
       R"({"type":"response.output_text.delta","delta":"{\"usage\":{\"input_tokens\":1}}"})",
       R"({"type":"response.output_item.done","item":{"usage":{"input_tokens":3,"output_tokens":3}}})",
       R"({"response":{"output":[{"usage":{"input_tokens":3,"output_tokens":3}}]}})", "", "[1]",
       "garbage"}) {
    const Seen s = read(data);
    EXPECT_EQ(s.in, -7) << data;
    EXPECT_EQ(s.out, -7) << data;
  }
}

}  // namespace
}  // namespace cg::wire::openai
