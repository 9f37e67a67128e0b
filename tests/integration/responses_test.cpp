// POST /v1/responses (OpenAI Responses) through the gateway: native pass-through to Copilot's
// /responses, translation to /chat/completions for models without it, streams, function calls,
// encrypted reasoning, OpenAI-shaped errors; POST /v1/embeddings pass-through. Gateway and
// simulator in-process.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <mutex>

#include "core/log.h"
#include "harness.h"
#include "sim/catalog.h"
#include "sim/embeddings.h"

namespace cg::test {
namespace {

namespace json = boost::json;

Response post_responses(uint16_t port, const std::string& body,
                        std::string path = "/v1/responses") {
  return request(port, http::verb::post, std::move(path), body);
}

std::string responses_body(std::string_view model, const json::value& input, bool stream = false,
                           std::string_view extra = {}) {
  json::object b{{"model", model}, {"input", input}};
  if (stream) b["stream"] = true;
  std::string s = json::serialize(b);
  if (!extra.empty()) {
    s.pop_back();
    s += ",";
    s += extra;
    s += "}";
  }
  return s;
}

// Every OpenAI error body carries message, type, param and code.
json::object openai_error(const Response& r) {
  json::object v;
  try {
    v = json::parse(r.body).as_object();
  } catch (const std::exception&) {
    ADD_FAILURE() << "not JSON: " << r.body;
    return {};
  }
  const json::object& e = v.at("error").as_object();
  EXPECT_TRUE(e.contains("message") && e.contains("type") && e.contains("param") &&
              e.contains("code"))
      << r.body;
  EXPECT_FALSE(v.contains("type")) << r.body;  // not the Anthropic shape
  return e;
}

using SseEvent = NamedEvent;

std::vector<SseEvent> events_of(std::string_view body) {
  for (const std::string& data : sse_data(body)) {
    EXPECT_NE(data, "[DONE]");  // Responses streams have no [DONE]
  }
  return named_sse_events(body);
}

// The concatenated output_text of a response object's message items.
std::string output_text(const json::object& response) {
  std::string t;
  for (const json::value& item : response.at("output").as_array()) {
    if (item.at("type").as_string() != "message") continue;
    for (const json::value& part : item.at("content").as_array())
      if (part.at("type").as_string() == "output_text") t += part.at("text").as_string();
  }
  return t;
}

const json::object* find_item(const json::object& response, std::string_view type) {
  for (const json::value& item : response.at("output").as_array())
    if (item.at("type").as_string() == type) return &item.as_object();
  return nullptr;
}

struct StreamResult {
  std::string deltas;           // output_text deltas, concatenated
  json::object final_response;  // response.completed's response
};

// Checks a complete, successful Responses stream: event names match types, sequence numbers
// 0..n-1, response.created first, response.completed last (and only there).
StreamResult check_stream(const std::vector<SseEvent>& events) {
  StreamResult r;
  EXPECT_GE(events.size(), 3u);
  if (events.empty()) return r;
  EXPECT_EQ(events.front().name, "response.created");
  EXPECT_EQ(events.back().name, "response.completed");
  for (size_t i = 0; i < events.size(); ++i) {
    const SseEvent& e = events[i];
    EXPECT_EQ(e.data.at("type").as_string(), e.name) << i;
    EXPECT_EQ(e.data.at("sequence_number").as_int64(), static_cast<int64_t>(i)) << e.name;
    if (e.name == "response.output_text.delta") r.deltas += e.data.at("delta").as_string();
    if (e.name == "response.completed") {
      EXPECT_EQ(i + 1, events.size());
      r.final_response = e.data.at("response").as_object();
    }
    EXPECT_NE(e.name, "error");
  }
  if (!r.final_response.empty()) {
    EXPECT_EQ(r.final_response.at("status").as_string(), "completed");
    EXPECT_EQ(r.final_response.at("object").as_string(), "response");
    EXPECT_EQ(r.final_response.at("id"), events.front().data.at("response").at("id"));
  }
  return r;
}

class ResponsesTest : public ::testing::Test {
 protected:
  void SetUp() override { env_ = start_env(); }
  sim::AccountStats stats() const { return env_->sim->stats(kSimLogin); }
  uint16_t port() const { return env_->port(); }
  std::unique_ptr<Env> env_;
};

// --- Native pass-through -------------------------------------------------------------------

TEST_F(ResponsesTest, NativeNonStreamIsPassedThrough) {
  const std::string body = responses_body("gpt-5", "hello responses");
  Response r = post_responses(port(), body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
  const json::object v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("object").as_string(), "response");
  EXPECT_EQ(v.at("status").as_string(), "completed");
  EXPECT_TRUE(v.at("id").as_string().starts_with("resp_"));
  EXPECT_EQ(output_text(v), "You said: hello responses");
  EXPECT_GT(v.at("usage").at("input_tokens").as_int64(), 0);
  const sim::AccountStats s = stats();
  EXPECT_EQ(s.by_endpoint.at("/responses"), 1u);
  EXPECT_EQ(s.by_endpoint.at("/chat/completions"), 0u);
  EXPECT_EQ(s.last_body, body);  // byte for byte
  EXPECT_EQ(s.last_headers.at("x-initiator"), "user");
}

TEST_F(ResponsesTest, NativeStream) {
  Response r =
      post_responses(port(), responses_body("gpt-5", "stream native [[sim:chunks=6]]", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  const StreamResult s = check_stream(events_of(r.body));
  EXPECT_EQ(s.deltas, "You said: stream native");
  EXPECT_EQ(output_text(s.final_response), "You said: stream native");
  EXPECT_EQ(stats().by_endpoint.at("/responses"), 1u);
}

// Copilot's /responses echoes the request's instructions and tools in response.created,
// response.in_progress and response.completed: ~100 KB events for a coding agent. The gateway
// streams them through as they arrive rather than holding each whole, and still reads the usage
// of response.completed for its access log.
TEST(ResponsesLargeEvents, NativeStreamWithLargeEchoedEventsIsPassedThrough) {
  std::mutex mu;
  std::string captured;
  log::set_sink_for_tests([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    captured.append(line).push_back('\n');
  });
  {
    auto env = start_env({}, [](Config& c) { c.log.access_log = true; });
    std::string instructions;
    for (int i = 0; instructions.size() < 120000; ++i)
      instructions += "Rule " + std::to_string(i) + ": keep \"quotes\" and \\ intact.\n";
    const std::string body =
        responses_body("gpt-5", "big echo [[sim:chunks=4,chunk_delay_ms=2]]", true,
                       "\"instructions\":" + json::serialize(json::value(instructions)));
    Response r = post_responses(env->port(), body);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    const std::vector<SseEvent> events = events_of(r.body);
    const StreamResult s = check_stream(events);
    EXPECT_EQ(s.deltas, "You said: big echo");
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().data.at("response").at("instructions").as_string(), instructions);
    ASSERT_FALSE(s.final_response.empty());
    EXPECT_EQ(s.final_response.at("instructions").as_string(), instructions);
    const int64_t input_tokens = s.final_response.at("usage").at("input_tokens").as_int64();
    EXPECT_GT(input_tokens, 1000);
    env->gw->shutdown();
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_NE(captured.find("\"prompt_tokens\":" + std::to_string(input_tokens)), std::string::npos)
        << captured.substr(0, 2000);
  }
  log::set_sink_for_tests(nullptr);
}

TEST_F(ResponsesTest, AliasedNameIsRewrittenOnTheNativePath) {
  auto env = start_env({}, [](Config& c) { c.api.model_aliases["my-gpt"] = "gpt-5"; });
  const std::string body = responses_body("my-gpt", "aliased");
  Response r = post_responses(env->port(), body);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string expected = body;
  expected.replace(expected.find("my-gpt"), 6, "gpt-5");
  EXPECT_EQ(env->sim->stats(kSimLogin).last_body, expected);
}

// --- Translated to chat --------------------------------------------------------------------

TEST_F(ResponsesTest, ChatOnlyModelsAreTranslated) {
  for (const char* model : {"claude-sonnet-4.5", "gemini-2.5-pro"}) {
    SCOPED_TRACE(model);
    env_->sim->reset_stats();
    Response r = post_responses(port(), responses_body(model, "hello translated"));
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object v = json::parse(r.body).as_object();
    EXPECT_EQ(v.at("object").as_string(), "response");
    EXPECT_EQ(v.at("status").as_string(), "completed");
    EXPECT_TRUE(v.at("id").as_string().starts_with("resp_"));
    EXPECT_EQ(v.at("model").as_string(), model);
    EXPECT_EQ(output_text(v), "You said: hello translated");
    EXPECT_GT(v.at("usage").at("input_tokens").as_int64(), 0);
    EXPECT_GT(v.at("usage").at("output_tokens").as_int64(), 0);
    const sim::AccountStats s = stats();
    EXPECT_EQ(s.by_endpoint.at("/chat/completions"), 1u);
    EXPECT_EQ(s.by_endpoint.at("/responses"), 0u);
    EXPECT_EQ(s.by_endpoint.at("/v1/messages"), 0u);
    const json::object sent = json::parse(s.last_body).as_object();
    EXPECT_EQ(sent.at("model").as_string(), model);
    EXPECT_EQ(sent.at("messages").as_array().back().at("role").as_string(), "user");
  }
}

TEST_F(ResponsesTest, TranslatedStream) {
  for (const char* model : {"claude-sonnet-4.5", "gemini-2.5-pro"}) {
    SCOPED_TRACE(model);
    env_->sim->reset_stats();
    Response r =
        post_responses(port(), responses_body(model, "stream translated [[sim:chunks=5]]", true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/event-stream");
    const StreamResult s = check_stream(events_of(r.body));
    EXPECT_EQ(s.deltas, "You said: stream translated");
    EXPECT_EQ(output_text(s.final_response), "You said: stream translated");
    EXPECT_EQ(stats().by_endpoint.at("/chat/completions"), 1u);
  }
}

// --- Function calls ------------------------------------------------------------------------

constexpr const char* kWeatherTool =
    R"("tools":[{"type":"function","name":"get_weather","description":"Weather of a city",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},)"
    R"("required":["city"]}}])";

void function_round_trip(Env& env, const std::string& model, const std::string& endpoint,
                         bool stream) {
  SCOPED_TRACE(model + (stream ? " stream" : ""));
  env.sim->reset_stats();
  const json::object user{{"role", "user"}, {"content", "Paris"}};
  Response first =
      post_responses(env.port(), responses_body(model, json::array{user}, stream, kWeatherTool));
  ASSERT_EQ(first.status, 200) << first.body;
  json::object v;
  if (stream) {
    v = check_stream(events_of(first.body)).final_response;
  } else {
    v = json::parse(first.body).as_object();
  }
  const json::object* call = find_item(v, "function_call");
  ASSERT_NE(call, nullptr) << first.body;
  EXPECT_EQ(call->at("name").as_string(), "get_weather");
  EXPECT_EQ(json::parse(call->at("arguments").as_string()),
            json::value(json::object{{"city", "Paris"}}));
  const std::string call_id(call->at("call_id").as_string());
  EXPECT_FALSE(call_id.empty());
  EXPECT_EQ(env.sim->stats(kSimLogin).last_headers.at("x-initiator"), "user");

  json::array input{user};
  for (const json::value& item : v.at("output").as_array())
    input.push_back(item);  // the output items go back as they came
  input.push_back(json::object{
      {"type", "function_call_output"}, {"call_id", call_id}, {"output", "Sunny, 24C"}});
  Response second = post_responses(env.port(), responses_body(model, input, false, kWeatherTool));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(output_text(json::parse(second.body).as_object()), "Tool result received: Sunny, 24C");
  const sim::AccountStats s = env.sim->stats(kSimLogin);
  EXPECT_EQ(s.last_headers.at("x-initiator"), "agent");
  EXPECT_EQ(s.initiator_user, 1u);
  EXPECT_EQ(s.initiator_agent, 1u);
  EXPECT_EQ(s.by_endpoint.at(endpoint), 2u);
}

TEST_F(ResponsesTest, FunctionCallRoundTripNative) {
  function_round_trip(*env_, "gpt-5", "/responses", false);
  function_round_trip(*env_, "gpt-5", "/responses", true);
}

TEST_F(ResponsesTest, FunctionCallRoundTripTranslated) {
  function_round_trip(*env_, "claude-sonnet-4.5", "/chat/completions", false);
  function_round_trip(*env_, "gemini-2.5-pro", "/chat/completions", true);
}

// --- Reasoning -----------------------------------------------------------------------------

TEST_F(ResponsesTest, EncryptedReasoningRoundTripOnTheNativePath) {
  constexpr const char* kReasoning =
      R"("reasoning":{"effort":"low","summary":"auto"},"include":["reasoning.encrypted_content"],)"
      R"("store":false)";
  const json::object user{{"role", "user"}, {"content", "think hard"}};
  Response first =
      post_responses(port(), responses_body("gpt-5", json::array{user}, false, kReasoning));
  ASSERT_EQ(first.status, 200) << first.body;
  const json::object v = json::parse(first.body).as_object();
  const json::object* reasoning = find_item(v, "reasoning");
  ASSERT_NE(reasoning, nullptr) << first.body;
  const std::string encrypted(reasoning->at("encrypted_content").as_string());
  EXPECT_FALSE(encrypted.empty());
  EXPECT_TRUE(reasoning->at("id").as_string().starts_with("rs_"));
  EXPECT_EQ(output_text(v), "You said: think hard");

  auto next_input = [&](const json::object& reasoning_item) {
    json::array input{user};
    for (const json::value& item : v.at("output").as_array())
      input.push_back(item.at("type").as_string() == "reasoning" ? json::value(reasoning_item)
                                                                 : item);
    input.push_back(json::object{{"role", "user"}, {"content", "and now?"}});
    return responses_body("gpt-5", input, false, kReasoning);
  };

  // As issued: the simulator verifies it.
  Response second = post_responses(port(), next_input(*reasoning));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(output_text(json::parse(second.body).as_object()), "You said: and now?");
  // The encrypted content reached the upstream unchanged.
  EXPECT_NE(stats().last_body.find(encrypted), std::string::npos);

  // Altered: the upstream's 400 comes back as it is.
  json::object altered = *reasoning;
  std::string bad = encrypted;
  bad[bad.size() / 2] = bad[bad.size() / 2] == 'A' ? 'B' : 'A';
  altered["encrypted_content"] = bad;
  Response third = post_responses(port(), next_input(altered));
  EXPECT_EQ(third.status, 400) << third.body;
  const json::object e = openai_error(third);
  EXPECT_EQ(e.at("code").as_string(), "invalid_encrypted_content");
  EXPECT_EQ(e.at("type").as_string(), "invalid_request_error");
  EXPECT_NE(std::string(e.at("message").as_string()).find(reasoning->at("id").as_string()),
            std::string::npos);
  EXPECT_EQ(stats().by_endpoint.at("/responses"), 3u);
}

// --- Errors --------------------------------------------------------------------------------

TEST_F(ResponsesTest, PreviousResponseIdIsRefusedLocally) {
  Response r = post_responses(
      port(), responses_body("gpt-5", "again", false, R"("previous_response_id":"resp_abc")"));
  EXPECT_EQ(r.status, 400) << r.body;
  const json::object e = openai_error(r);
  EXPECT_EQ(e.at("code").as_string(), "previous_response_not_found");
  EXPECT_EQ(e.at("param").as_string(), "previous_response_id");
  EXPECT_NE(std::string(e.at("message").as_string()).find("resp_abc"), std::string::npos);
  EXPECT_EQ(stats().completions, 0u);
}

TEST_F(ResponsesTest, ErrorsAreOpenAIShaped) {
  Response unknown = post_responses(port(), responses_body("gpt-99", "x"));
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  json::object e = openai_error(unknown);
  EXPECT_EQ(e.at("code").as_string(), "model_not_found");
  EXPECT_NE(std::string(e.at("message").as_string()).find("gpt-5"), std::string::npos);

  Response no_input = post_responses(port(), R"({"model":"gpt-5"})");
  EXPECT_EQ(no_input.status, 400) << no_input.body;
  e = openai_error(no_input);
  EXPECT_EQ(e.at("type").as_string(), "invalid_request_error");
  EXPECT_EQ(e.at("param").as_string(), "input");

  Response malformed = post_responses(port(), R"({"model":"gpt-5","input":)");
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  openai_error(malformed);
  EXPECT_EQ(stats().completions, 0u);

  Response key = request(port(), http::verb::post, "/v1/responses", responses_body("gpt-5", "x"),
                         {{"authorization", "Bearer wrong"}}, false);
  EXPECT_EQ(key.status, 401);
  EXPECT_EQ(openai_error(key).at("code").as_string(), "invalid_api_key");

  Response method = request(port(), http::verb::get, "/v1/responses");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.header("allow"), "POST");
  openai_error(method);

  for (const char* model : {"gpt-5", "claude-sonnet-4.5"}) {
    SCOPED_TRACE(model);
    Response limited =
        post_responses(port(), responses_body(model, "x [[sim:status=429,retry_after=1]]"));
    EXPECT_EQ(limited.status, 429) << limited.body;
    EXPECT_EQ(limited.header("retry-after"), "1");
    // The account rests for the retry-after before the next request reaches Copilot.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    EXPECT_NE(std::string(openai_error(limited).at("message").as_string()).find("simulated"),
              std::string::npos);
    Response down = post_responses(port(), responses_body(model, "x [[sim:status=503]]", true));
    EXPECT_EQ(down.status, 503) << down.body;
    EXPECT_EQ(openai_error(down).at("type").as_string(), "server_error");
  }
}

TEST_F(ResponsesTest, MidStreamDropEndsWithAnErrorEvent) {
  for (const char* model : {"gpt-5", "claude-sonnet-4.5"}) {
    SCOPED_TRACE(model);
    Response r = post_responses(port(), responses_body(model, "drop [[sim:drop_after=3]]", true));
    ASSERT_EQ(r.status, 200) << r.body;  // -1 would mean an unclean chunked end
    const std::vector<SseEvent> events = events_of(r.body);
    ASSERT_GE(events.size(), 2u) << r.body;
    EXPECT_EQ(events.front().name, "response.created");
    const SseEvent& last = events.back();
    EXPECT_EQ(last.name, "error");
    EXPECT_EQ(last.data.at("type").as_string(), "error");
    // Numbered after the events before it.
    EXPECT_EQ(last.data.at("sequence_number").as_int64(), static_cast<int64_t>(events.size() - 1));
    EXPECT_TRUE(last.data.at("message").is_string());
    EXPECT_EQ(last.data.at("message"), last.data.at("error").at("message"));
    for (const SseEvent& e : events)
      EXPECT_NE(e.name, "response.completed");
  }
}

// --- Embeddings ----------------------------------------------------------------------------

// What the simulator answers for `body`: the gateway must pass it on unchanged.
std::string sim_embeddings(const std::string& body) {
  auto plan = sim::plan_embeddings(body, sim::Catalog::instance());
  EXPECT_TRUE(plan.ok());
  if (!plan.ok()) return {};
  std::string out;
  sim::render_embeddings(*plan, out);
  return out;
}

TEST_F(ResponsesTest, EmbeddingsFloatAndBase64PassThrough) {
  const std::string floats =
      R"({"model":"text-embedding-3-small","input":["hello","world"],"dimensions":16})";
  Response f = post_responses(port(), floats, "/v1/embeddings");
  ASSERT_EQ(f.status, 200) << f.body;
  EXPECT_EQ(f.body, sim_embeddings(floats));
  const json::object v = json::parse(f.body).as_object();
  EXPECT_EQ(v.at("data").as_array().size(), 2u);
  EXPECT_EQ(v.at("data").at(0).at("embedding").as_array().size(), 16u);
  EXPECT_EQ(stats().last_body, floats);

  const std::string b64 =
      R"({"model":"text-embedding-3-small","input":"hello","encoding_format":"base64"})";
  Response b = post_responses(port(), b64, "/openai/v1/embeddings");
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(b.body, sim_embeddings(b64));
  EXPECT_TRUE(json::parse(b.body).at("data").at(0).at("embedding").is_string());
  EXPECT_EQ(stats().by_endpoint.at("/embeddings"), 2u);
}

TEST_F(ResponsesTest, EmbeddingsErrors) {
  Response unknown =
      post_responses(port(), R"({"model":"embed-nope","input":"x"})", "/v1/embeddings");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(openai_error(unknown).at("code").as_string(), "model_not_found");
  Response missing =
      post_responses(port(), R"({"model":"text-embedding-3-small"})", "/v1/embeddings");
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(openai_error(missing).at("param").as_string(), "input");
  Response no_model = post_responses(port(), R"({"input":"x"})", "/v1/embeddings");
  EXPECT_EQ(no_model.status, 400) << no_model.body;
  EXPECT_EQ(openai_error(no_model).at("param").as_string(), "model");
  EXPECT_EQ(stats().completions, 0u);
  // Upstream validation errors come back too.
  Response empty =
      post_responses(port(), R"({"model":"text-embedding-3-small","input":[]})", "/v1/embeddings");
  EXPECT_EQ(empty.status, 400) << empty.body;
  openai_error(empty);
}

}  // namespace
}  // namespace cg::test
