// Test support shared by the translate golden tests: reading the files of src/translate/testdata,
// comparing an output with its expected file (CG_UPDATE_GOLDEN=1 rewrites the expected files
// instead), and splitting SSE text into events. Test thread only.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace cg::translate::golden {

namespace fs = std::filesystem;
namespace json = boost::json;

inline const fs::path& testdata_dir() {
  static const fs::path dir = CG_TRANSLATE_TESTDATA;
  return dir;
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool updating() {
  const char* v = std::getenv("CG_UPDATE_GOLDEN");
  return v && *v == '1';
}

// Pretty-prints a JSON value with two-space indentation (stable key order as given).
inline void pretty(std::string& out, const json::value& v, int indent) {
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

inline void expect_json_golden(const fs::path& expected_path, const std::string& actual) {
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

inline void expect_text_golden(const fs::path& expected_path, const std::string& actual) {
  if (updating()) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path;
  EXPECT_EQ(actual, read_file(expected_path)) << "golden: " << expected_path;
}

inline std::vector<fs::path> inputs(std::string_view suffix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(testdata_dir())) {
    const std::string name = e.path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline fs::path sibling(const fs::path& in, std::string_view in_suffix,
                        std::string_view out_suffix) {
  std::string name = in.filename().string();
  name.resize(name.size() - in_suffix.size());
  return in.parent_path() / (name + std::string(out_suffix));
}

// SSE text -> the data payloads of its events.
inline std::vector<std::string> sse_data(const std::string& text) {
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

struct SseEvent {
  std::string name;  // empty when the event has no `event:` line
  std::string data;
};

// SSE text -> its events (name and data).
inline std::vector<SseEvent> sse_events(const std::string& text) {
  std::vector<SseEvent> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("\n\n", pos);
    if (end == std::string::npos) end = text.size();
    std::string_view ev(text.data() + pos, end - pos);
    SseEvent e;
    bool any = false;
    size_t line = 0;
    while (line < ev.size()) {
      size_t nl = ev.find('\n', line);
      if (nl == std::string_view::npos) nl = ev.size();
      std::string_view l = ev.substr(line, nl - line);
      if (l.starts_with("event: ")) e.name = std::string(l.substr(7));
      if (l.starts_with("data: ")) {
        e.data = std::string(l.substr(6));
        any = true;
      }
      line = nl + 1;
    }
    if (any) out.push_back(std::move(e));
    pos = end + 2;
  }
  return out;
}

}  // namespace cg::translate::golden
