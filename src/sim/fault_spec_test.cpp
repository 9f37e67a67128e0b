// Unit tests for fault_spec: directive/header parsing and merging. Test thread only.
#include "sim/fault_spec.h"

#include <gtest/gtest.h>

namespace cg::sim {
namespace {

TEST(FaultSpec, ParsesHeaderPairs) {
  Overrides o;
  apply_pairs("status=429; retry_after=1 ;chunks=7,bogus=3,first_byte_delay_ms=x", o);
  EXPECT_EQ(o.status, 429);
  EXPECT_EQ(o.retry_after_s, 1);
  EXPECT_EQ(o.chunks, 7);
  EXPECT_FALSE(o.first_byte_delay_ms.has_value());  // not an integer: ignored
  EXPECT_FALSE(o.drop_after_chunks.has_value());
}

TEST(FaultSpec, StripsDirectivesFromText) {
  Overrides o;
  const std::string text =
      strip_directives("  hello [[sim:chunks=3]] world[[sim:drop_after=2,usage_on_finish=1]] ", o);
  EXPECT_EQ(text, "hello  world");
  EXPECT_EQ(o.chunks, 3);
  EXPECT_EQ(o.drop_after_chunks, 2);
  EXPECT_EQ(o.usage_on_finish, true);
}

TEST(FaultSpec, UnterminatedDirectiveIsText) {
  Overrides o;
  EXPECT_EQ(strip_directives("a [[sim:chunks=3", o), "a [[sim:chunks=3");
  EXPECT_FALSE(o.chunks.has_value());
}

TEST(FaultSpec, ToolAndArgsDirectives) {
  Overrides o;
  const std::string text = strip_directives(
      R"(run it [[sim:tool=Bash, args={"command":"echo a,b;c", "n":[1,{"x":"}"}]},chunks=2]] now)",
      o);
  EXPECT_EQ(text, "run it  now");
  EXPECT_EQ(o.tool, "Bash");
  EXPECT_EQ(o.args, R"({"command":"echo a,b;c","n":[1,{"x":"}"}]})");  // compact JSON
  EXPECT_EQ(o.chunks, 2);  // the pair after the object still applies

  Overrides bad;  // not an object, or not JSON: ignored; the following pairs still apply
  apply_pairs(R"(args=[1,2], chunks=3)", bad);
  EXPECT_FALSE(bad.args.has_value());
  EXPECT_EQ(bad.chunks, 3);
  apply_pairs(R"(args={"a":, status=500)", bad);
  EXPECT_FALSE(bad.args.has_value());
  apply_pairs("tool=", bad);
  EXPECT_FALSE(bad.tool.has_value());
  // Tool and args shape answers, not faults: merging ignores them.
  EXPECT_EQ(merge_behaviour(Fault{}, 20, {}, o).fault.status, 0);
}

TEST(FaultSpec, MergeOrderAccountThenHeaderThenPrompt) {
  Fault account;
  account.status = 500;
  account.chunk_delay_ms = 10;
  Overrides header, prompt;
  header.status = 429;
  header.chunks = 5;
  prompt.chunks = 2;
  const Behaviour b = merge_behaviour(account, 20, header, prompt);
  EXPECT_EQ(b.fault.status, 429);
  EXPECT_EQ(b.fault.chunk_delay_ms, 10);
  EXPECT_EQ(b.chunks, 2);
  EXPECT_FALSE(b.usage_on_finish);
  EXPECT_EQ(merge_behaviour(Fault{}, 20, {}, {}).chunks, 20);
  Overrides zero;
  zero.chunks = 0;
  EXPECT_EQ(merge_behaviour(Fault{}, 20, {}, zero).chunks, 1);
}

}  // namespace
}  // namespace cg::sim
