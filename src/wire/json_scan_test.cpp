// Tests for wire::JsonScanner: validity corpus (cross-checked against Boost.JSON), escapes,
// offsets, iteration, deep nesting, and a skip-throughput benchmark (printed, not asserted).
#include "wire/json_scan.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <random>

#include "wire/test_bodies.h"

namespace cg::wire {
namespace {

bool scan_valid(std::string_view text) {  // strict grammar
  JsonScanner sc(text);
  return sc.skip_value_strict() && sc.finish();
}

bool fast_valid(std::string_view text) {
  JsonScanner sc(text);
  return sc.skip_value() && sc.finish();
}

bool boost_valid(std::string_view text) {
  boost::json::parse_options opt;
  opt.max_depth = 100000;
  boost::system::error_code ec;
  boost::json::parse(text, ec, {}, opt);
  return !ec;
}

TEST(JsonScan, ValidCorpus) {
  const char* kValid[] = {
      "0",
      "-0",
      "1.5",
      "-12.5e+3",
      "1E5",
      "1e-7",
      "123456789012345678901234567890",
      "true",
      "false",
      "null",
      "\"\"",
      "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"",
      "{}",
      "[]",
      " \t\r\n{ \"a\" : [ 1 , 2 , { } , [ ] ] , \"b\" : null } \n",
      "[[[[[]]]]]",
      "{\"\":\"\"}",
      "[\"\xc3\xa9\", 1, -1.0e0]",
      "{\"a\":{\"b\":{\"c\":[true,false,null]}}}",
  };
  for (const char* s : kValid) {
    EXPECT_TRUE(scan_valid(s)) << s;
    EXPECT_TRUE(fast_valid(s)) << s;
    EXPECT_TRUE(boost_valid(s)) << s;
  }
}

TEST(JsonScan, InvalidCorpus) {
  const char* kInvalid[] = {
      "",
      " ",
      "{",
      "[",
      "}",
      "]",
      "{\"a\"}",
      "{\"a\":}",
      "{\"a\":1,}",
      "[1,]",
      "[,1]",
      "{,}",
      "{1:2}",
      "{'a':1}",
      "\"abc",
      "\"abc\\\"",
      "\"\\x\"",
      "\"\\u12\"",
      "\"\\u12g4\"",
      "01",
      "1.",
      ".5",
      "-",
      "1e",
      "1e+",
      "+1",
      "tru",
      "truex",
      "nul",
      "NaN",
      "[1 2]",
      "{\"a\":1 \"b\":2}",
      "[1]]",
      "{} {}",
      "1 2",
      "\"a\nb\"",
      "\"tab\there\"",
      "[\"a\",]",
      "{\"a\":1}x",
      "[1,{\"b\":[2,}]",
  };
  for (const char* s : kInvalid) {
    EXPECT_FALSE(scan_valid(s)) << s;
    EXPECT_FALSE(boost_valid(s)) << s;
  }
}

// What the fast container skip does detect.
TEST(JsonScan, FastSkipStructuralErrors) {
  const char* kInvalid[] = {
      "{",          "[",       "[1,2",      "{\"a\":[1}", "[{]",
      "{\"a\":1]",  "[\"abc]", "[\"a\\\"]", "[\"\\x\"]",  "[\"\\u12g4\"]",
      "[\"a\nb\"]", "[1]]",    "{} {}",     "[1,\\2]",    "[\"\\",
  };
  for (const char* s : kInvalid)
    EXPECT_FALSE(fast_valid(s)) << s;
  for (const char* s : kInvalid)
    EXPECT_FALSE(boost_valid(s)) << s;
}

// Fast and strict skips end at the same byte on valid input, across block boundaries and with
// escapes straddling them.
TEST(JsonScan, FastSkipMatchesStrictOnValidInput) {
  for (size_t pad = 0; pad < 140; ++pad) {
    for (const char* inner : {"\\\"", "\\\\", "\\u00e9", "x"}) {
      std::string text = "[\"" + std::string(pad, 'a') + inner + "\",{\"k\":[" +
                         std::to_string(pad) + ",\"]}\"]}, \"" + inner + "\"]  ";
      ASSERT_TRUE(boost_valid(text)) << text;
      std::unique_ptr<char[]> buf(new char[text.size()]);
      std::memcpy(buf.get(), text.data(), text.size());
      std::string_view view(buf.get(), text.size());
      JsonScanner fast(view), strict(view);
      ASSERT_TRUE(fast.skip_value()) << text << " " << fast.error();
      ASSERT_TRUE(strict.skip_value_strict()) << text;
      EXPECT_EQ(fast.pos(), strict.pos());
      EXPECT_EQ(fast.pos(), text.size() - 2);
      // Every truncation is an error, never a read past the end.
      for (size_t cut = 1; cut < text.size() - 2; cut += 7) {
        JsonScanner t(view.substr(0, cut));
        EXPECT_FALSE(t.skip_value()) << cut;
      }
    }
  }
}

TEST(JsonScan, ErrorsCarryOffsetAndReason) {
  JsonScanner sc("{\"a\": [1, 2, x]}");
  EXPECT_FALSE(sc.skip_value_strict());
  EXPECT_STREQ(sc.error(), "unexpected character");
  EXPECT_EQ(sc.error_offset(), 13u);

  JsonScanner sc2("  \"never closed");
  EXPECT_FALSE(sc2.skip_value());
  EXPECT_STREQ(sc2.error(), "unterminated string");
  EXPECT_EQ(sc2.error_offset(), 2u);

  JsonScanner sc3("{} x");
  EXPECT_TRUE(sc3.skip_value());
  EXPECT_FALSE(sc3.finish());
  EXPECT_EQ(sc3.error_offset(), 3u);
}

// Mutating valid documents byte by byte: the scanner must agree with Boost.JSON (ASCII only, so
// UTF-8 validation, which the scanner does not do, never matters) and never read out of bounds.
TEST(JsonScan, DifferentialAgainstBoostJson) {
  const std::string seeds[] = {
      "{\"a\":[1,2.5,-3e2,{\"b\":\"x\\\"y\\u0041\"}],\"c\":true,\"d\":null,\"e\":{}}",
      "[[],[{}],\"\\\\\",0,-0.0,1E+2,false]",
  };
  const char kAlphabet[] = "{}[]:,\"\\ 0123456789-+.eEtrufalsn\n";
  std::mt19937 rng(12345);
  int checked = 0;
  for (const auto& seed : seeds) {
    for (int iter = 0; iter < 4000; ++iter) {
      std::string s = seed;
      int edits = 1 + static_cast<int>(rng() % 3);
      for (int k = 0; k < edits; ++k) {
        size_t at = rng() % (s.size() + 1);
        char c = kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
        switch (rng() % 3) {
          case 0:
            if (at < s.size()) s[at] = c;
            break;
          case 1:
            s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
            break;
          default:
            if (at < s.size()) s.erase(at, 1);
        }
      }
      // Exactly-sized heap copy so ASan catches any read past the end.
      std::unique_ptr<char[]> buf(new char[s.size()]);
      std::memcpy(buf.get(), s.data(), s.size());
      std::string_view view(buf.get(), s.size());
      const bool valid = boost_valid(s);
      ASSERT_EQ(scan_valid(view), valid) << s;
      if (valid)
        ASSERT_TRUE(fast_valid(view)) << s;  // no false alarms
      else
        fast_valid(view);  // may miss token errors; must not crash
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8000);
}

TEST(JsonScan, StringsRawAndUnescaped) {
  const std::string text = R"(  "a\"b\\c\u00e9\ud83d\ude00\n" )";
  JsonScanner sc(text);
  JsonString s;
  ASSERT_TRUE(sc.read_string(s));
  EXPECT_EQ(s.begin, 2u);
  EXPECT_EQ(s.end, text.size() - 1);
  EXPECT_TRUE(s.has_escapes);
  EXPECT_EQ(s.raw(text), R"(a\"b\\c\u00e9\ud83d\ude00\n)");
  sc.seek(0);
  std::string value;
  ASSERT_TRUE(sc.read_string(value));
  EXPECT_EQ(value, "a\"b\\c\xc3\xa9\xf0\x9f\x98\x80\n");
  EXPECT_TRUE(sc.finish());

  JsonScanner plain("\"plain\"");
  JsonString p;
  ASSERT_TRUE(plain.read_string(p));
  EXPECT_FALSE(p.has_escapes);
  EXPECT_TRUE(string_equals("\"plain\"", p, "plain"));
}

TEST(JsonScan, LoneSurrogatesAreRejectedWhenUnescaping) {
  std::string out;
  EXPECT_FALSE(append_unescaped(out, "\\ud83d"));
  EXPECT_FALSE(append_unescaped(out, "\\ude00"));
  EXPECT_FALSE(append_unescaped(out, "\\ud83dx"));
  JsonScanner sc("\"\\ud83d\"");
  std::string v;
  EXPECT_FALSE(sc.read_string(v));
}

TEST(JsonScan, LongStringsAroundSimdBoundaries) {
  for (size_t n = 0; n < 80; ++n) {
    for (char special : {'\0', '"', '\\', '\x01'}) {
      std::string text = "\"" + std::string(n, 'x');
      if (special == '"') text += "\\\"";
      if (special == '\\') text += "\\\\";
      if (special == '\x01') text += '\x01';
      text += "yy\"";
      std::unique_ptr<char[]> buf(new char[text.size()]);
      std::memcpy(buf.get(), text.data(), text.size());
      JsonScanner sc(std::string_view(buf.get(), text.size()));
      EXPECT_EQ(sc.skip_value() && sc.finish(), special != '\x01') << n << " " << int(special);
      // Unterminated at every length.
      JsonScanner cut(std::string_view(buf.get(), text.size() - 1));
      EXPECT_FALSE(cut.skip_value());
    }
  }
}

TEST(JsonScan, ObjectAndArrayIterationWithOffsets) {
  const std::string text = R"({ "a" : 1 , "b\n" : [true, "x", {"c": null}], "d":{} })";
  JsonScanner sc(text);
  ASSERT_TRUE(sc.enter_object());
  JsonMember m;
  std::vector<std::string> keys;
  std::vector<std::string> values;
  while (sc.next_member(m)) {
    std::string key;
    append_unescaped(key, m.key.raw(text));
    keys.push_back(key);
    if (key == "b\n") {
      EXPECT_EQ(m.comma_before, text.find(','));
      ASSERT_TRUE(sc.enter_array());
      JsonElement e;
      while (sc.next_element(e)) {
        Span v;
        ASSERT_TRUE(sc.skip_value(v));
        values.push_back(text.substr(v.begin, v.size()));
      }
      EXPECT_EQ(e.index, 3u);
    } else {
      Span v;
      ASSERT_TRUE(sc.skip_value(v));
      EXPECT_EQ(v.begin, m.value_begin);
      values.push_back(text.substr(v.begin, v.size()));
    }
  }
  ASSERT_TRUE(sc.ok()) << sc.error();
  EXPECT_TRUE(sc.finish());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b\n", "d"}));
  EXPECT_EQ(values, (std::vector<std::string>{"1", "true", "\"x\"", "{\"c\": null}", "{}"}));
}

TEST(JsonScan, IterationDetectsMalformedStructure) {
  for (const char* bad : {"{\"a\":1,}", "{\"a\":1 \"b\":2}", "{\"a\" 1}", "{1:1}", "{\"a\":1"}) {
    JsonScanner sc(bad);
    ASSERT_TRUE(sc.enter_object());
    JsonMember m;
    while (sc.next_member(m))
      sc.skip_value();
    EXPECT_FALSE(sc.ok()) << bad;
  }
  for (const char* bad : {"[1,]", "[1 2]", "[,]", "[1"}) {
    JsonScanner sc(bad);
    ASSERT_TRUE(sc.enter_array());
    JsonElement e;
    while (sc.next_element(e))
      sc.skip_value();
    EXPECT_FALSE(sc.ok()) << bad;
  }
}

TEST(JsonScan, TypedReaders) {
  JsonScanner sc("[true, false, null, -42, 3.5, 99999999999999999999, \"s\"]");
  ASSERT_TRUE(sc.enter_array());
  JsonElement e;
  bool b = false;
  int64_t i = 0;
  std::string_view num;
  ASSERT_TRUE(sc.next_element(e) && sc.read_bool(b));
  EXPECT_TRUE(b);
  ASSERT_TRUE(sc.next_element(e) && sc.read_bool(b));
  EXPECT_FALSE(b);
  ASSERT_TRUE(sc.next_element(e) && sc.read_null());
  ASSERT_TRUE(sc.next_element(e) && sc.read_int64(i));
  EXPECT_EQ(i, -42);
  ASSERT_TRUE(sc.next_element(e) && sc.read_number(num));
  EXPECT_EQ(num, "3.5");
  EXPECT_FALSE(parse_int64(num, i));
  ASSERT_TRUE(sc.next_element(e) && sc.read_number(num));
  EXPECT_FALSE(parse_int64(num, i));  // overflow
  ASSERT_TRUE(sc.next_element(e));
  EXPECT_FALSE(sc.read_bool(b));  // wrong kind is an error
  EXPECT_STREQ(sc.error(), "expected a boolean");
}

TEST(JsonScan, DeepNestingIsBoundedWithoutRecursion) {
  std::string ok(JsonScanner::kMaxDepth, '[');
  ok += std::string(JsonScanner::kMaxDepth, ']');
  EXPECT_TRUE(scan_valid(ok));

  std::string too_deep(JsonScanner::kMaxDepth + 1, '[');
  too_deep += std::string(JsonScanner::kMaxDepth + 1, ']');
  JsonScanner sc(too_deep);
  EXPECT_FALSE(sc.skip_value());
  EXPECT_STREQ(sc.error(), "nesting too deep");

  EXPECT_TRUE(fast_valid(ok));
  JsonScanner fast(too_deep);
  EXPECT_FALSE(fast.skip_value());
  EXPECT_STREQ(fast.error(), "nesting too deep");

  std::string huge;  // a million open brackets: an error, not a stack overflow
  for (int i = 0; i < 500000; ++i)
    huge += "{\"a\":[";
  EXPECT_FALSE(scan_valid(huge));
  EXPECT_FALSE(fast_valid(huge));

  std::string mixed;  // object/array alternation must be remembered exactly at every level
  for (int i = 0; i < 200; ++i)
    mixed += (i % 3 == 0) ? "{\"k\":" : "[";
  mixed += "0";
  for (int i = 199; i >= 0; --i)
    mixed += (i % 3 == 0) ? "}" : "]";
  EXPECT_TRUE(scan_valid(mixed));
  mixed[mixed.size() - 1] = ']';
  EXPECT_FALSE(scan_valid(mixed));
}

TEST(JsonScan, MemberEraseSpanKeepsValidJson) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case kCases[] = {
      {R"({"x":{"y":1},"a":1})", R"({"a":1})"},
      {R"({"a":1,"x":[1,2],"b":2})", R"({"a":1,"b":2})"},
      {R"({"a":1, "x" : true })", R"({"a":1 })"},
      {R"({ "x":null })", R"({  })"},
  };
  for (const auto& c : kCases) {
    std::string text = c.in;
    JsonScanner sc(text);
    ASSERT_TRUE(sc.enter_object());
    JsonMember m;
    Span erase;
    while (sc.next_member(m)) {
      const bool is_x = string_equals(text, m.key, "x");
      ASSERT_TRUE(sc.skip_value());
      if (is_x) erase = member_erase_span(text, m, sc.pos());
    }
    text.erase(erase.begin, erase.size());
    EXPECT_EQ(text, c.out);
    EXPECT_TRUE(boost_valid(text));
  }
}

TEST(JsonScan, AgentBodyThroughput) {
  const std::string body = testing::make_agent_request_body();
  ASSERT_TRUE(scan_valid(body));
  ASSERT_TRUE(fast_valid(body));
  ASSERT_TRUE(boost_valid(body));
  using Clock = std::chrono::steady_clock;
  size_t bytes = 0;
  int rounds = 0;
  const auto start = Clock::now();
  while (Clock::now() - start < std::chrono::milliseconds(300)) {
    for (int i = 0; i < 10; ++i) {
      JsonScanner sc(body);
      if (!sc.skip_value()) FAIL();
      bytes += body.size();
      ++rounds;
    }
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("[ bench    ] skip_value over %zu-byte agent body: %.0f MB/s (%d rounds)\n",
              body.size(), static_cast<double>(bytes) / secs / 1e6, rounds);
  bytes = 0;
  const auto start2 = Clock::now();
  while (Clock::now() - start2 < std::chrono::milliseconds(300)) {
    for (int i = 0; i < 10; ++i) {
      JsonScanner sc(body);
      if (!sc.skip_value_strict()) FAIL();
      bytes += body.size();
    }
  }
  const double secs2 = std::chrono::duration<double>(Clock::now() - start2).count();
  std::printf("[ bench    ] skip_value_strict: %.0f MB/s\n",
              static_cast<double>(bytes) / secs2 / 1e6);
}

TEST(IsStringBody, TheScannersStringRulesWithoutTheQuotes) {
  EXPECT_TRUE(is_string_body(""));
  EXPECT_TRUE(is_string_body(R"(plain text, \"quoted\" \\ \/ \b\f\n\r\t \u00e9 caf)"
                             "\xc3\xa9 and a longer run past sixteen bytes"));
  EXPECT_FALSE(is_string_body(R"(a " b)"));
  EXPECT_FALSE(is_string_body("tab\there"));
  EXPECT_FALSE(is_string_body(R"(cut \)"));
  EXPECT_FALSE(is_string_body(R"(bad \x escape)"));
  EXPECT_FALSE(is_string_body(R"(short \u12)"));
  EXPECT_FALSE(is_string_body(R"(hex \u12g4)"));
}

// Every byte value at every place of the SIMD search (the first 16 bytes, the 32-byte loop, the
// last 16 and the byte loop): only '"', '\\' and control bytes stop a string body.
TEST(IsStringBody, EveryByteAtEveryPlace) {
  for (int c = 0; c < 256; ++c) {
    const bool special = c < 0x20 || c == '"' || c == '\\';
    for (size_t len : {1, 15, 16, 17, 31, 47, 48, 49, 64, 70}) {
      for (size_t at = 0; at < len; ++at) {
        std::string body(len, 'a');
        body[at] = static_cast<char>(c);
        if (c == '\\' && at + 1 < len) body[at + 1] = '/';  // a valid escape
        const bool want = !special || (c == '\\' && at + 1 < len);
        ASSERT_EQ(is_string_body(body), want) << "byte " << c << " at " << at << " of " << len;
        std::string text = '"' + body + '"';
        JsonScanner sc(text);
        const bool ends_early = c == '"';  // the string is `"aa"` then
        ASSERT_EQ(sc.skip_value(), want || ends_early)
            << "byte " << c << " at " << at << " of " << len;
        if (want || ends_early) {
          ASSERT_EQ(sc.pos(), ends_early ? at + 2 : text.size());
        }
      }
    }
  }
}

}  // namespace
}  // namespace cg::wire
