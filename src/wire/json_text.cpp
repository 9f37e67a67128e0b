// See json_text.h. SIMD bit masks (AVX2 over 64-byte blocks when the CPU has it, SSE2 over 16- and
// 64-byte blocks); only non-ASCII bytes, \u escapes and escaped backslashes take the scalar path.
#include "wire/json_text.h"

#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>

#include "core/cpu.h"
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cg::wire {
namespace {

using Byte = unsigned char;

#if defined(__SSE2__)
// Bit i set where byte p[i] == c, for 16 bytes.
inline uint32_t eq16(const Byte* p, char c) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c))));
}
inline uint32_t high16(const Byte* p) {
  return static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
}
#endif

#if defined(__x86_64__)
// find_check_stop's loop 64 bytes at a time with AVX2 (a request body is mostly plain ASCII);
// stops where the 16-byte loop takes over: fewer than 65 bytes left.
__attribute__((target("avx2"))) const Byte* skip_plain_avx2(const Byte* p, const Byte* end) {
  const __m256i bs = _mm256_set1_epi8('\\');
  const __m256i u = _mm256_set1_epi8('u');
  while (end - p > 64) {  // p[64] is readable: the "followed by 'u'" test looks one byte ahead
    __m256i stops = _mm256_setzero_si256();
    for (int half = 0; half < 64; half += 32) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + half));
      const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + half + 1));
      // High bit set: a byte >= 0x80, or a backslash followed by 'u' (0xFF from the compares).
      stops = _mm256_or_si256(
          stops, _mm256_or_si256(
                     v, _mm256_and_si256(_mm256_cmpeq_epi8(v, bs), _mm256_cmpeq_epi8(next, u))));
    }
    if (_mm256_movemask_epi8(stops) != 0) return p;
    p += 64;
  }
  return p;
}
#endif

// First byte in [p, end) that is >= 0x80 or a backslash followed by 'u', or `end`. Other escapes
// are not stops: each stop costs a branch miss, and prose has an escape every few dozen bytes.
inline const Byte* find_check_stop(const Byte* p, const Byte* end) {
#if defined(__x86_64__)
  if (cpu_has_avx2()) p = skip_plain_avx2(p, end);
#endif
#if defined(__SSE2__)
  while (end - p > 16) {  // p[16] is readable: the "followed by 'u'" test looks one byte ahead
    const uint32_t m = high16(p) | (eq16(p, '\\') & eq16(p + 1, 'u'));
    if (m != 0) return p + __builtin_ctz(m);
    p += 16;
  }
#endif
  for (; p < end; ++p)
    if (*p >= 0x80 || (*p == '\\' && p + 1 < end && p[1] == 'u')) return p;
  return end;
}

// Population count without the POPCNT instruction (not in the x86-64 baseline; std::popcount
// would call into libgcc).
inline size_t popcount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return static_cast<size_t>((x * 0x0101010101010101ull) >> 56);
}

inline int hex_value(Byte c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of "\uXXXX" at p (p[0] == '\\'), or -1 when it is not a complete \u escape.
inline int32_t u_escape(const Byte* p, const Byte* end) {
  if (end - p < 6 || p[0] != '\\' || p[1] != 'u') return -1;
  int32_t v = 0;
  for (int i = 2; i < 6; ++i) {
    const int h = hex_value(p[i]);
    if (h < 0) return -1;
    v = v << 4 | h;
  }
  return v;
}

// Length of the well-formed UTF-8 sequence at p (p[0] >= 0x80), 0 when malformed.
inline size_t utf8_sequence(const Byte* p, const Byte* end) {
  const Byte c = p[0];
  const ptrdiff_t left = end - p;
  auto cont = [](Byte b) { return (b & 0xC0) == 0x80; };
  if (c < 0xC2) return 0;  // continuation byte or overlong 2-byte lead
  if (c < 0xE0) return left >= 2 && cont(p[1]) ? 2 : 0;
  if (c < 0xF0) {
    if (left < 3) return 0;
    const Byte lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;  // overlong, surrogate
    return p[1] >= lo && p[1] <= hi && cont(p[2]) ? 3 : 0;
  }
  if (c < 0xF5) {
    if (left < 4) return 0;
    const Byte lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;  // overlong, > U+10FFFF
    return p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3]) ? 4 : 0;
  }
  return 0;
}

