// Chat completions through the gateway: pass-through, headers, X-Initiator, vision, aliases,
// routes under every prefix. Gateway and simulator in-process.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "harness.h"

namespace cg::test {
namespace {

namespace json = boost::json;

class ChatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = start_env({}, [](Config& c) { c.api.model_aliases["my-fast"] = "gpt-5-mini"; });
  }
  std::unique_ptr<Env> env_;
};

TEST_F(ChatTest, NonStreamingAnswerIsForwardedUnchanged) {
  Response r = post_chat(env_->port(), chat_body("gpt-4.1", "hello there"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
  auto v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("object").as_string(), "chat.completion");
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content").as_string(), "You said: hello there");
  EXPECT_GT(v.at("usage").at("prompt_tokens").as_int64(), 0);
  EXPECT_FALSE(r.header("x-request-id").empty());
  // The body reached the simulator byte for byte.
  EXPECT_EQ(env_->sim->stats(kSimLogin).last_body, chat_body("gpt-4.1", "hello there"));
}

// Larger than the socket buffers both ways: the request to the upstream and the answer to the
// client are only partly written at once, and the rest goes out asynchronously.
TEST_F(ChatTest, LargeRequestAndAnswerArriveWhole) {
  std::string text(6 << 20, 'a');
  for (size_t i = 0; i < text.size(); i += 97)
    text[i] = static_cast<char>('b' + i % 23);
  Response r = post_chat(env_->port(), chat_body("gpt-4.1", text));
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  auto v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content").as_string(), "You said: " + text);

  Response s = post_chat(env_->port(), chat_body("gpt-4.1", text, true));
  ASSERT_EQ(s.status, 200);
  std::string streamed;
  bool done = false;
  for (const std::string& d : sse_data(s.body)) {
    if (d == "[DONE]") {
      done = true;
      continue;
    }
    auto chunk = json::parse(d).as_object();
    for (const auto& c : chunk.at("choices").as_array()) {
      const auto& delta = c.at("delta").as_object();
      if (auto it = delta.find("content"); it != delta.end() && it->value().is_string())
        streamed.append(it->value().as_string().c_str(), it->value().as_string().size());
    }
  }
  EXPECT_TRUE(done);
  EXPECT_EQ(streamed, "You said: " + text);
}

TEST_F(ChatTest, UpstreamHeadersFollowCopilotConventions) {
  ASSERT_EQ(post_chat(env_->port(), chat_body("gpt-4.1", "a")).status, 200);
  auto first = env_->sim->stats(kSimLogin);
  ASSERT_EQ(post_chat(env_->port(), chat_body("gpt-4.1", "b")).status, 200);
  auto second = env_->sim->stats(kSimLogin);
  const auto& h = second.last_headers;
  EXPECT_EQ(h.at("copilot-integration-id"), "vscode-chat");
  EXPECT_EQ(h.at("editor-version"), "vscode/1.104.3");
  EXPECT_EQ(h.at("editor-plugin-version"), "copilot-chat/0.26.7");
  EXPECT_EQ(h.at("openai-intent"), "conversation-panel");
  EXPECT_EQ(h.at("x-github-api-version"), "2025-04-01");
  EXPECT_EQ(h.at("x-initiator"), "user");
  EXPECT_EQ(h.count("copilot-vision-request"), 0u);
  EXPECT_EQ(h.at("authorization"), "Bearer " + second.last_copilot_token);
  EXPECT_NE(first.last_headers.at("x-request-id"), h.at("x-request-id"));  // fresh per call
  // The client's key never travels upstream.
  for (auto& [k, v] : h)
    EXPECT_EQ(v.find(kApiKey), std::string::npos) << k;
}

TEST_F(ChatTest, InitiatorFollowsTheLastTurn) {
  const std::string tool_turn =
      R"({"model":"gpt-4.1","messages":[{"role":"user","content":"list files"},)"
      R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",)"
      R"("function":{"name":"ls","arguments":"{}"}}]},)"
      R"({"role":"tool","tool_call_id":"call_1","content":"a.txt"}]})";
  ASSERT_EQ(post_chat(env_->port(), tool_turn).status, 200);
  ASSERT_EQ(post_chat(env_->port(), chat_body("gpt-4.1", "next question")).status, 200);
  const std::string assistant_last =
      R"({"model":"gpt-4.1","messages":[{"role":"user","content":"hi"},)"
      R"({"role":"assistant","content":"prefill"}]})";
  ASSERT_EQ(post_chat(env_->port(), assistant_last).status, 200);
  auto s = env_->sim->stats(kSimLogin);
  EXPECT_EQ(s.initiator_user, 1u);
  EXPECT_EQ(s.initiator_agent, 2u);
}

TEST_F(ChatTest, ImagePartSetsTheVisionHeader) {
  const std::string body =
      R"({"model":"gpt-4.1","messages":[{"role":"user","content":[{"type":"text","text":"what is)"
      R"( this"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]})";
  ASSERT_EQ(post_chat(env_->port(), body).status, 200);
  auto s = env_->sim->stats(kSimLogin);
  EXPECT_EQ(s.vision_requests, 1u);
  EXPECT_EQ(s.last_headers.at("copilot-vision-request"), "true");
  // Text that merely mentions image_url does not.
  ASSERT_EQ(post_chat(env_->port(), chat_body("gpt-4.1", "what is image_url?")).status, 200);
  EXPECT_EQ(env_->sim->stats(kSimLogin).vision_requests, 1u);
  auto metrics = request(env_->port(), http::verb::get, "/metrics");
  EXPECT_NE(metrics.body.find("copilot_image_attachments_total 1"), std::string::npos);
}

