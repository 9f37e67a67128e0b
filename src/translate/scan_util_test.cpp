// skip_value_checked (wire::valid_value_end, falling back to the token-by-token slow path) against
// skip_value_checked_slow alone: the same decision, scanner position, error text and error offset
// on the testdata files at every offset, generated schema-like JSON, every truncation, random
// mutations, deep nesting and hand-picked odd tokens. Test thread only.
#include "translate/scan_util.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "translate/golden_files.h"
#include "translate/request_scan.h"

namespace cg::translate {
namespace {

using wire::JsonScanner;

constexpr JsonErrorWording kWordings[] = {JsonErrorWording::kAnthropic,
                                          JsonErrorWording::kResponses};

// Runs both skips from `start` and compares everything a caller can see; counts what happened.
struct Compare {
  size_t runs = 0, accepted = 0, fast_sure = 0, mismatches = 0;

  void operator()(std::string_view text, size_t start, size_t max_depth, JsonErrorWording wording,
                  bool failed_before = false) {
    JsonScanner a(text), b(text);
    a.seek(start);
    b.seek(start);
    if (failed_before) {
      a.fail("earlier error", 0);
      b.fail("earlier error", 0);
    }
    const bool ra = skip_value_checked(a, max_depth, wording);
    const bool rb = skip_value_checked_slow(b, max_depth, wording);
    ++runs;
    accepted += rb;
    if (!failed_before && wire::valid_value_end(text, start, max_depth) != wire::kNotSure)
      ++fast_sure;
    const char* ea = a.error() ? a.error() : "";
    const char* eb = b.error() ? b.error() : "";
    if (ra == rb && a.pos() == b.pos() && a.ok() == b.ok() && std::strcmp(ea, eb) == 0 &&
        a.error_offset() == b.error_offset())
      return;
    if (++mismatches <= 20) {
      ADD_FAILURE() << "mismatch at start " << start << " max_depth " << max_depth << " wording "
                    << static_cast<int>(wording) << ": new " << ra << " pos " << a.pos() << " '"
                    << ea << "' @" << a.error_offset() << ", old " << rb << " pos " << b.pos()
                    << " '" << eb << "' @" << b.error_offset() << "\ntext: " << text.substr(0, 400);
    }
  }

  // Both wordings, the depths the request parsers pass and the edges of the fast path's stack.
  void all_depths(std::string_view text, size_t start = 0) {
    for (JsonErrorWording w : kWordings) {
      for (size_t d : {size_t{0}, size_t{1}, size_t{2}, size_t{63}, size_t{64}, size_t{65},
                       kMaxRequestDepth - 3, kMaxRequestDepth, size_t{1024}, size_t{1025},
                       static_cast<size_t>(-1)})
        (*this)(text, start, d, w);
    }
  }
  void usual(std::string_view text, size_t start = 0) {
    (*this)(text, start, kMaxRequestDepth - 3, JsonErrorWording::kAnthropic);
    (*this)(text, start, kMaxRequestDepth, JsonErrorWording::kResponses);
  }

  void report(const char* what) const {
    std::printf("[ %s ] %zu runs, %zu accepted, %zu sure by the fast path, %zu mismatches\n", what,
                runs, accepted, fast_sure, mismatches);
    EXPECT_EQ(mismatches, 0u) << what;
  }
};

// Schema-like JSON (JSON Schema of agent tools: typed properties with descriptions, enums,
// required lists) with random whitespace, escapes, non-ASCII bytes and numbers.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string value(int depth_left) {
    std::string out;
    value(out, depth_left);
    return out;
  }

  // A tools array as an agent sends it: `n` tools with nested input schemas.
  std::string tools(int n) {
    std::string out = "[";
    for (int i = 0; i < n; ++i) {
      if (i) out += ',';
      out += R"({"name":"tool_)" + std::to_string(i) + R"(","description":)";
      string(out, 40 + pick(400));
      out += R"(,"input_schema":)";
      schema(out, 3);
      out += '}';
    }
    return out + "]";
  }

  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

 private:
  void ws(std::string& out) {
    if (minified_) return;
    if (pick(6) == 0) {  // indentation, often past 16 bytes (valid_value_end skips 16 at a time)
      out += pick(2) ? "\n" : "\r\n";
      out.append(pick(40), pick(4) ? ' ' : '\t');
      return;
    }
    static const char* const kWs[] = {"", "", " ", "\n  ", "\t", "\r\n", "  "};
    out += kWs[pick(std::size(kWs))];
  }

