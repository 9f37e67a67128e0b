// Unit tests for chat_plan and chat_render (pure): answer rules, validation errors, JSON and SSE
// shapes. Test thread only.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sim/chat_plan.h"
#include "sim/chat_render.h"
#include "sim/sim_test_client.h"

namespace cg::sim {
namespace {

namespace json = boost::json;

const Catalog& catalog() {
  return Catalog::instance();
}

std::string user_body(const std::string& model, const std::string& text,
                      const std::string& extra = {}) {
  json::object body{{"model", model},
                    {"messages", json::array{json::object{{"role", "user"}, {"content", text}}}}};
  std::string s = json::serialize(body);
  if (!extra.empty()) s.insert(s.size() - 1, "," + extra);
  return s;
}

constexpr const char* kTools =
    R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":)"
    R"({"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string"}}}}},)"
    R"({"type":"function","function":{"name":"other"}}])";

TEST(ForEachPart, SplitsIntoRoughlyEqualUtf8SafeParts) {
  std::vector<std::string> parts;
  for_each_part("abcdefghij", 3, [&](std::string_view p) { parts.emplace_back(p); });
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0] + parts[1] + parts[2], "abcdefghij");
  for (const auto& p : parts)
    EXPECT_GE(p.size(), 3u);

  parts.clear();
  const std::string utf8 = "h\xC3\xA9llo \xE2\x82\xAC!";  // "héllo €!" = 8 characters
  for_each_part(utf8, 8, [&](std::string_view p) { parts.emplace_back(p); });
  ASSERT_EQ(parts.size(), 8u);
  EXPECT_EQ(parts[1], "\xC3\xA9");
  EXPECT_EQ(parts[6], "\xE2\x82\xAC");

  parts.clear();
  for_each_part("ab", 20, [&](std::string_view p) { parts.emplace_back(p); });
  EXPECT_EQ(parts.size(), 2u);  // fewer when the text is shorter
  parts.clear();
  for_each_part("", 5, [&](std::string_view p) { parts.emplace_back(p); });
  EXPECT_TRUE(parts.empty());
}

TEST(ChatPlan, EchoesLastUserText) {
  auto plan = plan_chat(user_body("gpt-4.1", "hello"), catalog());
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->text, "You said: hello");
  EXPECT_FALSE(plan->tool_call);
  EXPECT_FALSE(plan->stream);
  EXPECT_EQ(plan_chat(user_body("gpt-4.1", ""), catalog())->text, "Hello from the simulator.");
}

TEST(ChatPlan, ConcatenatesTextParts) {
  const std::string body =
      R"({"model":"gpt-4o","messages":[{"role":"system","content":"sys"},{"role":"user",)"
      R"("content":[{"type":"text","text":"look "},{"type":"image_url","image_url":{"url":"x"}},)"
      R"({"type":"text","text":"here"}]}]})";
  auto plan = plan_chat(body, catalog());
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->text, "You said: look here");
}

TEST(ChatPlan, ToolMessageAnswer) {
  const std::string body = R"({"model":"gpt-4.1","messages":[{"role":"user","content":"hi"},)"
                           R"({"role":"assistant","content":null,"tool_calls":[]},)"
                           R"({"role":"tool","tool_call_id":"call_1","content":"sunny"}],)" +
                           std::string(kTools) + "}";
  auto plan = plan_chat(body, catalog());
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->text, "Tool result received: sunny");
  EXPECT_FALSE(plan->tool_call);
}

TEST(ChatPlan, ToolCallUsesFirstToolAndFirstProperty) {
  auto plan = plan_chat(user_body("gpt-4.1", "Paris", kTools), catalog());
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->tool_call);
  EXPECT_EQ(plan->tool_name, "get_weather");
  EXPECT_EQ(json::parse(plan->tool_args), json::parse(R"({"city":"Paris"})"));
  EXPECT_TRUE(plan->text.empty());

  auto claude = plan_chat(user_body("claude-sonnet-4.5", "Paris", kTools), catalog());
  ASSERT_TRUE(claude.ok());
  EXPECT_EQ(claude->text, "I'll use the get_weather tool.");

  auto named =
      plan_chat(user_body("gpt-4.1", "x",
                          std::string(kTools) +
                              R"(,"tool_choice":{"type":"function","function":{"name":"other"}})"),
                catalog());
  EXPECT_EQ(named->tool_name, "other");
  EXPECT_EQ(json::parse(named->tool_args), json::parse(R"({"input":"x"})"));

  auto none = plan_chat(user_body("gpt-4.1", "x", std::string(kTools) + R"(,"tool_choice":"none")"),
                        catalog());
  EXPECT_FALSE(none->tool_call);
}

TEST(ChatPlan, ToolAndArgsDirectives) {
  auto plan = plan_chat(user_body("gpt-4.1", R"(go [[sim:tool=other, args={"a":"b,c"}]])", kTools),
                        catalog());
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->tool_name, "other");
  EXPECT_EQ(plan->tool_args, R"({"a":"b,c"})");
  auto missing = plan_chat(user_body("gpt-4.1", "go [[sim:tool=nope]]", kTools), catalog());
  EXPECT_EQ(missing->tool_name, "get_weather");
  EXPECT_EQ(json::parse(missing->tool_args), json::parse(R"({"city":"go"})"));
  auto choice = plan_chat(
      user_body("gpt-4.1", "go [[sim:tool=other]]",
                std::string(kTools) +
                    R"(,"tool_choice":{"type":"function","function":{"name":"get_weather"}})"),
      catalog());
  EXPECT_EQ(choice->tool_name, "get_weather");
}