size_t utf8_size(int32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

}  // namespace

bool check_json_text(std::string_view text, size_t& error_offset, const char*& what) {
  const Byte* const base = reinterpret_cast<const Byte*>(text.data());
  const Byte* const end = base + text.size();
  const Byte* p = base;
  auto fail = [&](const char* why) {
    error_offset = static_cast<size_t>(p - base);
    what = why;
    return false;
  };
  for (;;) {
    p = find_check_stop(p, end);
    if (p == end) return true;
    if (*p != '\\') {
      const size_t n = utf8_sequence(p, end);
      if (n == 0) return fail("invalid UTF-8");
      p += n;
      continue;
    }
    size_t run = 0;  // backslashes right before this one: an odd count escapes it
    while (p - run > base && p[-1 - static_cast<ptrdiff_t>(run)] == '\\')
      ++run;
    const int32_t cu = run % 2 == 0 ? u_escape(p, end) : -1;
    if (cu < 0xD800 || cu > 0xDFFF) {  // an escaped backslash, a bad escape, or no surrogate
      ++p;
      continue;
    }
    if (cu >= 0xDC00) return fail("lone low surrogate escape");
    const int32_t lo = u_escape(p + 6, end);
    if (lo < 0xDC00 || lo > 0xDFFF) return fail("high surrogate escape without its low half");
    p += 12;
  }
}

size_t unescaped_size(std::string_view raw) {
  const Byte* const begin = reinterpret_cast<const Byte*>(raw.data());
  const Byte* const end = begin + raw.size();
  const Byte* p = begin;
  size_t saved = 0;  // bytes the escapes lose when unescaped
  for (;;) {
#if defined(__SSE2__)
    // Blocks whose backslashes are all followed by neither '\\' nor 'u' hold only two-byte
    // escapes: each one loses one byte. p[64] is read by the look-ahead.
    while (end - p > 64) {
      const uint64_t bs = eq16(p, '\\') | uint64_t{eq16(p + 16, '\\')} << 16 |
                          uint64_t{eq16(p + 32, '\\')} << 32 | uint64_t{eq16(p + 48, '\\')} << 48;
      if (bs == 0) {
        p += 64;
        continue;
      }
      uint64_t next = 0;
      for (int k = 0; k < 4; ++k)
        next |= uint64_t{eq16(p + 1 + 16 * k, '\\') | eq16(p + 1 + 16 * k, 'u')} << (16 * k);
      if ((bs & next) != 0) break;  // a \\ or \u in this block: take the scalar path
      saved += popcount64(bs);
      p += 64;
    }
#endif
    if (p >= end) break;
    // Scalar through the next 64 bytes (or to the end), one escape at a time.
    const Byte* const stop = end - p > 64 ? p + 64 : end;
    while (p < stop) {
      if (*p != '\\') {
        ++p;
        continue;
      }
      const int32_t cu = u_escape(p, end);
      if (cu < 0) {  // two-byte escape -> one byte
        saved += 1;
        p += end - p >= 2 ? 2 : 1;
      } else if (cu >= 0xD800 && cu <= 0xDBFF && u_escape(p + 6, end) >= 0xDC00 &&
                 u_escape(p + 6, end) <= 0xDFFF) {
        saved += 12 - 4;  // surrogate pair -> one 4-byte character
        p += 12;
      } else {
        saved += 6 - utf8_size(cu);
        p += 6;
      }
    }
  }
  return raw.size() - saved;
}

}  // namespace cg::wire
