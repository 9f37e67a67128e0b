// Tests for set_top_level_string: byte-preserving edits of one top-level string member.
#include "wire/json_edit.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cg::wire {
namespace {

namespace json = boost::json;

// The edit, checked to be valid JSON whose top-level `key` is `value`.
std::string edited(std::string_view body, std::string_view key, std::string_view value) {
  auto out = set_top_level_string(body, key, value);
  EXPECT_TRUE(out.has_value()) << body;
  if (!out) return {};
  json::value v;
  EXPECT_NO_THROW(v = json::parse(*out)) << *out;
  if (v.is_object()) {
    const json::value* got = v.as_object().if_contains(key);
    EXPECT_TRUE(got && got->is_string() && got->as_string() == value) << *out;
  } else {
    ADD_FAILURE() << "not an object: " << *out;
  }
  return *out;
}

TEST(JsonEdit, ReplacesInPlaceKeepingEveryOtherByte) {
  EXPECT_EQ(
      edited(R"({"model":"claude-sonnet-4-20250514","max_tokens":10})", "model", "claude-sonnet-4"),
      R"({"model":"claude-sonnet-4","max_tokens":10})");
  EXPECT_EQ(edited(R"({"a":1,"model":"x","b":[1,2]})", "model", "longer-model-name"),
            R"({"a":1,"model":"longer-model-name","b":[1,2]})");
  EXPECT_EQ(edited(R"({"a":1, "model" :  "x" , "b":2})", "model", "y"),
            R"({"a":1, "model" :  "y" , "b":2})");
  EXPECT_EQ(edited("{\n  \"model\": \"x\"\n}\n", "model", "y"), "{\n  \"model\": \"y\"\n}\n");
}

TEST(JsonEdit, ReplacesValuesOfAnyType) {
  EXPECT_EQ(edited(R"({"model":5})", "model", "m"), R"({"model":"m"})");
  EXPECT_EQ(edited(R"({"model":null,"x":1})", "model", "m"), R"({"model":"m","x":1})");
  EXPECT_EQ(edited(R"({"model":{"id":"a","model":"b"}})", "model", "m"), R"({"model":"m"})");
  EXPECT_EQ(edited(R"({"model":["a"],"z":true})", "model", "m"), R"({"model":"m","z":true})");
}

TEST(JsonEdit, AddsFirstWhenAbsent) {
  EXPECT_EQ(edited(R"({"x":1})", "model", "m"), R"({"model":"m","x":1})");
  EXPECT_EQ(edited("{}", "model", "m"), R"({"model":"m"})");
  EXPECT_EQ(edited("{ }", "model", "m"), R"({"model":"m" })");
  EXPECT_EQ(edited("  {\n \"x\" : 1 }  ", "model", "m"), "  {\"model\":\"m\",\n \"x\" : 1 }  ");
  EXPECT_EQ(edited("{\n}", "model", "m"), "{\"model\":\"m\"\n}");
}

TEST(JsonEdit, NestedKeysAreNotTouched) {
  EXPECT_EQ(edited(R"({"meta":{"model":"inner"},"y":1})", "model", "m"),
            R"({"model":"m","meta":{"model":"inner"},"y":1})");
  EXPECT_EQ(edited(R"({"messages":[{"model":"a"}],"model":"b"})", "model", "m"),
            R"({"messages":[{"model":"a"}],"model":"m"})");
  // A string value that looks like a member.
  EXPECT_EQ(edited(R"({"text":"\"model\":\"x\"","model":"b"})", "model", "m"),
            R"({"text":"\"model\":\"x\"","model":"m"})");
  EXPECT_EQ(edited(R"({"text":"{\"model\":1}"})", "model", "m"),
            R"({"model":"m","text":"{\"model\":1}"})");
}

TEST(JsonEdit, DuplicateKeysEditTheLastOne) {
  // A DOM parser keeps the last duplicate, so that is the one that must change.
  EXPECT_EQ(edited(R"({"model":"a","x":1,"model":"b"})", "model", "m"),
            R"({"model":"a","x":1,"model":"m"})");
}

TEST(JsonEdit, EscapedKeysAndValues) {
  // The key is compared by value, escapes included.
  EXPECT_EQ(edited(R"({"mo\u0064el":"x"})", "model", "m"), R"({"mo\u0064el":"m"})");
  // The value is escaped as JSON.
  const std::string v = "a\"b\\c\n\x01 \xC3\xA9";
  const std::string out = edited(R"({"model":"x"})", "model", v);
  EXPECT_EQ(out.find('\n'), std::string::npos) << out;
  // Other keys are free too.
  EXPECT_EQ(edited(R"({"model":"x"})", "user", "u"), R"({"user":"u","model":"x"})");
  // A prefix of the key is another key.
  EXPECT_EQ(edited(R"({"modelx":"x","mode":"y"})", "model", "m"),
            R"({"model":"m","modelx":"x","mode":"y"})");
}

TEST(JsonEdit, TrailingWhitespaceIsKept) {
  EXPECT_EQ(edited("{\"model\":\"x\"}\r\n", "model", "m"), "{\"model\":\"m\"}\r\n");
}

TEST(JsonEdit, NonObjectsAreRefused) {
  for (std::string_view body :
       {"", "   ", "[]", R"(["model"])", R"("model")", "42", "null", "true", "model", R"({"model")",
        R"({"model":)", R"({"model":"x")", R"({"model":"x",})", R"({model:"x"})", "{\"a\":1",
        R"({"a":"unterminated})",
        // Not one object: something follows it.
        R"({"a":1}xyz)", R"({"a":1}})", R"({"a":1} {"b":2})", R"({"model":"x"}])"}) {
    EXPECT_FALSE(set_top_level_string(body, "model", "m").has_value()) << body;
  }
}

}  // namespace
}  // namespace cg::wire