  void string(std::string& out, size_t len) {
    static const char* const kWords[] = {
        "the",      "path",    "file",           "to",  "é",
        "read",     "line",    "optional",       "\\n", "\\\"quoted\\\"",
        "\\\\",     "\\u00e9", "\\uD83D\\uDE00", "\\/", "\\t",
        "日本",     "regex",   "[a-z]+",         "{x}", ":,",
        "\\b\\f\\r"};
    out += '"';
    size_t n = 0;
    while (n < len) {
      const char* w = kWords[pick(std::size(kWords))];
      out += w;
      out += ' ';
      n += std::strlen(w) + 1;
    }
    out += '"';
  }

  void number(std::string& out) {
    static const char* const kNumbers[] = {"0",
                                           "-0",
                                           "1",
                                           "42",
                                           "-17",
                                           "3.25",
                                           "1e5",
                                           "2.5E-7",
                                           "6e+10",
                                           "0.001",
                                           "123456789012345678901234567890",
                                           "1e123456789",
                                           "-9.99e-308"};
    out += kNumbers[pick(std::size(kNumbers))];
  }

  void schema(std::string& out, int depth_left) {
    out += '{';
    ws(out);
    out += R"("type":)";
    ws(out);
    const bool object = depth_left > 0 && pick(3) == 0;
    out += object ? R"("object")" : R"("string")";
    out += ',';
    ws(out);
    out += R"("description":)";
    string(out, pick(120));
    if (object) {
      out += R"(,"properties":{)";
      const size_t n = 1 + pick(5);
      for (size_t i = 0; i < n; ++i) {
        if (i) out += ',';
        ws(out);
        out += "\"p" + std::to_string(i) + "\":";
        ws(out);
        schema(out, depth_left - 1);
      }
      out += R"(},"required":["p0"],"additionalProperties":false)";
    } else if (pick(4) == 0) {
      out += R"(,"enum":["a","b","c"],"default":null,"minimum":)";
      number(out);
    }
    ws(out);
    out += '}';
  }

  void value(std::string& out, int depth_left) {
    ws(out);
    switch (depth_left > 0 ? pick(8) : 3 + pick(5)) {
      case 0:
      case 1: {
        out += '{';
        const size_t n = pick(5);
        for (size_t i = 0; i < n; ++i) {
          if (i) out += ',';
          ws(out);
          string(out, pick(12));
          ws(out);
          out += ':';
          value(out, depth_left - 1);
        }
        ws(out);
        out += '}';
        break;
      }
      case 2: {
        out += '[';
        const size_t n = pick(5);
        for (size_t i = 0; i < n; ++i) {
          if (i) out += ',';
          value(out, depth_left - 1);
        }
        ws(out);
        out += ']';
        break;
      }
      case 3:
      case 4:
        string(out, pick(60));
        break;
      case 5:
        number(out);
        break;
      case 6:
        out += pick(2) ? "true" : "false";
        break;
      default:
        out += "null";
        break;
    }
    ws(out);
  }

  std::mt19937 rng_;

 public:
  bool minified_ = false;
};

// One random edit: a byte replaced, inserted or deleted, or a span cut out or repeated.
std::string mutate(std::string s, Generator& g) {
  static const char kBytes[] = {'"', '\\', '{',  '}',    '[',    ']',    ':',    ',',
                                ' ', '\n', '\0', '\x01', '\x1f', '\x7f', '\x80', '\xff',
                                'e', 'E',  '+',  '-',    '.',    '0',    '1',    '9',
                                't', 'n',  'f',  'u',    'x',    '\v',   '\f',   'D'};
  auto byte = [&] {
    return g.pick(4) == 0 ? static_cast<char>(g.pick(256)) : kBytes[g.pick(sizeof kBytes)];
  };
  const size_t edits = 1 + (g.pick(4) == 0 ? g.pick(4) : 0);
  for (size_t k = 0; k < edits; ++k) {
    const size_t at = g.pick(s.size() + 1);
    switch (g.pick(5)) {
      case 0:
        if (at < s.size()) s[at] = byte();
        break;
      case 1:
        s.insert(s.begin() + static_cast<ptrdiff_t>(at), byte());
        break;
      case 2:
        if (at < s.size()) s.erase(at, 1);
        break;
      case 3:
        if (at < s.size()) s.erase(at, 1 + g.pick(std::min<size_t>(s.size() - at, 16)));
        break;
      default:
        if (at < s.size()) s.insert(at, s.substr(at, 1 + g.pick(16)));
        break;
    }
  }
  return s;
}

