// Unit tests for JSON string escaping (every byte value, at every alignment).
#include "core/json_escape.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cg {
namespace {

TEST(JsonEscape, CommonEscapes) {
  std::string out;
  append_json_string(out, "a\"b\\c\nd\re\tf\bg\fh\x01i");
  EXPECT_EQ(out, R"("a\"b\\c\nd\re\tf\bg\fh\u0001i")");
}

TEST(JsonEscape, EveryByteAtEveryOffsetRoundTrips) {
  for (int c = 0; c < 128; ++c) {
    for (size_t prefix = 0; prefix < 20; ++prefix) {
      std::string raw(prefix, 'x');
      raw.push_back(static_cast<char>(c));
      raw.append(11, 'y');
      std::string out;
      append_json_string(out, raw);
      auto v = boost::json::parse(out);
      ASSERT_EQ(std::string(v.as_string()), raw) << "byte " << c << " at " << prefix;
    }
  }
}

TEST(JsonEscape, Utf8PassesThrough) {
  std::string out;
  append_json_escaped(out, "héllo wörld — ✓ long enough to use words");
  EXPECT_EQ(out, "héllo wörld — ✓ long enough to use words");
}

}  // namespace
}  // namespace cg
