// Golden tests: every file pair under src/translate/testdata/ is one translation, input ->
// expected output. Request/response pairs are compared as JSON values, streams byte for byte.
// Run with CG_UPDATE_GOLDEN=1 to (re)write the expected files from the current output (then
// review the diff). Test thread only.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "translate/anthropic_stream_encoder.h"
#include "translate/chat_stream_decoder.h"
#include "translate/from_anthropic_request.h"
#include "translate/from_chat_response.h"
#include "translate/to_anthropic_response.h"
#include "translate/to_chat_request.h"

namespace cg::translate {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kDir = CG_TRANSLATE_TESTDATA;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool updating() {
  const char* v = std::getenv("CG_UPDATE_GOLDEN");
  return v && *v == '1';
}

// Pretty-prints a JSON value with two-space indentation (stable key order as given).
void pretty(std::string& out, const json::value& v, int indent) {
  const std::string pad(static_cast<size_t>(indent) * 2, ' ');
  const std::string pad_in(static_cast<size_t>(indent + 1) * 2, ' ');
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& kv : v.get_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad_in + json::serialize(json::value(kv.key())) + ": ";
      pretty(out, kv.value(), indent + 1);
    }
    out += "\n" + pad + "}";
  } else if (v.is_array() && !v.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& x : v.get_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad_in;
      pretty(out, x, indent + 1);
    }
    out += "\n" + pad + "]";
  } else {
    out += json::serialize(v);
  }
}

void expect_json_golden(const fs::path& expected_path, const std::string& actual) {
  json::value got = json::parse(actual);
  if (updating()) {
    std::string text;
    pretty(text, got, 0);
    std::ofstream(expected_path, std::ios::binary) << text << "\n";
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path;
  json::value want = json::parse(read_file(expected_path));
  EXPECT_EQ(json::serialize(got), json::serialize(want)) << "golden: " << expected_path;
}

void expect_text_golden(const fs::path& expected_path, const std::string& actual) {
  if (updating()) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path;
  EXPECT_EQ(actual, read_file(expected_path)) << "golden: " << expected_path;
}

std::vector<fs::path> inputs(std::string_view suffix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kDir)) {
    const std::string name = e.path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

fs::path sibling(const fs::path& in, std::string_view in_suffix, std::string_view out_suffix) {
  std::string name = in.filename().string();
  name.resize(name.size() - in_suffix.size());
  return in.parent_path() / (name + std::string(out_suffix));
}

ChatTarget target_from(const json::object& o) {
  ChatTarget t;
  t.model = json::value_to<std::string>(o.at("model"));
  if (auto* v = o.if_contains("copilot_reasoning")) t.copilot_reasoning = v->as_bool();
  if (auto* v = o.if_contains("max_completion_tokens")) t.max_completion_tokens = v->as_bool();
  if (auto* v = o.if_contains("max_output_tokens")) t.max_output_tokens = v->to_number<int64_t>();
  return t;
}

// SSE text -> the data payloads of its events.
std::vector<std::string> sse_data(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("\n\n", pos);
    if (end == std::string::npos) end = text.size();
    std::string_view ev(text.data() + pos, end - pos);
    size_t line = 0;
    while (line < ev.size()) {
      size_t nl = ev.find('\n', line);
      if (nl == std::string_view::npos) nl = ev.size();
      std::string_view l = ev.substr(line, nl - line);
      if (l.starts_with("data: ")) out.emplace_back(l.substr(6));
      line = nl + 1;
    }
    pos = end + 2;
  }
  return out;
}

TEST(Golden, AnthropicRequestToChat) {
  const auto files = inputs(".anthropic-request.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    json::value doc = json::parse(read_file(in));
    const ChatTarget target = target_from(doc.at("target").as_object());
    auto req = from_anthropic_request(json::serialize(doc.at("request")));
    ASSERT_TRUE(req.ok()) << req.error().message;
    auto body = to_chat_request(*req, target);
    ASSERT_TRUE(body.ok()) << body.error().message;
    expect_json_golden(sibling(in, ".anthropic-request.json", ".chat-request.json"), *body);
  }
}

TEST(Golden, ChatResponseToAnthropic) {
  const auto files = inputs(".chat-response.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    auto r = from_chat_response(read_file(in));
    ASSERT_TRUE(r.ok()) << r.error().message;
    expect_json_golden(sibling(in, ".chat-response.json", ".anthropic-response.json"),
                       to_anthropic_response(*r, "msg_test", "claude-sonnet-4-5-20250929"));
  }
}

TEST(Golden, ChatStreamToAnthropic) {
  const auto files = inputs(".chat-stream.sse");
  ASSERT_FALSE(files.empty());
  for (const fs::path& in : files) {
    SCOPED_TRACE(in.filename().string());
    ChatStreamDecoder dec;
    AnthropicStreamEncoder enc("msg_test", "claude-sonnet-4-5-20250929");
    std::string out;
    auto sink = [&](const StreamEvent& e) { enc.on(e, out); };
    for (const std::string& data : sse_data(read_file(in)))
      dec.feed(data, sink);
    EXPECT_TRUE(dec.done());
    enc.finish(out);
    expect_text_golden(sibling(in, ".chat-stream.sse", ".anthropic-stream.sse"), out);
  }
}

}  // namespace
}  // namespace cg::translate