TEST(SkipValueChecked, TestdataAtEveryOffset) {
  Compare cmp;
  size_t files = 0;
  for (const auto& entry : golden::fs::directory_iterator(golden::testdata_dir())) {
    const std::string text = golden::read_file(entry.path());
    ++files;
    for (size_t i = 0; i <= text.size(); ++i)
      cmp.usual(text, i);
    cmp.all_depths(text);
  }
  EXPECT_GT(files, 50u);
  cmp.report("testdata files at every offset");
  EXPECT_GT(cmp.fast_sure, 1000u);
}

TEST(SkipValueChecked, GeneratedSchemaLikeJson) {
  Compare cmp;
  Generator g(1);
  for (int i = 0; i < 3000; ++i) {
    g.minified_ = i % 2 == 0;
    const std::string v = i % 10 == 0 ? g.tools(1 + static_cast<int>(g.pick(4))) : g.value(6);
    cmp.usual(v);
    cmp.usual(v + ",\"next\":1}", 0);
    if (i % 50 == 0) cmp.all_depths(v);
  }
  // An agent-sized tools array (tens of KB), at its start and where each tool starts.
  g.minified_ = true;
  const std::string tools = g.tools(60);
  EXPECT_GT(tools.size(), 20000u);
  cmp.all_depths(tools);
  for (size_t i = 0; i < tools.size(); ++i)
    if (tools[i] == '{' || tools[i] == '[') cmp.usual(tools, i);
  cmp.report("generated schema-like JSON");
  EXPECT_GT(cmp.fast_sure, 6000u);
}

TEST(SkipValueChecked, EveryTruncation) {
  Compare cmp;
  Generator g(2);
  std::vector<std::string> inputs;
  for (int i = 0; i < 6; ++i) {
    g.minified_ = i % 2 == 0;
    inputs.push_back(i < 3 ? g.tools(2) : g.value(5));
  }
  inputs.push_back(R"({"a":[1,-0.5e+3,true,false,null,"x\u00e9\n"],"b":{"c":{}},"d":[]})");
  for (const auto& entry : golden::fs::directory_iterator(golden::testdata_dir())) {
    if (entry.path().extension() == ".json" && inputs.size() < 16)
      inputs.push_back(golden::read_file(entry.path()));
  }
  for (const std::string& s : inputs) {
    for (size_t n = 0; n <= s.size(); ++n)
      cmp.usual(std::string_view(s).substr(0, n));  // a view: reading past it would be a bug
  }
  cmp.report("every truncation");
}

TEST(SkipValueChecked, RandomMutations) {
  Compare cmp;
  Generator g(3);
  std::vector<std::string> seeds;
  for (int i = 0; i < 40; ++i) {
    g.minified_ = i % 2 == 0;
    seeds.push_back(i % 4 == 0 ? g.tools(1) : g.value(5));
  }
  for (const auto& entry : golden::fs::directory_iterator(golden::testdata_dir())) {
    if (entry.path().extension() == ".json") seeds.push_back(golden::read_file(entry.path()));
  }
  for (int i = 0; i < 250000; ++i) {
    const std::string m = mutate(seeds[g.pick(seeds.size())], g);
    cmp.usual(m);
    if (i % 50 == 0) cmp.all_depths(m);
  }
  cmp.report("random mutations");
}

TEST(SkipValueChecked, DeepNesting) {
  Compare cmp;
  for (size_t n : {63, 64, 65, 66, 100, 253, 254, 255, 256, 257, 300, 1023, 1024, 1025, 1030}) {
    const std::string arrays = std::string(n, '[') + std::string(n, ']');
    std::string objects, mixed;
    for (size_t i = 0; i < n; ++i) {
      objects += R"({"k":)";
      mixed += i % 2 ? "[1," : R"({"a":0,"k":)";
    }
    objects += "1";
    mixed += R"("x")";
    for (size_t i = n; i-- > 0;) {
      objects += '}';
      mixed += i % 2 ? ']' : '}';
    }
    for (const std::string& s : {arrays, objects, mixed}) {
      cmp.all_depths(s);
      cmp.all_depths(" \n" + s, 0);
      cmp.all_depths(s.substr(0, s.size() - 1));  // one bracket short
      cmp.all_depths(s + "]");
      std::string wrong = s;
      wrong[wrong.size() - 1] = wrong.back() == ']' ? '}' : ']';  // the outer bracket mismatched
      cmp.all_depths(wrong);
      cmp.all_depths("[" + s + "," + s + "]");
    }
  }
  cmp.report("deep nesting");
}

