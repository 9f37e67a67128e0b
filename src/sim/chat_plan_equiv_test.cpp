// Equivalence tests for plan_chat: the scanner-based planner must answer exactly like the
// Boost.JSON DOM planner it replaced (kept below as the reference) on large agent-shaped bodies
// (long system prompt in text parts, many tools with big schemas) and on edge cases (repeated
// keys, escapes, tool_choice, malformed JSON, invalid UTF-8, lone surrogates). Test thread only.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "sim/chat_plan.h"
#include "wire/json_text.h"

namespace cg::sim {
namespace {

namespace json = boost::json;

// ---- reference: the DOM planner as it was before the scanner rewrite ----

std::string ref_content_text(const json::value* content) {
  std::string out;
  if (content == nullptr) return out;
  if (const json::string* s = content->if_string()) return std::string(*s);
  if (const json::array* parts = content->if_array()) {
    for (const json::value& part : *parts) {
      const json::object* p = part.if_object();
      if (p == nullptr) continue;
      const json::value* t = p->if_contains("text");
      if (t != nullptr && t->is_string()) out.append(t->get_string());
    }
  }
  return out;
}

const json::object* ref_pick_tool(const json::object& body) {
  const json::value* tools = body.if_contains("tools");
  if (tools == nullptr || !tools->is_array() || tools->get_array().empty()) return nullptr;
  std::string_view wanted;
  if (const json::value* choice = body.if_contains("tool_choice")) {
    if (choice->is_string() && choice->get_string() == "none") return nullptr;
    if (const json::object* c = choice->if_object()) {
      if (const json::value* fn = c->if_contains("function"); fn != nullptr && fn->is_object()) {
        if (const json::value* n = fn->get_object().if_contains("name"); n && n->is_string())
          wanted = n->get_string();
      }
    }
  }
  const json::object* first = nullptr;
  for (const json::value& tool : tools->get_array()) {
    const json::object* t = tool.if_object();
    const json::value* fn = t != nullptr ? t->if_contains("function") : nullptr;
    if (fn == nullptr || !fn->is_object()) continue;
    const json::value* name = fn->get_object().if_contains("name");
    if (name == nullptr || !name->is_string()) continue;
    if (first == nullptr) first = &fn->get_object();
    if (!wanted.empty() && name->get_string() == wanted) return &fn->get_object();
  }
  return first;
}

std::string ref_first_property(const json::object& fn) {
  const json::value* params = fn.if_contains("parameters");
  if (params != nullptr && params->is_object()) {
    const json::value* props = params->get_object().if_contains("properties");
    if (props != nullptr && props->is_object() && !props->get_object().empty())
      return std::string(props->get_object().begin()->key());
  }
  return "input";
}

Result<ChatPlan> reference_plan(std::string_view body, const Catalog& catalog) {
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  if (ec)
    return ApiError::bad_request("failed to parse request body: " + ec.message(),
                                 "invalid_request_body");
  const json::object* obj = root.if_object();
  if (obj == nullptr)
    return ApiError::bad_request("request body must be a JSON object", "invalid_request_body");
  const json::value* model = obj->if_contains("model");
  if (model == nullptr || !model->is_string())
    return ApiError::bad_request("model is required", "invalid_request_body", "model");
  const json::value* messages = obj->if_contains("messages");
  if (messages == nullptr || !messages->is_array() || messages->get_array().empty())
    return ApiError::bad_request("messages must be a non-empty array", "invalid_request_body",
                                 "messages");
  ChatPlan plan;
  plan.model = std::string(model->get_string());
  const ModelInfo* info = catalog.find(plan.model);
  if (info == nullptr)
    return ApiError::bad_request("The requested model is not supported.", "model_not_supported",
                                 "model");
  if (!info->chat_completions)
    return ApiError::bad_request(
        "model \"" + plan.model + "\" is not accessible via the /chat/completions endpoint",
        "unsupported_api_for_model", "model");
  plan.claude = info->claude;
  if (const json::value* s = obj->if_contains("stream"); s != nullptr && s->is_bool())
    plan.stream = s->get_bool();
  size_t prompt_bytes = 0;
  std::string_view last_role;
  std::string last_text;
  for (const json::value& m : messages->get_array()) {
    const json::object* msg = m.if_object();
    const json::value* role = msg != nullptr ? msg->if_contains("role") : nullptr;
    if (role == nullptr || !role->is_string())
      return ApiError::bad_request("every message needs a string role", "invalid_request_body",
                                   "messages");
    last_role = role->get_string();
    last_text = ref_content_text(msg->if_contains("content"));
    prompt_bytes += last_text.size();
  }
  plan.prompt_tokens = static_cast<int>(prompt_bytes / 4) + 1;
  const std::string text = strip_directives(last_text, plan.overrides);
  const json::object* tool = last_role == "user" ? ref_pick_tool(*obj) : nullptr;
  if (last_role == "tool") {
    plan.text = "Tool result received: " + text;
  } else if (tool != nullptr) {
    plan.tool_call = true;
    plan.tool_name = std::string(tool->at("name").get_string());
    json::object args;
    args[ref_first_property(*tool)] = text;
    plan.tool_args = json::serialize(args);
    if (plan.claude) plan.text = "I'll use the " + plan.tool_name + " tool.";
  } else {
    plan.text = text.empty() ? "Hello from the simulator." : "You said: " + text;
  }
  if (info->thinking && obj->contains("thinking_budget"))
    plan.reasoning_text = "Thinking about: " + text;
  return plan;
}

// ---- comparison ----

void expect_same(std::string_view body, const std::string& label) {
  SCOPED_TRACE(label);
  const Result<ChatPlan> want = reference_plan(body, Catalog::instance());
  const Result<ChatPlan> got = plan_chat(body, Catalog::instance());
  ASSERT_EQ(got.ok(), want.ok()) << (got.ok() ? want.error().message : got.error().message);
  if (!want.ok()) {
    EXPECT_EQ(got.error().status, want.error().status);
    EXPECT_EQ(got.error().code, want.error().code);
    EXPECT_EQ(got.error().param, want.error().param);
    if (want.error().message.rfind("failed to parse", 0) == 0)  // parser wording differs
      EXPECT_EQ(got.error().message.rfind("failed to parse request body: ", 0), 0u);
    else
      EXPECT_EQ(got.error().message, want.error().message);
    return;
  }
  EXPECT_EQ(got->model, want->model);
  EXPECT_EQ(got->stream, want->stream);
  EXPECT_EQ(got->claude, want->claude);
  EXPECT_EQ(got->tool_call, want->tool_call);
  EXPECT_EQ(got->text, want->text);
  EXPECT_EQ(got->tool_name, want->tool_name);
  EXPECT_EQ(got->tool_args, want->tool_args);
  EXPECT_EQ(got->reasoning_text, want->reasoning_text);
  EXPECT_EQ(got->prompt_tokens, want->prompt_tokens);
  EXPECT_EQ(got->overrides.chunks, want->overrides.chunks);
  EXPECT_EQ(got->overrides.status, want->overrides.status);
}

// ---- agent-shaped bodies (deterministic pseudo-random text, like bench/gen_agent_body.py) ----

class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}

