// Unit tests for base64 (RFC 4648 vectors, strict decoding) and the keyed signatures of thinking
// blocks and encrypted reasoning (verify what was issued, reject any change). Test thread only.
#include "sim/signing.h"

#include <gtest/gtest.h>

#include "sim/base64.h"

namespace cg::sim {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    std::string out;
    append_base64(out, plain);
    EXPECT_EQ(out, encoded);
    EXPECT_EQ(decode_base64(encoded), std::string(plain));
  }
  std::string all;
  for (int i = 0; i < 256; ++i)
    all += static_cast<char>(i);
  std::string enc;
  append_base64(enc, all);
  EXPECT_EQ(decode_base64(enc), all);
}

TEST(Base64, RejectsMalformed) {
  for (const char* bad : {"Zg=", "Zg", "Z===", "Zh==", "Zm9=v", "Zm 9", "Zm9v!A==", "=Zm9"})
    EXPECT_FALSE(decode_base64(bad).has_value()) << bad;
}

TEST(Signing, ThinkingSignatureVerifiesOnlyUnchanged) {
  const std::string sig = sign_thinking("Thinking about: x");
  EXPECT_TRUE(sig.starts_with("sig_"));
  EXPECT_EQ(sig.size(), 4u + 32u);
  EXPECT_EQ(sign_thinking("Thinking about: x"), sig);  // deterministic within the process
  EXPECT_TRUE(verify_thinking("Thinking about: x", sig));
  EXPECT_FALSE(verify_thinking("Thinking about: y", sig));
  std::string bad = sig;
  bad[10] = bad[10] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(verify_thinking("Thinking about: x", bad));
  EXPECT_FALSE(verify_thinking("Thinking about: x", ""));
  EXPECT_FALSE(verify_thinking("Thinking about: x", sig.substr(0, 20)));
}

TEST(Signing, ReasoningIsBoundToItsItemId) {
  const std::string sealed = seal_reasoning("rs_1", "Thinking about: x");
  EXPECT_TRUE(verify_reasoning("rs_1", sealed));
  EXPECT_FALSE(verify_reasoning("rs_2", sealed));
  EXPECT_FALSE(verify_reasoning("rs_1", seal_reasoning("rs_2", "Thinking about: x")));
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verify_reasoning("rs_1", bad)) << i;
  }
  const std::optional<std::string> raw = decode_base64(sealed);  // the text is not readable
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->size(), std::string("Thinking about: x").size() + 16);
  EXPECT_EQ(raw->find("Thinking"), std::string::npos);
  EXPECT_FALSE(verify_reasoning("rs_1", ""));
  EXPECT_FALSE(verify_reasoning("rs_1", "not base64"));
}

}  // namespace
}  // namespace cg::sim