TEST(ChatPlan, ValidationErrors) {
  auto bad = plan_chat("{not json", catalog());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().status, 400);
  EXPECT_EQ(bad.error().code, "invalid_request_body");
  EXPECT_EQ(plan_chat(R"({"model":"gpt-4.1","messages":[]})", catalog()).error().code,
            "invalid_request_body");
  EXPECT_EQ(plan_chat(user_body("gpt-9", "x"), catalog()).error().code, "model_not_supported");
  EXPECT_EQ(plan_chat(user_body("gpt-5.1-codex", "x"), catalog()).error().code,
            "unsupported_api_for_model");
  EXPECT_EQ(plan_chat(user_body("text-embedding-3-small", "x"), catalog()).error().code,
            "unsupported_api_for_model");
}

TEST(ChatPlan, ThinkingOnlyForClaude) {
  auto claude =
      plan_chat(user_body("claude-sonnet-4.5", "why", R"("thinking_budget":2048)"), catalog());
  EXPECT_EQ(claude->reasoning_text, "Thinking about: why");
  auto gpt = plan_chat(user_body("gpt-4.1", "why", R"("thinking_budget":2048)"), catalog());
  EXPECT_TRUE(gpt->reasoning_text.empty());
}

RenderIds fixed_ids() {
  return RenderIds{"chatcmpl-abc", "call_xyz", "sig_123456789012", 1700};
}

TEST(ChatRender, CompletionJson) {
  auto plan = plan_chat(user_body("gpt-4.1", "hi \"you\""), catalog());
  std::string out;
  render_completion(*plan, fixed_ids(), out);
  const json::value v = json::parse(out);
  EXPECT_EQ(v.at("id"), "chatcmpl-abc");
  EXPECT_EQ(v.at("object"), "chat.completion");
  EXPECT_EQ(v.at("created"), 1700);
  EXPECT_EQ(v.at("model"), "gpt-4.1");
  const auto& choice = v.at("choices").at(0);
  EXPECT_EQ(choice.at("message").at("content"), "You said: hi \"you\"");
  EXPECT_EQ(choice.at("finish_reason"), "stop");
  EXPECT_TRUE(choice.at("logprobs").is_null());
  const auto& usage = v.at("usage");
  EXPECT_EQ(usage.at("total_tokens").as_int64(),
            usage.at("prompt_tokens").as_int64() + usage.at("completion_tokens").as_int64());
  EXPECT_EQ(usage.at("prompt_tokens_details").at("cached_tokens"), 0);
}

TEST(ChatRender, ClaudeToolCallSplitAcrossTwoChoices) {
  auto plan = plan_chat(user_body("claude-sonnet-4.5", "Oslo", kTools), catalog());
  std::string out;
  render_completion(*plan, fixed_ids(), out);
  const json::value v = json::parse(out);
  const auto& choices = v.at("choices").as_array();
  ASSERT_EQ(choices.size(), 2u);
  EXPECT_EQ(choices[0].at("message").at("content"), "I'll use the get_weather tool.");
  EXPECT_EQ(choices[1].at("index"), 1);
  const auto& call = choices[1].at("message").at("tool_calls").at(0);
  EXPECT_EQ(call.at("id"), "call_xyz");
  EXPECT_EQ(call.at("function").at("name"), "get_weather");
  EXPECT_EQ(json::parse(call.at("function").at("arguments").as_string()),
            json::parse(R"({"city":"Oslo"})"));
  EXPECT_EQ(choices[1].at("finish_reason"), "tool_calls");
}

TEST(ChatRender, StreamEventsAndOffsets) {
  auto plan =
      plan_chat(user_body("claude-sonnet-4.5", "abc", R"("thinking_budget":1024)"), catalog());
  std::string out;
  std::vector<size_t> ends;
  render_stream(*plan, fixed_ids(), 4, false, out, ends);
  const auto events = testing::sse_data(out);
  ASSERT_EQ(events.size(), ends.size());
  EXPECT_EQ(ends.back(), out.size());
  EXPECT_EQ(events.back(), "[DONE]");
  EXPECT_EQ(json::parse(events[0]).at("choices").at(0).at("delta").at("role"), "assistant");
  std::string reasoning, content, opaque;
  bool content_seen_before_reasoning = false;
  for (size_t i = 1; i + 1 < events.size(); ++i) {
    const json::value e = json::parse(events[i]);
    if (e.at("choices").as_array().empty()) continue;
    const auto& delta = e.at("choices").at(0).at("delta").as_object();
    if (auto* r = delta.if_contains("reasoning_text")) {
      reasoning += r->as_string();
      if (!content.empty()) content_seen_before_reasoning = true;
    }
    if (auto* o = delta.if_contains("reasoning_opaque")) opaque = o->as_string();
    if (auto* c = delta.if_contains("content")) content += c->as_string();
  }
  EXPECT_EQ(reasoning, "Thinking about: abc");
  EXPECT_EQ(opaque, "sig_123456789012");
  EXPECT_EQ(content, "You said: abc");
  EXPECT_FALSE(content_seen_before_reasoning);
}

TEST(ChatRender, UsageOnFinishChunk) {
  auto plan = plan_chat(user_body("gpt-4.1", "abc"), catalog());
  std::string out;
  std::vector<size_t> ends;
  render_stream(*plan, fixed_ids(), 2, true, out, ends);
  const auto events = testing::sse_data(out);
  ASSERT_GE(events.size(), 3u);
  const json::value finish = json::parse(events[events.size() - 2]);
  EXPECT_EQ(finish.at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_TRUE(finish.as_object().contains("usage"));
  for (const auto& e : events)
    EXPECT_EQ(e.find("\"choices\":[]"), std::string::npos);
}

}  // namespace
}  // namespace cg::sim
