// Tests of POST /responses over real sockets: response object and SSE event shapes, function
// calls (flat and namespaced tools), function_call_output answers, reasoning items whose
// encrypted content is verified on the way back, endpoint checks, errors and faults. Test thread
// only.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sim/sim_test_client.h"

namespace cg::sim {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::Response;
using testing::sse_events;
using testing::SseEvent;

constexpr const char* kTools =
    R"([{"type":"web_search"},)"
    R"({"type":"function","name":"search","description":"d","strict":false,"parameters":)"
    R"({"type":"object","properties":{"query":{"type":"string"}}}},)"
    R"({"type":"function","name":"second","parameters":{"type":"object"}}])";

std::string responses_body(const std::string& model, json::value input, bool stream = false,
                           const json::object& extra = {}) {
  json::object body{{"model", model}, {"input", std::move(input)}};
  if (stream) body["stream"] = true;
  for (const auto& kv : extra)
    body[kv.key()] = kv.value();
  return json::serialize(body);
}

json::object user_item(const std::string& text) {
  return {{"type", "message"},
          {"role", "user"},
          {"content", json::array{json::object{{"type", "input_text"}, {"text", text}}}}};
}

json::object reasoning_on(bool summary, bool encrypted) {
  json::object extra;
  extra["reasoning"] = summary ? json::object{{"effort", "medium"}, {"summary", "auto"}}
                               : json::object{{"effort", "low"}};
  if (encrypted) extra["include"] = json::array{"reasoning.encrypted_content"};
  return extra;
}

class ResponsesTest : public testing::SimFixture {
 protected:
  void SetUp() override {
    start();
    token_ = copilot_token();
    c_ = std::make_unique<Client>(sim_->port());
  }
  Response post(const std::string& body, testing::Headers more = {}) {
    return c_->post("/responses", body, auth(token_, std::move(more)));
  }
  std::string token_;
  std::unique_ptr<Client> c_;
};

void expect_usage(const json::value& u, int64_t reasoning_tokens) {
  const int64_t in = u.at("input_tokens").as_int64(), out = u.at("output_tokens").as_int64();
  EXPECT_GT(in, 0);
  EXPECT_GT(out, 0);
  EXPECT_EQ(u.at("input_tokens_details").at("cached_tokens"), 0);
  EXPECT_EQ(u.at("output_tokens_details").at("reasoning_tokens"), reasoning_tokens);
  EXPECT_EQ(u.at("total_tokens").as_int64(), in + out);
}

// Checks what the openai SDK's ResponseStream requires of the events and returns the final
// response (from response.completed), with `types` set to the event types in order.
json::value check_stream(const std::vector<SseEvent>& events, std::vector<std::string>& types) {
  types.clear();
  json::value completed;
  std::vector<std::string> item_ids;  // by output_index
  for (size_t i = 0; i < events.size(); ++i) {
    const json::value e = events[i].json();
    const std::string type(e.at("type").as_string());
    types.push_back(type);
    EXPECT_EQ(events[i].name, type) << "event name must equal data.type";
    EXPECT_EQ(e.at("sequence_number").as_int64(), static_cast<int64_t>(i));
    if (type == "response.created" || type == "response.in_progress") {
      EXPECT_EQ(e.at("response").at("status"), "in_progress");
      EXPECT_TRUE(e.at("response").at("output").as_array().empty());
    } else if (type == "response.output_item.added") {
      EXPECT_EQ(e.at("output_index").as_int64(), static_cast<int64_t>(item_ids.size()))
          << "items append in order";
      const std::string id(e.at("item").at("id").as_string());
      EXPECT_FALSE(id.empty());
      item_ids.push_back(id);
    } else if (type == "response.completed") {
      EXPECT_EQ(i, events.size() - 1);
      completed = e.at("response");
    } else {
      const size_t index = static_cast<size_t>(e.at("output_index").as_int64());
      EXPECT_LT(index, item_ids.size()) << type << " before its output_item.added";
      if (index < item_ids.size() && e.as_object().contains("item_id")) {
        EXPECT_EQ(e.at("item_id").as_string(), item_ids[index]);
      }
    }
  }
  EXPECT_FALSE(types.empty());
  if (!types.empty()) {
    EXPECT_EQ(types.front(), "response.created");
  }
  return completed;
}

TEST_F(ResponsesTest, PlainTextNonStreaming) {
  Response r = post(responses_body("gpt-5.1-codex", "hello", false,
                                   {{"instructions", "be brief"}, {"store", false}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/json");
  const json::value v = r.json();
  EXPECT_TRUE(std::string(v.at("id").as_string()).starts_with("resp_"));
  EXPECT_EQ(v.at("object"), "response");
  EXPECT_EQ(v.at("status"), "completed");
  EXPECT_EQ(v.at("model"), "gpt-5.1-codex");
  EXPECT_TRUE(v.at("error").is_null());
  EXPECT_EQ(v.at("instructions"), "be brief");
  EXPECT_EQ(v.at("store"), false);
  EXPECT_GT(v.at("created_at").as_int64(), 0);
  const auto& output = v.at("output").as_array();
  ASSERT_EQ(output.size(), 1u);
  EXPECT_EQ(output[0].at("type"), "message");
  EXPECT_TRUE(std::string(output[0].at("id").as_string()).starts_with("msg_"));
  EXPECT_EQ(output[0].at("role"), "assistant");
  EXPECT_EQ(output[0].at("status"), "completed");
  EXPECT_EQ(
      output[0].at("content"),
      json::parse(
          R"([{"type":"output_text","annotations":[],"logprobs":[],"text":"You said: hello"}])"));
  expect_usage(v.at("usage"), 0);
  EXPECT_EQ(v.at("usage").at("input_tokens"), 4);  // "be brief" + "hello" = 13 bytes

  // Item input; the last item decides.
  r = post(responses_body("gpt-4.1", json::array{user_item("first"), user_item("second")}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("output").at(0).at("content").at(0).at("text"), "You said: second");
}

TEST_F(ResponsesTest, StreamingTextEvents) {
  Response r = post(responses_body("gpt-5.1-codex", "hello world [[sim:chunks=3]]", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "text/event-stream");
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
  const auto events = sse_events(r.body);
  std::vector<std::string> types;
  const json::value done = check_stream(events, types);
  const std::vector<std::string> expected = {
      "response.created",           "response.in_progress",
      "response.output_item.added", "response.content_part.added",
      "response.output_text.delta", "response.output_text.delta",
      "response.output_text.delta", "response.output_text.done",
      "response.content_part.done", "response.output_item.done",
      "response.completed"};
  EXPECT_EQ(types, expected);
  std::string text;
  for (const auto& e : events)
    if (e.name == "response.output_text.delta") text += e.json().at("delta").as_string();
  EXPECT_EQ(text, "You said: hello world");
  EXPECT_EQ(events[7].json().at("text"), "You said: hello world");
  EXPECT_EQ(events[2].json().at("item").at("status"), "in_progress");
  EXPECT_EQ(done.at("status"), "completed");
  ASSERT_EQ(done.at("output").as_array().size(), 1u);
  EXPECT_EQ(done.at("output").at(0), events[9].json().at("item"));
  EXPECT_EQ(done.at("output").at(0).at("content").at(0).at("text"), "You said: hello world");
  expect_usage(done.at("usage"), 0);
}

TEST_F(ResponsesTest, FunctionCall) {
  const json::object tools{{"tools", json::parse(kTools)}};
  Response r = post(responses_body("gpt-5", "cats", false, tools));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value item = r.json().at("output").at(0);
  EXPECT_EQ(r.json().at("output").as_array().size(), 1u);
  EXPECT_EQ(item.at("type"), "function_call");
  EXPECT_TRUE(std::string(item.at("id").as_string()).starts_with("fc_"));
  EXPECT_TRUE(std::string(item.at("call_id").as_string()).starts_with("call_"));
  EXPECT_EQ(item.at("name"), "search");
  EXPECT_EQ(item.at("status"), "completed");
  EXPECT_EQ(json::parse(item.at("arguments").as_string()), json::parse(R"({"query":"cats"})"));

  json::object named = tools;
  named["tool_choice"] = {{"type", "function"}, {"name", "second"}};
  r = post(responses_body("gpt-5", "cats", false, named));
  EXPECT_EQ(r.json().at("output").at(0).at("name"), "second");
  EXPECT_EQ(r.json().at("output").at(0).at("arguments"), R"({"input":"cats"})");

  json::object none = tools;
  none["tool_choice"] = "none";
  r = post(responses_body("gpt-5", "cats", false, none));
  EXPECT_EQ(r.json().at("output").at(0).at("type"), "message");

  // Tools inside a namespace count; other tool types are ignored.
  const json::object ns{
      {"tools", json::parse(R"([{"type":"web_search"},{"type":"namespace","name":"fs","tools":[)"
                            R"({"type":"function","name":"read_file","parameters":{"type":)"
                            R"("object","properties":{"path":{"type":"string"}}}}]}])")}};
  r = post(responses_body("gpt-5", "a.txt", false, ns));
  EXPECT_EQ(r.json().at("output").at(0).at("name"), "read_file");
  EXPECT_EQ(r.json().at("output").at(0).at("arguments"), R"({"path":"a.txt"})");
  r = post(
      responses_body("gpt-5", "x", false, {{"tools", json::parse(R"([{"type":"web_search"}])")}}));
  EXPECT_EQ(r.json().at("output").at(0).at("type"), "message");
}

TEST_F(ResponsesTest, ToolAndArgsDirectives) {
  const json::object tools{{"tools", json::parse(kTools)}};
  Response r = post(responses_body(
      "gpt-5", R"([[sim:tool=second,args={"cmd":"echo hi","n":2}]] run)", false, tools));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value item = r.json().at("output").at(0);
  EXPECT_EQ(item.at("name"), "second");
  EXPECT_EQ(json::parse(item.at("arguments").as_string()),
            json::parse(R"({"cmd":"echo hi","n":2})"));
  // Inside a namespace too.
  const json::object ns{
      {"tools", json::parse(R"([{"type":"function","name":"first","parameters":{}},)"
                            R"({"type":"namespace","name":"fs","tools":[)"
                            R"({"type":"function","name":"read_file","parameters":{}}]}])")}};
  r = post(responses_body("gpt-5", "a.txt [[sim:tool=read_file]]", true, ns));
  std::vector<std::string> types;
  const json::value done = check_stream(sse_events(r.body), types);
  EXPECT_EQ(done.at("output").at(0).at("name"), "read_file");
  EXPECT_EQ(done.at("output").at(0).at("arguments"), R"({"input":"a.txt"})");
}

TEST_F(ResponsesTest, FunctionCallStreaming) {
  Response r = post(responses_body("gpt-5", "dogs", true, {{"tools", json::parse(kTools)}}));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto events = sse_events(r.body);
  std::vector<std::string> types;
  const json::value done = check_stream(events, types);
  ASSERT_GE(types.size(), 8u);
  EXPECT_EQ(types[2], "response.output_item.added");
  const json::value added = events[2].json().at("item");
  EXPECT_EQ(added.at("type"), "function_call");
  EXPECT_EQ(added.at("arguments"), "");
  EXPECT_EQ(added.at("name"), "search");
  EXPECT_FALSE(added.at("call_id").as_string().empty());
  std::string args;
  size_t deltas = 0;
  for (size_t i = 3; i < events.size(); ++i) {
    if (types[i] != "response.function_call_arguments.delta") break;
    args += events[i].json().at("delta").as_string();
    ++deltas;
  }
  EXPECT_GE(deltas, 3u);
  ASSERT_EQ(types.size(), deltas + 6);
  EXPECT_EQ(types[3 + deltas], "response.function_call_arguments.done");
  EXPECT_EQ(events[3 + deltas].json().at("arguments").as_string(), args);
  EXPECT_EQ(events[3 + deltas].json().at("name"), "search");
  EXPECT_EQ(types[4 + deltas], "response.output_item.done");
  EXPECT_EQ(types[5 + deltas], "response.completed");
  EXPECT_EQ(json::parse(args), json::parse(R"({"query":"dogs"})"));
  EXPECT_EQ(done.at("output").at(0).at("call_id"), added.at("call_id"));
  EXPECT_EQ(done.at("output").at(0).at("arguments").as_string(), args);
}

TEST_F(ResponsesTest, FunctionCallOutputAnswer) {
  json::array input = {
      user_item("find cats"),
      json::object{{"type", "function_call"},
                   {"call_id", "call_1"},
                   {"name", "search"},
                   {"arguments", R"({"query":"cats"})"}},
      json::object{{"type", "function_call_output"}, {"call_id", "call_1"}, {"output", "42"}}};
  Response r = post(responses_body("gpt-5", input, false, {{"tools", json::parse(kTools)}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("output").at(0).at("content").at(0).at("text"), "Tool result received: 42");
}

TEST_F(ResponsesTest, ReasoningEncryptedContentRoundTrip) {
  Response r = post(responses_body("gpt-5", "why", false, reasoning_on(true, true)));
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value v = r.json();
  ASSERT_EQ(v.at("output").as_array().size(), 2u);
  const json::value reasoning = v.at("output").at(0);
  EXPECT_EQ(reasoning.at("type"), "reasoning");
  const std::string id(reasoning.at("id").as_string());
  EXPECT_TRUE(id.starts_with("rs_"));
  EXPECT_EQ(reasoning.at("summary"),
            json::parse(R"([{"type":"summary_text","text":"Thinking about: why"}])"));
  const std::string enc(reasoning.at("encrypted_content").as_string());
  EXPECT_FALSE(enc.empty());
  EXPECT_EQ(v.at("output").at(1).at("type"), "message");
  EXPECT_GT(v.at("usage").at("output_tokens_details").at("reasoning_tokens").as_int64(), 0);
  expect_usage(v.at("usage"), 5);  // "Thinking about: why" = 19 bytes

  auto turn = [&](json::value reasoning_item) {
    json::array input = {
        user_item("why"), std::move(reasoning_item),
        json::object{
            {"type", "message"},
            {"role", "assistant"},
            {"content", json::array{json::object{{"type", "output_text"}, {"text", "because"}}}}},
        user_item("and then?")};
    return post(responses_body("gpt-5", std::move(input), false, reasoning_on(true, true)));
  };
  r = turn(reasoning);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("output").at(1).at("content").at(0).at("text"), "You said: and then?");

  // One character of the encrypted content altered.
  json::value altered = reasoning;
  std::string bad = enc;
  bad[bad.size() / 2] = bad[bad.size() / 2] == 'A' ? 'B' : 'A';
  altered.as_object()["encrypted_content"] = bad;
  r = turn(altered);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json(), json::parse(R"({"error":{"message":"The encrypted content for item )" + id +
                                  R"( could not be verified.","type":"invalid_request_error",)"
                                  R"("code":"invalid_encrypted_content","param":null}})"));

  // The content is bound to the item id.
  altered = reasoning;
  altered.as_object()["id"] = "rs_other";
  r = turn(altered);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("error").at("code"), "invalid_encrypted_content");
}

TEST_F(ResponsesTest, ReasoningOptions) {
  Response r = post(responses_body("gpt-5", "why", false, reasoning_on(false, false)));
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value item = r.json().at("output").at(0);
  EXPECT_EQ(item.at("type"), "reasoning");
  EXPECT_TRUE(item.at("summary").as_array().empty());
  EXPECT_FALSE(item.as_object().contains("encrypted_content"));
  r = post(responses_body("gpt-5", "why"));
  EXPECT_EQ(r.json().at("output").as_array().size(), 1u);
  EXPECT_EQ(r.json().at("output").at(0).at("type"), "message");
}

TEST_F(ResponsesTest, ReasoningStreaming) {
  Response r = post(responses_body("gpt-5", "why", true, reasoning_on(true, true)));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto events = sse_events(r.body);
  std::vector<std::string> types;
  const json::value done = check_stream(events, types);
  ASSERT_GE(types.size(), 9u);
  EXPECT_EQ(types[2], "response.output_item.added");
  EXPECT_EQ(events[2].json().at("item").at("type"), "reasoning");
  EXPECT_EQ(types[3], "response.reasoning_summary_part.added");
  std::string summary;
  size_t i = 4;
  for (; i < types.size() && types[i] == "response.reasoning_summary_text.delta"; ++i)
    summary += events[i].json().at("delta").as_string();
  EXPECT_EQ(summary, "Thinking about: why");
  ASSERT_LT(i + 2, types.size());
  EXPECT_EQ(types[i], "response.reasoning_summary_text.done");
  EXPECT_EQ(events[i].json().at("text"), "Thinking about: why");
  EXPECT_EQ(types[i + 1], "response.reasoning_summary_part.done");
  EXPECT_EQ(types[i + 2], "response.output_item.done");
  EXPECT_EQ(events[i + 2].json().at("output_index"), 0);
  EXPECT_EQ(types[i + 3], "response.output_item.added");
  EXPECT_EQ(events[i + 3].json().at("output_index"), 1);
  ASSERT_EQ(done.at("output").as_array().size(), 2u);
  EXPECT_EQ(done.at("output").at(0), events[i + 2].json().at("item"));

  // What the stream issued verifies on the next turn.
  json::array input = {user_item("why"), done.at("output").at(0), done.at("output").at(1),
                       user_item("more")};
  r = post(responses_body("gpt-5", input, false, reasoning_on(true, true)));
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(ResponsesTest, EndpointAndRequestErrors) {
  Response r = post(responses_body("claude-sonnet-4.5", "x"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json(), json::parse(R"({"error":{"message":"model claude-sonnet-4.5 is not )"
                                  R"(supported via Responses API.","code":)"
                                  R"("unsupported_api_for_model","param":"model",)"
                                  R"("type":"invalid_request_error"}})"));
  r = post(responses_body("gemini-2.5-pro", "x"));
  EXPECT_EQ(r.json().at("error").at("code"), "unsupported_api_for_model");
  r = post(responses_body("gpt-9", "x"));
  EXPECT_EQ(r.json().at("error").at("code"), "model_not_supported");

  r = post(responses_body("gpt-5", "x", false, {{"previous_response_id", "resp_abc"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json(), json::parse(R"({"error":{"message":"Previous response with id 'resp_abc' )"
                                  R"(not found.","type":"invalid_request_error","code":)"
                                  R"("previous_response_not_found","param":)"
                                  R"("previous_response_id"}})"));

  EXPECT_EQ(post(R"({"model":"gpt-5"})").status, 400);
  EXPECT_EQ(post(R"({"input":"x"})").status, 400);
  EXPECT_EQ(post(R"({"model":"gpt-5","input":7})").status, 400);
  EXPECT_EQ(post("[1,2]").status, 400);
  EXPECT_EQ(post("{oops").status, 400);
  EXPECT_EQ(c_->post("/responses", responses_body("gpt-5", "x")).status, 401);
}

TEST_F(ResponsesTest, Faults) {
  Response r = post(responses_body("gpt-5", "x [[sim:status=429,retry_after=4]]"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers["retry-after"], "4");
  EXPECT_EQ(r.json().at("error").at("code"), "rate_limited");
  r = post(responses_body("gpt-5", "x", true), {{"x-sim-fault", "status=502"}});
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.json().at("error").at("type"), "server_error");

  r = post(responses_body("gpt-5", "x [[sim:drop_after=4]]", true));
  EXPECT_TRUE(r.ec) << "response should be truncated";
  EXPECT_EQ(sse_events(r.body).size(), 4u);
  EXPECT_TRUE(c_->closed_by_peer());
}

}  // namespace
}  // namespace cg::sim
