// Tests for the conversation affinity keys: a header session id wins, then prompt_cache_key and
// user, then the conversation's start; later turns of one conversation keep its key, other
// conversations get another; long prompts are keyed by their ends and lengths.
#include "server/affinity_key.h"

#include <gtest/gtest.h>

#include <string>

namespace cg::server {
namespace {

h1::Request parse_head(const std::string& extra_headers) {
  h1::Request req;
  h1::RequestParser p(req);
  const std::string wire = "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n" + extra_headers +
                           "content-length: 0\r\n\r\n";
  error_code ec;
  p.put(net::buffer(wire), ec);
  EXPECT_FALSE(ec) << ec.message();
  return req;
}

uint64_t chat_key(const h1::Request& req, const std::string& body) {
  auto info = wire::openai::scan_chat_request(body);
  EXPECT_TRUE(static_cast<bool>(info)) << body;
  return info ? chat_affinity_key(req, body, *info) : 0;
}

std::string chat(const std::string& messages, const std::string& extra = {}) {
  return R"({"model":"gpt-4.1",)" + extra + R"("messages":[)" + messages + "]}";
}

constexpr const char* kSystem = R"({"role":"system","content":"You are helpful."})";
constexpr const char* kFirst = R"({"role":"user","content":"fix the bug in main.c"})";
constexpr const char* kAnswer = R"({"role":"assistant","content":"done"})";
constexpr const char* kNext = R"({"role":"user","content":"now add a test"})";

TEST(AffinityKey, LaterTurnsKeepTheConversationsKey) {
  const h1::Request none = parse_head("");
  const uint64_t turn1 = chat_key(none, chat(std::string(kSystem) + "," + kFirst));
  const uint64_t turn2 =
      chat_key(none, chat(std::string(kSystem) + "," + kFirst + "," + kAnswer + "," + kNext));
  EXPECT_NE(turn1, 0u);
  EXPECT_EQ(turn1, turn2);
  const uint64_t other =
      chat_key(none, chat(std::string(kSystem) + R"(,{"role":"user","content":"write a poem"})"));
  EXPECT_NE(other, turn1);
}

TEST(AffinityKey, HeaderThenCacheKeyThenUserThenPrompt) {
  const std::string body = chat(std::string(kSystem) + "," + kFirst);
  const h1::Request none = parse_head("");
  const h1::Request claude = parse_head("x-claude-code-session-id: 1234\r\n");
  const h1::Request codex = parse_head("session_id: 1234\r\n");
  const uint64_t by_prompt = chat_key(none, body);
  const uint64_t by_header = chat_key(claude, body);
  EXPECT_NE(by_header, by_prompt);
  EXPECT_EQ(by_header, chat_key(codex, body));          // the same session id, whichever header
  EXPECT_EQ(by_header, chat_key(claude, chat(kNext)));  // the header decides alone
  const uint64_t by_cache = chat_key(none, chat(kFirst, R"("prompt_cache_key":"conv-1",)"));
  EXPECT_EQ(by_cache, chat_key(none, chat(kNext, R"("prompt_cache_key":"conv-1",)")));
  EXPECT_NE(by_cache, chat_key(none, chat(kNext, R"("prompt_cache_key":"conv-2",)")));
  const uint64_t by_user = chat_key(none, chat(kFirst, R"("user":"u-7",)"));
  EXPECT_EQ(by_user, chat_key(none, chat(kNext, R"("user":"u-7",)")));
  EXPECT_NE(by_user, by_cache);
}

TEST(AffinityKey, LongPromptsDifferingAtEitherEndOrInLengthGetOtherKeys) {
  const h1::Request none = parse_head("");
  const std::string big(50'000, 'a');
  auto with = [&](const std::string& text) {
    return chat_key(none, chat(R"({"role":"user","content":")" + text + R"("})"));
  };
  const uint64_t base = with(big);
  EXPECT_EQ(base, with(big));
  EXPECT_NE(base, with("b" + big.substr(1)));
  EXPECT_NE(base, with(big.substr(1) + "b"));
  EXPECT_NE(base, with(big + "a"));
}

TEST(AffinityKey, CanonicalRequestsUseTheSameOrder) {
  const h1::Request none = parse_head("");
  translate::Request r;
  EXPECT_EQ(request_affinity_key(none, r), 0u);
  translate::Message sys{translate::Role::kSystem, {}};
  sys.content.push_back(translate::Block{});
  sys.content.back().text = "You are helpful.";
  translate::Message user{translate::Role::kUser, {}};
  user.content.push_back(translate::Block{});
  user.content.back().text = "fix the bug";
  r.messages = {sys, user};
  const uint64_t first = request_affinity_key(none, r);
  EXPECT_NE(first, 0u);
  translate::Message later = user;
  later.content.back().text = "and a test";
  r.messages.push_back(later);
  EXPECT_EQ(request_affinity_key(none, r), first);
  r.user = "session-9";
  EXPECT_NE(request_affinity_key(none, r), first);
  r.prompt_cache_key = "conv";
  const uint64_t cached = request_affinity_key(none, r);
  r.user.clear();
  EXPECT_EQ(request_affinity_key(none, r), cached);
  EXPECT_EQ(request_affinity_key(parse_head("session_id: s\r\n"), r),
            request_affinity_key(parse_head("conversation_id: s\r\n"), translate::Request{}));
}

}  // namespace
}  // namespace cg::server

namespace cg::server {
namespace {

// The header names read with Fields::extension must be ones Beast does not know (a known name
// would be stored by id and never found that way).
TEST(AffinityKey, HeaderNamesAreExtensions) {
  for (std::string_view name :
       {"x-claude-code-session-id", "session_id", "x-session-id", "conversation_id",
        "x-copilot-account", "x-quota-snapshot-premium_interactions", "x-ratelimit-exceeded"})
    EXPECT_EQ(http::string_to_field(name), http::field::unknown) << name;
  const h1::Request req = parse_head("X-Copilot-Account: work\r\nSession_Id: s1\r\n");
  EXPECT_EQ(req.fields().extension("x-copilot-account"), "work");
  EXPECT_EQ(req.fields().extension("session_id"), "s1");
  EXPECT_EQ(req.fields().extension("session"), "");
}

}  // namespace
}  // namespace cg::server
