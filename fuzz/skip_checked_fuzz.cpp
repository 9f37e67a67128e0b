// Fuzz target: translate::skip_value_checked (wire::valid_value_end, falling back to the
// token-by-token skip) against skip_value_checked_slow alone, on arbitrary bytes.
// Input: byte 0 picks the depth limit and the start offset; the rest is the text.
// Properties, for both error wordings: the same decision, scanner position, error text and error
// offset; valid_value_end is sure only of what the slow skip accepts, ending where it ends.
#include <cstring>

#include "fuzz_util.h"
#include "translate/scan_util.h"

namespace {

using cg::translate::JsonErrorWording;
using cg::wire::JsonScanner;

void compare(std::string_view text, size_t start, size_t max_depth, JsonErrorWording wording) {
  JsonScanner fast(text), slow(text);
  fast.seek(start);
  slow.seek(start);
  const bool rf = cg::translate::skip_value_checked(fast, max_depth, wording);
  const bool rs = cg::translate::skip_value_checked_slow(slow, max_depth, wording);
  CG_FUZZ_CHECK(rf == rs, text);
  CG_FUZZ_CHECK(fast.pos() == slow.pos(), text);
  CG_FUZZ_CHECK(fast.ok() == slow.ok(), text);
  CG_FUZZ_CHECK(
      std::strcmp(fast.error() ? fast.error() : "", slow.error() ? slow.error() : "") == 0, text);
  CG_FUZZ_CHECK(fast.error_offset() == slow.error_offset(), text);
  const size_t end = cg::wire::valid_value_end(text, start, max_depth);
  if (end != cg::wire::kNotSure) CG_FUZZ_CHECK(rs && end == slow.pos(), text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr size_t kDepths[] = {0, 1, 2, 3, 63, 64, 65, 253, 256, 1024, 1025, SIZE_MAX};
  const size_t max_depth = kDepths[data[0] % std::size(kDepths)];
  // A view of libFuzzer's buffer, which ends where the input does: ASan sees any read past it.
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t start = data[0] >= 0xf0 && !text.empty() ? (data[0] & 0x0f) % text.size() : 0;
  for (JsonErrorWording w : {JsonErrorWording::kAnthropic, JsonErrorWording::kResponses})
    compare(text, start, max_depth, w);
  return 0;
}
