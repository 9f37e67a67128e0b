// Fuzz target: the o200k_base and cl100k_base BPE encoders on arbitrary bytes (invalid UTF-8
// included: it must read as U+FFFD, never fail).
// Properties: no crash; count == encode().size(); every id is inside the vocabulary; encoding
// is deterministic; empty input exactly gives no tokens.
#include "fuzz_util.h"
#include "tokenize/bpe.h"

namespace {

constexpr uint32_t kO200kVocab = 200019;  // o200k_base ranks + special tokens
constexpr uint32_t kCl100kVocab = 100277;

template <class Encode, class Count>
void check(std::string_view text, Encode encode, Count count, uint32_t vocab) {
  const std::vector<uint32_t> ids = encode(text);
  CG_FUZZ_CHECK(count(text) == ids.size(), text);
  CG_FUZZ_CHECK(encode(text) == ids, text);
  CG_FUZZ_CHECK(text.empty() == ids.empty(), text);
  for (uint32_t id : ids)
    CG_FUZZ_CHECK(id < vocab, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = cg::fuzz::as_text(data, size);
  check(text, cg::tokenize::encode_o200k, cg::tokenize::count_o200k, kO200kVocab);
  check(text, cg::tokenize::encode_cl100k, cg::tokenize::count_cl100k, kCl100kVocab);
  return 0;
}