  std::string sentence() {
    static const char* kWords[] = {"the",   "file", "code",  "test", "build", "run", "tool",
                                   "value", "path", "error", "user", "plan",  "use", "edit"};
    std::string s;
    const int n = pick(4, 14);
    for (int i = 0; i < n; ++i) {
      if (i > 0) s += ' ';
      s += kWords[pick(0, 13)];
      const int r = pick(0, 40);
      if (r == 0) s += " \"quoted\"";
      if (r == 1) s += " caf\xC3\xA9";       // UTF-8 é
      if (r == 2) s += " \xF0\x9F\x98\x80";  // UTF-8 emoji
      if (r == 3) s += " back\\slash\ttab";  // escaped by the serializer
      if (r == 4) s += " `code()`";
    }
    return s + ".";
  }

  std::string prose(size_t size) {
    std::string s;
    while (s.size() < size)
      s += (pick(0, 5) == 0 ? "\n- " : " ") + sentence();
    return s;
  }

  json::object schema(int depth) {
    json::object props;
    const int n = pick(2, 8);
    for (int i = 0; i < n; ++i) {
      json::object p{{"description", sentence()}};
      const int kind = depth > 0 ? pick(0, 5) : pick(0, 3);
      if (kind == 0) p["type"] = "string";
      if (kind == 1) p["type"] = "integer", p["minimum"] = 0;
      if (kind == 2) p["type"] = "boolean";
      if (kind == 3) p["enum"] = json::array{"a", "b", "c"}, p["type"] = "string";
      if (kind == 4) {
        p["type"] = "object";
        p["properties"] = schema(depth - 1).at("properties");
      }
      if (kind == 5) p["type"] = "array", p["items"] = schema(depth - 1);
      props["prop_" + std::to_string(i) + "_" + std::to_string(pick(0, 99))] = std::move(p);
    }
    return json::object{{"type", "object"},
                        {"properties", std::move(props)},
                        {"required", json::array{}},
                        {"additionalProperties", false}};
  }

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  std::mt19937 rng_;
};

