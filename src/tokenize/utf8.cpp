// UTF-8 validation and U+FFFD replacement for the tokenizer (see utf8.h). Pure; any thread.
#include "tokenize/utf8.h"

#include <cstring>

namespace cg::tokenize {
namespace {

// Length of the well-formed sequence at p[0..n), or 0 when p starts an ill-formed one; in that
// case `bad` is the length of its maximal ill-formed subsequence (always >= 1), which is how
// many bytes one U+FFFD replaces.
size_t sequence_length(const uint8_t* p, size_t n, size_t& bad) {
  const uint8_t b = p[0];
  size_t need = 0;
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    if (b == 0xE0) lo = 0xA0;  // no overlongs
    if (b == 0xED) hi = 0x9F;  // no surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    if (b == 0xF0) lo = 0x90;  // no overlongs
    if (b == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    bad = 1;
    return 0;
  }
  for (size_t i = 1; i <= need; ++i) {
    const uint8_t c = i < n ? p[i] : 0;
    if (i >= n || c < lo || c > hi) {
      bad = i;
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  return need + 1;
}

// Offset of the first non-ASCII byte at or after `from`.
size_t skip_ascii(const uint8_t* p, size_t n, size_t from) {
  size_t i = from;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) break;
  }
  while (i < n && p[i] < 0x80)
    ++i;
  return i;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t i = skip_ascii(p, n, 0);
  while (i < n) {
    size_t bad = 0;
    const size_t len = sequence_length(p + i, n - i, bad);
    if (len == 0) return false;
    i = skip_ascii(p, n, i + len);
  }
  return true;
}

std::string replace_invalid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  std::string out;
  out.reserve(n + n / 2);
  size_t i = 0;
  while (i < n) {
    const size_t ascii_end = skip_ascii(p, n, i);
    out.append(text.data() + i, ascii_end - i);
    i = ascii_end;
    if (i == n) break;
    size_t bad = 0;
    const size_t len = sequence_length(p + i, n - i, bad);
    if (len != 0) {
      out.append(text.data() + i, len);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      i += bad;
    }
  }
  return out;
}

}  // namespace cg::tokenize
