// check_json_text: the UTF-8 and surrogate-escape checks scanner-based readers add to the
// scanner's grammar check. Test thread only.
#include "wire/json_text.h"

#include <gtest/gtest.h>

#include <string>

namespace cg::wire {
namespace {

bool accepted(const std::string& text) {
  size_t offset = 0;
  const char* what = nullptr;
  return check_json_text(text, offset, what);
}

TEST(CheckJsonText, SurrogateEscapesComeInPairs) {
  EXPECT_TRUE(accepted(R"(["\ud83d\ude00", "\u00e9", "\\ud800"])"));
  EXPECT_FALSE(accepted(R"(["\ud800"])"));
  EXPECT_FALSE(accepted(R"(["\udc00"])"));
  EXPECT_FALSE(accepted(R"(["\ud800\u0041"])"));
  // The low half must be an escape of its own, not `u` after any byte.
  EXPECT_FALSE(accepted(R"(["\ud800xudc00"])"));
  EXPECT_FALSE(accepted(R"(["\ud800\\udc00"])"));
}

TEST(CheckJsonText, Utf8MustBeWellFormed) {
  EXPECT_TRUE(accepted("[\"caf\xc3\xa9 \xf0\x9f\x98\x80\"]"));
  EXPECT_FALSE(accepted("[\"\xff\"]"));
  EXPECT_FALSE(accepted("[\"\xc0\xaf\"]"));          // overlong
  EXPECT_FALSE(accepted("[\"\xed\xa0\x80\"]"));      // encoded surrogate
  EXPECT_FALSE(accepted("[\"\xf4\x90\x80\x80\"]"));  // past U+10FFFF
  EXPECT_FALSE(accepted("[\"\xe2\x82\"]"));          // truncated
}

// Each fault is found wherever it sits relative to the 64-, 32- and 16-byte blocks of the vector
// loops and their tails, with its offset; a valid escape or character there is accepted.
TEST(CheckJsonText, FaultsAreFoundAtEveryOffset) {
  struct Case {
    std::string bytes;
    bool valid;
  };
  const Case cases[] = {{"\xff", false},          {"\xc3\xa9", true},  {"\\ud800 ", false},
                        {"\\ud83d\\ude00", true}, {"\\\\ud800", true}, {"\\n", true},
                        {"\\udc00", false},       {"\xe2\x82", false}};
  for (const Case& c : cases) {
    for (size_t at = 0; at < 200; ++at) {
      for (size_t tail : {size_t{0}, size_t{1}, size_t{63}, size_t{100}}) {
        const std::string text = std::string(at, 'a') + c.bytes + std::string(tail, 'b');
        size_t offset = 0;
        const char* what = nullptr;
        EXPECT_EQ(check_json_text(text, offset, what), c.valid) << c.bytes << " at " << at;
        if (!c.valid) {
          EXPECT_EQ(offset, at) << c.bytes << " at " << at << ": " << what;
        }
      }
    }
  }
}

}  // namespace
}  // namespace cg::wire