struct AgentShape {
  std::string model = "gpt-4.1";
  bool stream = false;
  int tools = 12;
  std::string tool_choice;  // raw JSON, empty = absent
  std::string last_role = "user";
  bool thinking = false;
  size_t system_bytes = 29000;
};

std::string agent_body(const AgentShape& shape, unsigned seed) {
  Gen g(seed);
  json::array system;
  for (int i = 0; i < 3; ++i) {
    json::object part{{"type", "text"}, {"text", g.prose(shape.system_bytes / 3)}};
    if (i > 0) part["cache_control"] = json::object{{"type", "ephemeral"}};
    system.push_back(std::move(part));
  }
  json::array messages;
  messages.push_back(json::object{{"role", "system"}, {"content", std::move(system)}});
  messages.push_back(json::object{
      {"role", "user"},
      {"content", json::array{json::object{{"type", "text"}, {"text", g.prose(2000)}},
                              json::object{{"type", "text"}, {"text", "<reminder/>"}}}}});
  messages.push_back(json::object{{"role", "assistant"}, {"content", g.sentence()}});
  if (shape.last_role == "tool") {
    messages.push_back(json::object{
        {"role", "assistant"},
        {"content", nullptr},
        {"tool_calls", json::array{json::object{{"id", "call_1"}, {"type", "function"}}}}});
    messages.push_back(
        json::object{{"role", "tool"}, {"tool_call_id", "call_1"}, {"content", g.prose(3000)}});
  } else {
    messages.push_back(json::object{{"role", shape.last_role},
                                    {"content", "Refactor it [[sim:chunks=7]] " + g.sentence()}});
  }
  json::array tools;
  static const char* kNames[] = {"Agent", "Bash",     "Glob",      "Grep",
                                 "Read",  "Edit",     "MultiEdit", "Write",
                                 "Nb",    "WebFetch", "TodoWrite", "ToolSearch"};
  for (int i = 0; i < shape.tools; ++i) {
    tools.push_back(json::object{{"type", "function"},
                                 {"function", json::object{{"name", kNames[i % 12]},
                                                           {"description", g.prose(600)},
                                                           {"parameters", g.schema(2)}}}});
  }
  json::object body{{"model", shape.model},
                    {"messages", std::move(messages)},
                    {"max_tokens", 32000},
                    {"temperature", 1}};
  if (shape.tools > 0) body["tools"] = std::move(tools);
  if (shape.stream) body["stream"] = true;
  if (shape.thinking) body["thinking_budget"] = 4096;
  std::string s = json::serialize(body);
  if (!shape.tool_choice.empty()) s.insert(s.size() - 1, ",\"tool_choice\":" + shape.tool_choice);
  return s;
}

