// Tests for the hand-written pre-tokenizers on cases that exercise each alternative of the
// patterns, and for the character classes. Test thread only.
#include "tokenize/pretokenize.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tokenize/unicode_class.h"

namespace cg::tokenize {
namespace {

using Pieces = std::vector<std::string_view>;

TEST(TokenizePretokenize, O200kAlternatives) {
  EXPECT_EQ(split_o200k("Hello world"), (Pieces{"Hello", " world"}));
  EXPECT_EQ(split_o200k("HELLO world"), (Pieces{"HELLO", " world"}));
  EXPECT_EQ(split_o200k("helloWorld"), (Pieces{"hello", "World"}));
  EXPECT_EQ(split_o200k("HTTPServer"), (Pieces{"HTTPServer"}));
  EXPECT_EQ(split_o200k("I'M you're"), (Pieces{"I'M", " you're"}));
  EXPECT_EQ(split_o200k("(hello)"), (Pieces{"(hello", ")"}));
  EXPECT_EQ(split_o200k("12345"), (Pieces{"123", "45"}));
  EXPECT_EQ(split_o200k("a  b"), (Pieces{"a", " ", " b"}));
  EXPECT_EQ(split_o200k("a \n\n  b  "), (Pieces{"a", " \n\n", " ", " b", "  "}));
  EXPECT_EQ(split_o200k("x = {}\n//y"), (Pieces{"x", " =", " {}\n//", "y"}));
  EXPECT_EQ(split_o200k("\t!"), (Pieces{"\t", "!"}));
  EXPECT_EQ(split_o200k("日本語です。"), (Pieces{"日本語です", "。"}));
  EXPECT_EQ(split_o200k("e\u0301t\u00e9"), (Pieces{"e\u0301t\u00e9"}));
  EXPECT_EQ(split_o200k(" \u0301"), (Pieces{" \u0301"}));
}

TEST(TokenizePretokenize, Cl100kAlternatives) {
  EXPECT_EQ(split_cl100k("Hello world"), (Pieces{"Hello", " world"}));
  EXPECT_EQ(split_cl100k("I'M you're"), (Pieces{"I", "'M", " you", "'re"}));
  EXPECT_EQ(split_cl100k("'sound"), (Pieces{"'s", "ound"}));
  EXPECT_EQ(split_cl100k("x = {}\n//y"), (Pieces{"x", " =", " {}\n", "//", "y"}));
  EXPECT_EQ(split_cl100k("e\u0301t"), (Pieces{"e", "\u0301t"}));
  EXPECT_EQ(split_cl100k("12345"), (Pieces{"123", "45"}));
}

TEST(TokenizePretokenize, AsciiClassesMatchTheGeneratedTable) {
  for (char32_t c = 0; c < 128; ++c)
    EXPECT_EQ(char_class(c), kAsciiClass[c]) << uint32_t(c);
}

TEST(TokenizePretokenize, SomeNonAsciiClasses) {
  EXPECT_EQ(char_class(U'É'), CharClass::upper);
  EXPECT_EQ(char_class(U'ǅ'), CharClass::upper);  // Lt
  EXPECT_EQ(char_class(U'ß'), CharClass::lower);
  EXPECT_EQ(char_class(U'ʰ'), CharClass::letter);  // Lm
  EXPECT_EQ(char_class(U'日'), CharClass::letter);
  EXPECT_EQ(char_class(0x0301), CharClass::mark);
  EXPECT_EQ(char_class(U'٣'), CharClass::number);
  EXPECT_EQ(char_class(U'½'), CharClass::number);
  EXPECT_EQ(char_class(0x00A0), CharClass::space);
  EXPECT_EQ(char_class(0x0085), CharClass::space);  // White_Space, unlike JavaScript's \s
  EXPECT_EQ(char_class(0xFEFF), CharClass::other);  // JavaScript's \s, not White_Space
  EXPECT_EQ(char_class(0xFFFD), CharClass::other);
  EXPECT_EQ(char_class(U'😀'), CharClass::other);
  EXPECT_EQ(char_class(0x10FFFF), CharClass::other);
}

}  // namespace
}  // namespace cg::tokenize
