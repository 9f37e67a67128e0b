// Tests for model name resolution, the unknown-model message and the choice of upstream endpoint.
#include "copilot/model_routing.h"

#include <gtest/gtest.h>

namespace cg::copilot {
namespace {

using wire::copilot::ModelCatalog;
using wire::copilot::ModelInfo;

ModelInfo model(std::string id, std::vector<std::string> endpoints = {},
                std::string type = "chat") {
  ModelInfo m;
  m.id = std::move(id);
  m.type = std::move(type);
  m.supported_endpoints = std::move(endpoints);
  return m;
}

ModelCatalog catalog() {
  ModelCatalog c;
  c.models = {
      model("gpt-4.1", {"/chat/completions", "/responses"}),
      model("gpt-5.1-codex", {"/responses"}),
      model("claude-sonnet-4", {"/chat/completions", "/v1/messages"}),
      model("claude-sonnet-4.5", {"/chat/completions", "/v1/messages"}),
      model("claude-haiku-4.5", {"/chat/completions", "/v1/messages"}),
      model("claude-3.5-sonnet", {"/chat/completions"}),
      model("claude-opus-41", {"/chat/completions", "/v1/messages"}),
      model("gpt-4o-mini"),
      model("text-embedding-3-small", {}, "embeddings"),
  };
  return c;
}

// The id resolve_model returns, or "" for nullptr.
std::string resolved(const ModelCatalog& c, std::string_view requested,
                     const std::map<std::string, std::string>& aliases = {}) {
  const ModelInfo* m = resolve_model(c, requested, aliases);
  return m ? m->id : std::string();
}

TEST(ModelRouting, ExactIdAndCaseInsensitiveMatch) {
  const ModelCatalog c = catalog();
  const ModelInfo* m = resolve_model(c, "gpt-4.1", {});
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m, &c.models[0]);  // a pointer into the catalog, not a copy
  EXPECT_EQ(resolved(c, "GPT-4.1"), "gpt-4.1");
  EXPECT_EQ(resolved(c, "Claude-Sonnet-4.5"), "claude-sonnet-4.5");
  EXPECT_EQ(resolved(c, "text-embedding-3-small"), "text-embedding-3-small");
}

TEST(ModelRouting, UnknownNamesResolveToNothing) {
  const ModelCatalog c = catalog();
  EXPECT_EQ(resolve_model(c, "no-such-model", {}), nullptr);
  EXPECT_EQ(resolve_model(c, "", {}), nullptr);
  EXPECT_EQ(resolve_model(c, "claude-sonnet-5", {}), nullptr);
  EXPECT_EQ(resolve_model(c, "gpt-4.1x", {}), nullptr);
  EXPECT_EQ(resolve_model(ModelCatalog{}, "gpt-4.1", {}), nullptr);
}

TEST(ModelRouting, AliasesComeFirst) {
  const ModelCatalog c = catalog();
  const std::map<std::string, std::string> aliases{
      {"fast", "GPT-4O-MINI"}, {"gpt-4.1", "claude-sonnet-4"}, {"broken", "does-not-exist"}};
  EXPECT_EQ(resolved(c, "fast", aliases), "gpt-4o-mini");
  // An alias wins over an exact catalog id.
  EXPECT_EQ(resolved(c, "gpt-4.1", aliases), "claude-sonnet-4");
  // An alias to an unknown id falls back to the name itself (unknown here).
  EXPECT_EQ(resolved(c, "broken", aliases), "");
  // Aliases are exact, case-sensitive keys.
  EXPECT_EQ(resolved(c, "FAST", aliases), "");
}

TEST(ModelRouting, DatedClaudeNames) {
  const ModelCatalog c = catalog();
  EXPECT_EQ(resolved(c, "claude-sonnet-4-20250514"), "claude-sonnet-4");
  EXPECT_EQ(resolved(c, "claude-haiku-4-5-20251001"), "claude-haiku-4.5");
  EXPECT_EQ(resolved(c, "claude-sonnet-4-5-20250929"), "claude-sonnet-4.5");
  EXPECT_EQ(resolved(c, "claude-sonnet-4-5"), "claude-sonnet-4.5");
  EXPECT_EQ(resolved(c, "claude-haiku-4-5"), "claude-haiku-4.5");
  EXPECT_EQ(resolved(c, "claude-3-5-sonnet-20241022"), "claude-3.5-sonnet");
  EXPECT_EQ(resolved(c, "claude-sonnet-4-2025-05-14"), "claude-sonnet-4");
  EXPECT_EQ(resolved(c, "CLAUDE-SONNET-4-20250514"), "claude-sonnet-4");
}

TEST(ModelRouting, LatestSuffixIsDropped) {
  const ModelCatalog c = catalog();
  EXPECT_EQ(resolved(c, "claude-3-5-sonnet-latest"), "claude-3.5-sonnet");
  EXPECT_EQ(resolved(c, "claude-sonnet-4-latest"), "claude-sonnet-4");
  EXPECT_EQ(resolved(c, "claude-haiku-4-5-latest"), "claude-haiku-4.5");
}

TEST(ModelRouting, UndottedCatalogIds) {
  const ModelCatalog c = catalog();
  EXPECT_EQ(resolved(c, "claude-opus-4-1"), "claude-opus-41");
  EXPECT_EQ(resolved(c, "claude-opus-4.1"), "claude-opus-41");
  EXPECT_EQ(resolved(c, "claude-opus-4-1-20250805"), "claude-opus-41");
  EXPECT_EQ(resolved(c, "claude-opus-41"), "claude-opus-41");
  // And the other way round: a dotted catalog id reached from an undotted name.
  ModelCatalog dotted;
  dotted.models = {model("claude-opus-4.1")};
  EXPECT_EQ(resolved(dotted, "claude-opus-4-1"), "claude-opus-4.1");
  EXPECT_EQ(resolved(dotted, "claude-opus-4-1-20250805"), "claude-opus-4.1");
}

TEST(ModelRouting, OnlyShortVersionRunsAreDotted) {
  ModelCatalog c;
  c.models = {model("m-2025.1"), model("m-1.2")};
  // A hyphen between a long digit run and another is not a version separator.
  EXPECT_EQ(resolved(c, "m-2025-1"), "");
  EXPECT_EQ(resolved(c, "m-1-2"), "m-1.2");
}

TEST(ModelRouting, UnknownModelMessageListsChatModels) {
  const ModelCatalog c = catalog();
  const std::string msg = unknown_model_message(c, "gpt-9");
  EXPECT_EQ(msg,
            "The model 'gpt-9' is not available through this gateway. Available models: gpt-4.1, "
            "gpt-5.1-codex, claude-sonnet-4, claude-sonnet-4.5, claude-haiku-4.5, "
            "claude-3.5-sonnet, claude-opus-41, gpt-4o-mini.");
  EXPECT_EQ(msg.find("text-embedding"), std::string::npos);
  // Models without a type count as chat models.
  ModelCatalog untyped;
  untyped.models = {model("a", {}, ""), model("e", {}, "embeddings")};
  EXPECT_EQ(unknown_model_message(untyped, "x"),
            "The model 'x' is not available through this gateway. Available models: a.");
  EXPECT_EQ(unknown_model_message(ModelCatalog{}, "x"),
            "The model 'x' is not available through this gateway. Available models: (none).");
}

TEST(ModelRouting, UnknownModelMessageTruncatesTheName) {
  const std::string huge(1000, 'z');
  const std::string msg = unknown_model_message(ModelCatalog{}, huge);
  EXPECT_NE(msg.find("'" + std::string(200, 'z') + "'"), std::string::npos);
  EXPECT_EQ(msg.find(std::string(201, 'z')), std::string::npos);
}

TEST(ModelRouting, Offers) {
  const ModelInfo m = model("x", {"/chat/completions", "/responses"});
  EXPECT_TRUE(offers(m, "/chat/completions"));
  EXPECT_TRUE(offers(m, "/responses"));
  EXPECT_FALSE(offers(m, "/v1/messages"));
  EXPECT_FALSE(offers(m, "/responses/"));
  EXPECT_FALSE(offers(model("y"), "/chat/completions"));
}

TEST(ModelRouting, ChooseUpstreamForMessagesClients) {
  const ModelInfo claude = model("c", {"/chat/completions", "/v1/messages"});
  EXPECT_EQ(choose_upstream(claude, ClientApi::kMessages, true), UpstreamApi::kMessages);
  EXPECT_EQ(choose_upstream(claude, ClientApi::kMessages, false), UpstreamApi::kChat);
  const ModelInfo gpt = model("g", {"/chat/completions", "/responses"});
  EXPECT_EQ(choose_upstream(gpt, ClientApi::kMessages, true), UpstreamApi::kChat);
  const ModelInfo codex = model("x", {"/responses"});
  EXPECT_EQ(choose_upstream(codex, ClientApi::kMessages, true), UpstreamApi::kResponses);
  EXPECT_EQ(choose_upstream(codex, ClientApi::kMessages, false), UpstreamApi::kResponses);
  // A Messages-only model is still reached natively when native_messages is off: there is no
  // other way.
  const ModelInfo messages_only = model("m", {"/v1/messages"});
  EXPECT_EQ(choose_upstream(messages_only, ClientApi::kMessages, false), UpstreamApi::kMessages);
  EXPECT_EQ(choose_upstream(messages_only, ClientApi::kMessages, true), UpstreamApi::kMessages);
}

TEST(ModelRouting, ChooseUpstreamForResponsesAndChatClients) {
  const ModelInfo gpt = model("g", {"/chat/completions", "/responses"});
  EXPECT_EQ(choose_upstream(gpt, ClientApi::kResponses, true), UpstreamApi::kResponses);
  EXPECT_EQ(choose_upstream(gpt, ClientApi::kChat, true), UpstreamApi::kChat);
  const ModelInfo claude = model("c", {"/chat/completions", "/v1/messages"});
  EXPECT_EQ(choose_upstream(claude, ClientApi::kResponses, true), UpstreamApi::kChat);
  EXPECT_EQ(choose_upstream(claude, ClientApi::kChat, true), UpstreamApi::kChat);
  const ModelInfo codex = model("x", {"/responses"});
  EXPECT_EQ(choose_upstream(codex, ClientApi::kChat, false), UpstreamApi::kResponses);
  EXPECT_EQ(choose_upstream(codex, ClientApi::kResponses, false), UpstreamApi::kResponses);
  const ModelInfo messages_only = model("m", {"/v1/messages"});
  EXPECT_EQ(choose_upstream(messages_only, ClientApi::kChat, false), UpstreamApi::kMessages);
  EXPECT_EQ(choose_upstream(messages_only, ClientApi::kResponses, true), UpstreamApi::kMessages);
  const ModelInfo responses_and_messages = model("rm", {"/responses", "/v1/messages"});
  EXPECT_EQ(choose_upstream(responses_and_messages, ClientApi::kChat, true),
            UpstreamApi::kResponses);
}

TEST(ModelRouting, ModelsWithoutEndpointsAreChatOnly) {
  const ModelInfo bare = model("b");
  for (ClientApi client : {ClientApi::kChat, ClientApi::kResponses, ClientApi::kMessages}) {
    EXPECT_EQ(choose_upstream(bare, client, true), UpstreamApi::kChat);
    EXPECT_EQ(choose_upstream(bare, client, false), UpstreamApi::kChat);
  }
  // Endpoints the gateway does not know leave chat as the fallback.
  EXPECT_EQ(choose_upstream(model("o", {"/completions"}), ClientApi::kMessages, true),
            UpstreamApi::kChat);
}

TEST(ModelRouting, EndpointPaths) {
  EXPECT_EQ(endpoint_path(UpstreamApi::kChat), "/chat/completions");
  EXPECT_EQ(endpoint_path(UpstreamApi::kResponses), "/responses");
  EXPECT_EQ(endpoint_path(UpstreamApi::kMessages), "/v1/messages");
}

}  // namespace
}  // namespace cg::copilot