TEST(ChatPlanEquivalence, LargeAgentBodies) {
  std::vector<AgentShape> shapes(10);
  shapes[1].stream = true;
  shapes[2].model = "claude-sonnet-4.5";
  shapes[2].thinking = true;
  shapes[3].tool_choice = R"({"type":"function","function":{"name":"Grep"}})";
  shapes[4].tool_choice = R"("none")";
  shapes[5].last_role = "tool";
  shapes[6].last_role = "assistant";
  shapes[7].tools = 0;
  shapes[8].tool_choice = R"({"type":"function","function":{"name":"Missing"}})";
  shapes[9].model = "claude-sonnet-4.5";
  shapes[9].system_bytes = 120000;
  for (size_t i = 0; i < shapes.size(); ++i) {
    const std::string body = agent_body(shapes[i], static_cast<unsigned>(i + 1));
    ASSERT_GT(body.size(), 30000u);
    expect_same(body, "shape " + std::to_string(i));
  }
}

TEST(ChatPlanEquivalence, AgentBodyAnswer) {  // the values themselves, not just equality
  const std::string body = agent_body(AgentShape{}, 1);
  const Result<ChatPlan> plan = plan_chat(body, Catalog::instance());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_TRUE(plan->tool_call);
  EXPECT_EQ(plan->tool_name, "Agent");
  const json::object args = json::parse(plan->tool_args).as_object();
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(args.begin()->key().substr(0, 5), "prop_");
  EXPECT_EQ(args.begin()->value().as_string().subview(0, 11), "Refactor it");
  EXPECT_EQ(plan->overrides.chunks, 7);
  EXPECT_GT(plan->prompt_tokens, 29000 / 4);
}

