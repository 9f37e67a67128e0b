// Tests for the tokenizer's UTF-8 validation and U+FFFD replacement. Test thread only.
#include "tokenize/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace cg::tokenize {
namespace {

const std::string kFffd = "\xef\xbf\xbd";

TEST(TokenizeUtf8, ValidTextIsValid) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ASCII, long enough to take the eight-byte path"));
  EXPECT_TRUE(is_valid_utf8("é 日本 😀 \xf4\x8f\xbf\xbf \xed\x9f\xbf"));
}

TEST(TokenizeUtf8, IllFormedTextIsNot) {
  for (const char* s :
       {"\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xf0\x80\x80\x80",
        "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "abcdefgh\xe2\x82"})
    EXPECT_FALSE(is_valid_utf8(s)) << s;
}

TEST(TokenizeUtf8, ReplacesMaximalSubparts) {
  EXPECT_EQ(replace_invalid_utf8("abc"), "abc");
  EXPECT_EQ(replace_invalid_utf8("a\x80"
                                 "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(replace_invalid_utf8("\xe2\x82"
                                 "a"),
            kFffd + "a");                                                  // truncated: one
  EXPECT_EQ(replace_invalid_utf8("\xe2\x82"), kFffd);                      // truncated at the end
  EXPECT_EQ(replace_invalid_utf8("\xc0\x80"), kFffd + kFffd);              // overlong lead: two
  EXPECT_EQ(replace_invalid_utf8("\xed\xa0\x80"), kFffd + kFffd + kFffd);  // surrogate: three
  EXPECT_EQ(replace_invalid_utf8("\xf4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);
  EXPECT_EQ(replace_invalid_utf8("\xf0\x9f\x98"
                                 "a"),
            kFffd + "a");
  EXPECT_EQ(replace_invalid_utf8("x\xf0\x9f\x98\x80y"), "x\xf0\x9f\x98\x80y");
}

TEST(TokenizeUtf8, DecodesEveryLength) {
  size_t len = 0;
  const std::string s = "a\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80";
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  EXPECT_EQ(decode_utf8(p, len), U'a');
  EXPECT_EQ(len, 1u);
  EXPECT_EQ(decode_utf8(p + 1, len), U'é');
  EXPECT_EQ(len, 2u);
  EXPECT_EQ(decode_utf8(p + 3, len), U'日');
  EXPECT_EQ(len, 3u);
  EXPECT_EQ(decode_utf8(p + 6, len), U'😀');
  EXPECT_EQ(len, 4u);
}

}  // namespace
}  // namespace cg::tokenize
