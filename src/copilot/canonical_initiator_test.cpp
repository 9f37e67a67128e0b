// Tests for X-Initiator of translated requests (Messages, Responses) and the vision checks.
#include <gtest/gtest.h>

#include "copilot/initiator.h"

namespace cg::copilot {
namespace {

using translate::Block;
using translate::Message;
using translate::Request;
using translate::Role;

Block text(std::string t) {
  Block b;
  b.kind = Block::Kind::kText;
  b.text = std::move(t);
  return b;
}

Block image() {
  Block b;
  b.kind = Block::Kind::kImage;
  b.image_url = "data:image/png;base64,iVBORw0KGgo=";
  return b;
}

Block tool_call(std::string id) {
  Block b;
  b.kind = Block::Kind::kToolCall;
  b.id = std::move(id);
  b.name = "ls";
  b.arguments = "{}";
  return b;
}

Block tool_result(std::string id, std::vector<Block> parts = {}) {
  Block b;
  b.kind = Block::Kind::kToolResult;
  b.id = std::move(id);
  if (parts.empty()) {
    b.text = "a.txt";
  } else {
    b.parts = std::move(parts);
  }
  return b;
}

Block thinking(std::string t) {
  Block b;
  b.kind = Block::Kind::kThinking;
  b.text = std::move(t);
  b.signature = "sig";
  return b;
}

Message msg(Role role, std::vector<Block> content) {
  return Message{role, std::move(content)};
}

Request conversation(std::vector<Message> messages) {
  Request r;
  r.model = "m";
  r.messages = std::move(messages);
  return r;
}

TEST(CanonicalInitiator, FreshUserTurnIsUser) {
  EXPECT_EQ(canonical_initiator(conversation({msg(Role::kUser, {text("hi")})})), Initiator::kUser);
  // Deep in a conversation with tool history, a new user text is still a user turn.
  Request r = conversation(
      {msg(Role::kSystem, {text("be brief")}), msg(Role::kUser, {text("list files")}),
       msg(Role::kAssistant, {tool_call("t1")}), msg(Role::kUser, {tool_result("t1")}),
       msg(Role::kAssistant, {text("a.txt")}), msg(Role::kUser, {text("thanks, now delete it")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kUser);
}

TEST(CanonicalInitiator, ToolResultOnlyTurnIsAgent) {
  Request r = conversation({msg(Role::kUser, {text("list files")}),
                            msg(Role::kAssistant, {tool_call("t1"), tool_call("t2")}),
                            msg(Role::kUser, {tool_result("t1"), tool_result("t2")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kAgent);
  // A tool result together with new user text is a user turn.
  r.messages.back().content.push_back(text("and also this"));
  EXPECT_EQ(canonical_initiator(r), Initiator::kUser);
  // So is an image next to a tool result.
  r.messages.back().content = {tool_result("t1"), image()};
  EXPECT_EQ(canonical_initiator(r), Initiator::kUser);
}

TEST(CanonicalInitiator, ToolRoleLastIsAgent) {
  // Responses function_call_output items become tool-role messages.
  Request r = conversation({msg(Role::kUser, {text("q")}), msg(Role::kAssistant, {tool_call("c")}),
                            msg(Role::kTool, {tool_result("c")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kAgent);
}

TEST(CanonicalInitiator, AssistantLastSystemOnlyAndEmptyAreAgent) {
  EXPECT_EQ(canonical_initiator(conversation(
                {msg(Role::kUser, {text("q")}), msg(Role::kAssistant, {text("prefill")})})),
            Initiator::kAgent);
  EXPECT_EQ(canonical_initiator(conversation({msg(Role::kSystem, {text("s")})})),
            Initiator::kAgent);
  EXPECT_EQ(canonical_initiator(conversation({msg(Role::kDeveloper, {text("d")})})),
            Initiator::kAgent);
  EXPECT_EQ(canonical_initiator(conversation({})), Initiator::kAgent);
  // A user message with no blocks has nothing the user wrote.
  EXPECT_EQ(canonical_initiator(conversation({msg(Role::kUser, {})})), Initiator::kAgent);
}

TEST(CanonicalInitiator, SubagentMarkerMakesEveryTurnAgent) {
  // In the system prompt.
  Request r =
      conversation({msg(Role::kSystem, {text("You are a helper. __SUBAGENT_MARKER__ {\"id\":1}")}),
                    msg(Role::kUser, {text("search the repo")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kAgent);
  // In an earlier user message.
  r = conversation({msg(Role::kUser, {text("x"), text("<system-reminder>__SUBAGENT_MARKER__")}),
                    msg(Role::kAssistant, {text("ok")}), msg(Role::kUser, {text("go on")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kAgent);
  // Only system/user texts count: an assistant quoting the marker does not.
  r = conversation({msg(Role::kUser, {text("q")}),
                    msg(Role::kAssistant, {text("__SUBAGENT_MARKER__")}),
                    msg(Role::kUser, {text("next")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kUser);
  // Nor does a tool result that happens to contain it (not a text block).
  Block tr = tool_result("t1");
  tr.text = "__SUBAGENT_MARKER__";
  r = conversation({msg(Role::kUser, {tr, text("next")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kUser);
  // Part of the marker is not the marker.
  r = conversation({msg(Role::kUser, {text("__SUBAGENT_MARK")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kUser);
}

TEST(CanonicalInitiator, TrailingInstructionsDoNotChangeWhoSpokeLast) {
  Request r = conversation({msg(Role::kUser, {text("fix the bug")}),
                            msg(Role::kSystem, {text("per-turn reminder")}),
                            msg(Role::kDeveloper, {text("more instructions")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kUser);
  r = conversation({msg(Role::kUser, {text("q")}), msg(Role::kAssistant, {tool_call("t")}),
                    msg(Role::kUser, {tool_result("t")}), msg(Role::kSystem, {text("reminder")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kAgent);
  r = conversation({msg(Role::kUser, {text("q")}), msg(Role::kAssistant, {text("a")}),
                    msg(Role::kSystem, {text("reminder")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kAgent);
}

TEST(CanonicalInitiator, CompactionTurnIsAgent) {
  Request r = conversation(
      {msg(Role::kUser, {text("q")}), msg(Role::kAssistant, {text("a")}),
       msg(Role::kUser,
           {text("Your task is to create a detailed summary of the conversation so far.")})});
  EXPECT_EQ(canonical_initiator(r), Initiator::kAgent);
}

TEST(CanonicalInitiator, ThinkingOnlyUserTurnCountsAsUser) {
  // Any non-tool-result block makes the last user message a user turn.
  EXPECT_EQ(canonical_initiator(conversation({msg(Role::kUser, {image()})})), Initiator::kUser);
  EXPECT_EQ(canonical_initiator(conversation({msg(Role::kUser, {thinking("t")})})),
            Initiator::kUser);
}

TEST(CanonicalVision, NoImages) {
  Request r = conversation({msg(Role::kUser, {text("data:image/png;base64,iVBOR")}),
                            msg(Role::kAssistant, {tool_call("t")}),
                            msg(Role::kUser, {tool_result("t", {text("image")})})});
  EXPECT_FALSE(has_image(r));
  EXPECT_EQ(image_count(r), 0u);
  EXPECT_FALSE(has_image(conversation({})));
}

TEST(CanonicalVision, ImagesInMessagesAndToolResultsAreCounted) {
  Request r = conversation({msg(Role::kUser, {text("look"), image(), image()})});
  EXPECT_TRUE(has_image(r));
  EXPECT_EQ(image_count(r), 2u);

  // Only inside a tool result (a screenshot tool).
  Request shot = conversation({msg(Role::kUser, {text("take a screenshot")}),
                               msg(Role::kAssistant, {tool_call("s")}),
                               msg(Role::kUser, {tool_result("s", {text("here"), image()})})});
  EXPECT_TRUE(has_image(shot));
  EXPECT_EQ(image_count(shot), 1u);

  // Both, across several messages.
  shot.messages.push_back(msg(Role::kAssistant, {text("seen")}));
  shot.messages.push_back(msg(Role::kUser, {image(), tool_result("u", {image(), image()})}));
  EXPECT_EQ(image_count(shot), 4u);
}

}  // namespace
}  // namespace cg::copilot
