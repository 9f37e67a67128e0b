// Tests for the X-Initiator decision.
#include "copilot/initiator.h"

#include <gtest/gtest.h>

namespace cg::copilot {
namespace {

Initiator for_body(std::string_view body) {
  auto info = wire::openai::scan_chat_request(body);
  EXPECT_TRUE(info.ok()) << body;
  return info.ok() ? chat_initiator(*info) : Initiator::kAgent;
}

TEST(Initiator, Strings) {
  EXPECT_EQ(to_string(Initiator::kUser), "user");
  EXPECT_EQ(to_string(Initiator::kAgent), "agent");
}

TEST(Initiator, ChatLastMessageDecides) {
  // A fresh user turn, even deep in a conversation with assistant/tool history, is "user".
  EXPECT_EQ(for_body(R"({"model":"m","messages":[{"role":"system","content":"s"},)"
                     R"({"role":"user","content":"q"},{"role":"assistant","content":"a"},)"
                     R"({"role":"tool","tool_call_id":"1","content":"r"},)"
                     R"({"role":"user","content":"next"}]})"),
            Initiator::kUser);
  // Tool-loop continuation: last message is a tool result.
  EXPECT_EQ(for_body(R"({"model":"m","messages":[{"role":"user","content":"q"},)"
                     R"({"role":"assistant","tool_calls":[]},{"role":"tool","content":"r"}]})"),
            Initiator::kAgent);
  // Assistant prefill, system-only, developer, legacy function results: agent.
  for (const char* role : {"assistant", "system", "developer", "function", "other"}) {
    std::string body = std::string(R"({"model":"m","messages":[{"role":"user","content":"q"},)") +
                       R"({"role":")" + role + R"(","content":"x"}]})";
    EXPECT_EQ(for_body(body), Initiator::kAgent) << role;
  }
}

TEST(Initiator, NoMessagesIsAgent) {
  wire::openai::ChatRequestInfo info;
  EXPECT_EQ(chat_initiator(info), Initiator::kAgent);
  info.last_role = wire::openai::Role::kUser;
  EXPECT_EQ(chat_initiator(info), Initiator::kUser);
}

}  // namespace
}  // namespace cg::copilot

namespace cg::copilot {
namespace {

translate::Message user_text(std::string text) {
  translate::Message m;
  m.role = translate::Role::kUser;
  translate::Block b;
  b.text = std::move(text);
  m.content.push_back(std::move(b));
  return m;
}

TEST(CanonicalInitiator, CompactionAndSubagentTurnsAreAgent) {
  translate::Request r;
  r.messages.push_back(user_text("Fix the bug"));
  EXPECT_EQ(canonical_initiator(r), Initiator::kUser);
  r.messages.push_back(user_text(
      "Your task is to create a detailed summary of the conversation so far, paying attention"));
  EXPECT_EQ(canonical_initiator(r), Initiator::kAgent);
  // A per-turn system message after the human's turn: still the human's turn.
  translate::Request turn;
  turn.messages.push_back(user_text("hi"));
  translate::Message sys;
  sys.role = translate::Role::kSystem;
  sys.content.push_back(translate::Block{});
  sys.content.back().text = "Today is Monday.";
  turn.messages.push_back(sys);
  EXPECT_EQ(canonical_initiator(turn), Initiator::kUser);
  translate::Request sub;
  sub.messages.push_back(user_text("<system-reminder>__SUBAGENT_MARKER__{}</system-reminder> go"));
  EXPECT_EQ(canonical_initiator(sub), Initiator::kAgent);
}

}  // namespace
}  // namespace cg::copilot