TEST(SkipValueChecked, OddTokens) {
  Compare cmp;
  const std::vector<std::string> tokens = {
      // Numbers, with the exponent lengths around Boost.JSON's limit.
      "1e999999999999", "1e999999999", "1e99999999", "1e0000000001", "1E+2147483647",
      "1e-2147483648", "1e2147483648", "-1e-999999999999", "123456789e123456789", "-0", "0", "01",
      "-01", "00", "1.", ".5", "-", "--1", "+1", "1e", "1e+", "1E-", "1.5e", "2.e3", "1.0",
      "-0.0e-0", "1e01", "9007199254740993", "1x", "0x10", "1.2.3", "1e2e3", "NaN", "Infinity",
      "-Infinity",
      // Literals.
      "true", "false", "null", "tru", "fals", "nul", "truex", "True", "nulll", "t", "f", "n",
      // Strings: control bytes, escapes, surrogates, NUL.
      "\"a\x01b\"", "\"\x1f\"", "\"\x7f\"", "\"\t\"", "\"a\nb\"", std::string("\"a\0b\"", 5),
      "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\uD800\"", "\"\\uDC00\\uD800\"",
      "\"\\uD83D\\uDE00\"", "\"\\\"", "\"\\", "\"", "\"abc", "\"\\u\"", "\"\\U0041\"", "\"\\'\"",
      "\"\xc3\xa9\"", "\"\xff\xfe\"", "\"\\/\\b\\f\\n\\r\\t\\\\\\\"\"", std::string(1, '\0'),
      std::string("\0x", 2), "", " ", "\v1", "\f1",
      "\xa0"
      "1",
      // Structure: trailing commas, missing colons, stray bytes.
      "[1,]", "[,1]", "[,]", "[1 2]", "[1,,2]", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{\"a\"}",
      "{\"a\"::1}", "{\"a\":}", "{1:2}", "{a:1}", "{'a':1}", "[}", "{]", "{\"a\":1 \"b\":2}",
      "[1]]", "[[1]", "{\"a\":[}]", "[\"a\":1]", "[1\\]", "\\[1]", "[1]\\", "{\"\\u0061\":1}",
      "{\"a\x01\":1}", "{\"a\":1}x", "[ ]", "{ }", "[\t\r\n1\t\r\n]", "[\v]", "[1\f]",
      std::string("[1,\0]", 5), std::string("{\"a\":\0}", 7), std::string("[\0", 2)};
  std::vector<std::string> texts;
  for (const std::string& t : tokens) {
    for (const char* pattern :
         {"%", " %", "[%]", "[1,%,2]", "{\"a\":%}", "{\"a\":% ,\"b\":[%]}", "[[[%]]]", "%,1",
          "{\"k\":{\"t\":\"x\"},\"v\":%}", "[\"long description .......................\",%]"}) {
      std::string s;
      for (const char* c = pattern; *c; ++c) {
        if (*c == '%') {
          s += t;
        } else {
          s += *c;
        }
      }
      texts.push_back(s);
    }
  }
  for (const std::string& s : texts) {
    cmp.all_depths(s);
    for (size_t n = 0; n < s.size(); ++n)
      cmp.usual(std::string_view(s).substr(0, n));
  }
  // A scanner that failed before is left as it is.
  cmp(R"({"a":1})", 0, 10, JsonErrorWording::kAnthropic, true);
  cmp("[1]", 0, 10, JsonErrorWording::kResponses, true);
  cmp("1", 0, 10, JsonErrorWording::kResponses, true);
  // A start past the end.
  cmp("[1]", 5, 10, JsonErrorWording::kResponses);
  cmp.report("odd tokens");
}

}  // namespace
}  // namespace cg::translate
