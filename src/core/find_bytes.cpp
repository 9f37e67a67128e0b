// See find_bytes.h. Pure.
#include "core/find_bytes.h"

#include <cstring>

#include "core/cpu.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cg {
namespace {

// needle (m >= 1 bytes) starts at h + at, given its first and last bytes already match.
inline bool middle_matches(const char* h, const char* nd, size_t m, size_t at) {
  return m <= 2 || std::memcmp(h + at + 1, nd + 1, m - 2) == 0;
}

// The search from start `i` on: 16 positions per step (SSE2), then one by one.
// REQUIRES: 1 <= m <= n.
size_t find_from(const char* h, size_t n, const char* nd, size_t m, size_t i) {
  const size_t last = n - m;  // last possible start
#if defined(__SSE2__)
  const __m128i first = _mm_set1_epi8(nd[0]);
  const __m128i tail = _mm_set1_epi8(nd[m - 1]);
  for (; i + 16 <= last + 1; i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i + m - 1));
    unsigned mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, tail))));
    for (; mask != 0; mask &= mask - 1) {
      const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
      if (middle_matches(h, nd, m, at)) return at;
    }
  }
#endif
  for (; i <= last; ++i)
    if (h[i] == nd[0] && h[i + m - 1] == nd[m - 1] && middle_matches(h, nd, m, i)) return i;
  return std::string_view::npos;
}

#if defined(__x86_64__)
// 32 positions per step while they fit, the rest as above (CPUs with AVX2).
__attribute__((target("avx2"))) size_t find_avx2(const char* h, size_t n, const char* nd,
                                                 size_t m) {
  const size_t last = n - m;
  size_t i = 0;
  const __m256i first = _mm256_set1_epi8(nd[0]);
  const __m256i tail = _mm256_set1_epi8(nd[m - 1]);
  for (; i + 32 <= last + 1; i += 32) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(h + i));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(h + i + m - 1));
    unsigned mask = static_cast<unsigned>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, tail))));
    for (; mask != 0; mask &= mask - 1) {
      const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
      if (middle_matches(h, nd, m, at)) return at;
    }
  }
  return find_from(h, n, nd, m, i);
}
#endif

}  // namespace

namespace detail {
size_t find_bytes_portable(std::string_view haystack, std::string_view needle) {
  const size_t n = haystack.size(), m = needle.size();
  if (m == 0) return 0;
  if (m > n) return std::string_view::npos;
  return find_from(haystack.data(), n, needle.data(), m, 0);
}
}  // namespace detail

size_t find_bytes(std::string_view haystack, std::string_view needle) {
#if defined(__x86_64__)
  if (cpu_has_avx2() && !needle.empty() && needle.size() <= haystack.size())
    return find_avx2(haystack.data(), haystack.size(), needle.data(), needle.size());
#endif
  return detail::find_bytes_portable(haystack, needle);
}

}  // namespace cg
