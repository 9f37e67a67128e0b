// See find_bytes.h. Pure.
#include "core/find_bytes.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cg {

size_t find_bytes(std::string_view haystack, std::string_view needle) {
  const size_t n = haystack.size(), m = needle.size();
  if (m == 0) return 0;
  if (m > n) return std::string_view::npos;
  const char* h = haystack.data();
  const char* nd = needle.data();
  const size_t last = n - m;  // last possible start
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i first = _mm_set1_epi8(nd[0]);
  const __m128i tail = _mm_set1_epi8(nd[m - 1]);
  for (; i + 16 <= last + 1; i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i + m - 1));
    unsigned mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, tail))));
    while (mask) {
      const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
      if (m <= 2 || std::memcmp(h + at + 1, nd + 1, m - 2) == 0) return at;
      mask &= mask - 1;
    }
  }
#endif
  for (; i <= last; ++i) {
    if (h[i] == nd[0] && h[i + m - 1] == nd[m - 1] &&
        (m <= 2 || std::memcmp(h + i + 1, nd + 1, m - 2) == 0))
      return i;
  }
  return std::string_view::npos;
}

}  // namespace cg