TEST(ChatPlanEquivalence, EdgeCases) {
  const std::string m = R"("model":"gpt-4.1",)";
  const std::vector<std::string> bodies = {
      // repeated keys: the last one counts
      R"({"model":"nope","model":"gpt-4.1","messages":[{"role":"user","content":"a"}]})",
      R"({"model":"gpt-4.1","model":5,"messages":[{"role":"user","content":"a"}]})",
      "{" + m + R"("messages":[],"messages":[{"role":"user","content":"a"}]})",
      "{" + m + R"("messages":[{"role":"user","content":"a"}],"messages":{}})",
      "{" + m + R"("messages":[{"role":"user","role":"tool","content":"a","content":"b"}]})",
      "{" + m + R"("messages":[{"role":"user","role":1,"content":"a"}]})",
      "{" + m +
          R"("messages":[{"role":"user","content":[{"text":"a","text":"b"},{"text":"c","text":1}]}]})",
      "{" + m + R"("stream":true,"stream":"yes","messages":[{"role":"user","content":"a"}]})",
      "{" + m +
          R"("messages":[{"role":"user","content":"a"}],"tools":[{"function":{"name":"x"}}],"tools":[]})",
      "{" + m +
          R"("messages":[{"role":"user","content":"a"}],"tools":[{"function":{"name":"x","name":"y","parameters":{"properties":{"p":{}},"properties":{"q":{},"r":{}}}}}]})",
      "{" + m +
          R"("messages":[{"role":"user","content":"a"}],"tools":[{"function":{"name":"x"},"function":5},{"function":{"name":"z","parameters":{"properties":{"k":1,"j":2,"k":3}}}}]})",
      "{" + m +
          R"("messages":[{"role":"user","content":"a"}],"tools":[{"function":{"name":"x"}},{"function":{"name":"y"}}],"tool_choice":{"function":{"name":"y"},"function":{"name":"x"}}})",
      "{" + m +
          R"("tool_choice":{"function":{"name":"y"}},"tools":[{"function":{"name":"x"}},{"function":{"name":"y","parameters":{"properties":{"w":{}}}}}],"messages":[{"role":"user","content":"a"}]})",
      "{" + m +
          R"("tool_choice":"none","tool_choice":"auto","tools":[{"function":{"name":"x"}}],"messages":[{"role":"user","content":"a"}]})",
      "{" + m +
          R"("tools":[1,{"type":"function"},{"function":{"name":7}},{"function":{"name":"ok","parameters":[]}}],"messages":[{"role":"user","content":"a"}]})",
      // escapes in keys and values
      R"({"mod\u0065l":"gpt-4.1","messages":[{"r\u006fle":"us\u0065r","content":"caf\u00e9 \ud83d\ude00 \"q\" \\ \n [[sim:chunks=3]]"}]})",
      "{" + m +
          R"("messages":[{"role":"user","content":[{"type":"text","text":"\u00e9\u20ac\t"}]}],"tools":[{"function":{"name":"t\u00e9","parameters":{"properties":{"k\u00e9y":{}}}}}]})",
      "{" + m +
          R"("messages":[{"role":"tool","content":"\/ok"},{"role":"tool","content":[{"text":"r1"},"x",{"text":"r2"}]}]})",
      // non-object messages, roles, contents
      "{" + m + R"("messages":[1]})",
      "{" + m + R"("messages":[{"content":"a"}]})",
      "{" + m +
          R"("messages":[{"role":"user","content":null},{"role":"user","content":{"text":"x"}}]})",
      R"({"model":"claude-sonnet-4.5","thinking_budget":null,"messages":[{"role":"user","content":"why"}]})",
      R"({"model":"gpt-9","messages":[{"role":"user","content":"a"}]})",
      R"({"model":"gpt-5.1-codex","messages":[1]})",
      R"({"messages":[{"role":"user","content":"a"}]})",
      R"({"model":"gpt-4.1"})",
      // malformed JSON and non-object roots
      "",
      " ",
      "{",
      "{not json",
      "[1,2]",
      "\"str\"",
      "null",
      "{} x",
      "{}",
      R"({"model":"gpt-4.1","messages":[{"role":"user","content":"a"}],})",
      R"({"model":"gpt-4.1","messages":[{"role":"user","content":"a"}]} {})",
      R"({"model":"gpt-4.1","messages":[{"role":"user","content":"a\x"}]})",
      R"({"model":"gpt-4.1","messages":[{"role":"user","content":"\ud800"}]})",
      R"({"model":"gpt-4.1","messages":[{"role":"user","content":"\udc00"}]})",
      R"({"model":"gpt-4.1","x":{"deep":["\ud800x"]},"messages":[{"role":"user","content":"a"}]})",
      R"({"model":"gpt-4.1","x":"\\ud800","messages":[{"role":"user","content":"a"}]})",
      "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"\xff\"}]}",
      "{\"model\":\"gpt-4.1\",\"x\":[\"\xC0\x80\",\"\xED\xA0\x80\"],\"messages\":[]}",
      "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"a\nb\"}]}",
      R"({"model":"gpt-4.1","x":[1,2,{"a":[true,false,null,-1.5e3]}],"messages":[{"role":"user","content":"a"}]})",
  };
  for (size_t i = 0; i < bodies.size(); ++i)
    expect_same(bodies[i], "edge case " + std::to_string(i) + ": " + bodies[i]);
}

TEST(ChatPlanEquivalence, EveryTruncationOfABody) {  // malformed prefixes are all rejected alike
  const std::string body =
      R"({"model":"claude-sonnet-4.5","messages":[{"role":"system","content":[{"type":"text",)"
      R"("text":"be \"brief\" \u00e9"}]},{"role":"user","content":"hi [[sim:chunks=2]]"}],)"
      R"("tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object",)"
      R"("properties":{"q":{"type":"string"}}}}}],"thinking_budget":100,"stream":true})";
  expect_same(body, "whole");
  for (size_t n = 0; n < body.size(); ++n)
    expect_same(body.substr(0, n), "prefix " + std::to_string(n));
}

TEST(JsonText, UnescapedSizeMatchesUnescaping) {
  const std::vector<std::string> raws = {
      "",           "abc",       R"(a\"b)",          R"(\\\\)",
      R"(\u00e9x)", R"(\u20ac)", R"(\ud83d\ude00!)", R"(\n\t\/\b\f\r)",
      "caf\xC3\xA9"};
  for (const std::string& raw : raws) {
    const json::value v = json::parse("\"" + raw + "\"");
    EXPECT_EQ(wire::unescaped_size(raw), v.as_string().size()) << raw;
  }
}

}  // namespace
}  // namespace cg::sim