TEST_F(ChatTest, ModelAliasIsRewrittenUpstream) {
  Response r = post_chat(env_->port(), chat_body("my-fast", "hi"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto sent = json::parse(env_->sim->stats(kSimLogin).last_body).as_object();
  EXPECT_EQ(sent.at("model").as_string(), "gpt-5-mini");
}

TEST_F(ChatTest, SamePathsWorkUnderEveryPrefix) {
  for (std::string path : {"/v1/chat/completions", "/openai/v1/chat/completions",
                           "/chat/completions", "/v1/chat/completions?x=1"}) {
    Response r = post_chat(env_->port(), chat_body("gpt-4.1", "p"), path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
  }
  for (std::string path : {"/v1/models", "/openai/v1/models", "/models"})
    EXPECT_EQ(request(env_->port(), http::verb::get, path).status, 200) << path;
}

TEST_F(ChatTest, KeyIsAcceptedAsXApiKey) {
  Response r = request(env_->port(), http::verb::post, "/v1/chat/completions",
                       chat_body("gpt-4.1", "k"), {{"x-api-key", kApiKey}}, false);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(ChatTest, ToolCallAnswerComesBackIntact) {
  const std::string body =
      R"({"model":"claude-sonnet-4.5","messages":[{"role":"user","content":"weather in Paris"}],)"
      R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":)"
      R"({"type":"object","properties":{"city":{"type":"string"}}}}}]})";
  Response r = post_chat(env_->port(), body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = json::parse(r.body).as_object();
  // Claude answers split across choices are passed through as the upstream sent them.
  auto& choices = v.at("choices").as_array();
  ASSERT_GE(choices.size(), 1u);
  bool found = false;
  for (auto& c : choices) {
    auto& msg = c.at("message").as_object();
    if (msg.contains("tool_calls")) {
      auto& call = msg.at("tool_calls").at(0).as_object();
      EXPECT_EQ(call.at("function").at("name").as_string(), "get_weather");
      auto args = json::parse(call.at("function").at("arguments").as_string());
      EXPECT_EQ(args.at("city").as_string(), "weather in Paris");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace cg::test
