// UTF-8 helpers of the tokenizer: validation, replacement of invalid sequences with U+FFFD (the
// WHATWG decoder's rule, which is what node's TextDecoder and thus the reference test use), and
// decoding of one code point from text already known to be valid. Pure; any thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cg::tokenize {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` with each maximal ill-formed subsequence replaced by U+FFFD (EF BF BD): a lone
// continuation byte or an invalid lead byte is one U+FFFD, a truncated sequence is one U+FFFD.
std::string replace_invalid_utf8(std::string_view text);

// The code point starting at p, and its length in `len`. p must start a valid sequence.
inline char32_t decode_utf8(const uint8_t* p, size_t& len) {
  const uint8_t b = p[0];
  if (b < 0x80) {
    len = 1;
    return b;
  }
  if (b < 0xE0) {
    len = 2;
    return char32_t(b & 0x1F) << 6 | (p[1] & 0x3F);
  }
  if (b < 0xF0) {
    len = 3;
    return char32_t(b & 0x0F) << 12 | char32_t(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
  }
  len = 4;
  return char32_t(b & 0x07) << 18 | char32_t(p[1] & 0x3F) << 12 | char32_t(p[2] & 0x3F) << 6 |
         (p[3] & 0x3F);
}

}  // namespace cg::tokenize
