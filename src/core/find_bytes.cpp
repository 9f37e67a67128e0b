// See find_bytes.h. Pure.
#include "core/find_bytes.h"

#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cg {
namespace {

#if defined(__x86_64__)
// The same search 32 positions per step, for CPUs with AVX2 (chosen once at startup).
__attribute__((target("avx2"))) size_t find_bytes_avx2(std::string_view haystack,
                                                       std::string_view needle) {
  const size_t n = haystack.size(), m = needle.size();
  if (m == 0) return 0;
  if (m > n) return std::string_view::npos;
  const char* h = haystack.data();
  const char* nd = needle.data();
  const size_t last = n - m;
  size_t i = 0;
  const __m256i first = _mm256_set1_epi8(nd[0]);
  const __m256i tail = _mm256_set1_epi8(nd[m - 1]);
  for (; i + 32 <= last + 1; i += 32) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(h + i));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(h + i + m - 1));
    unsigned mask = static_cast<unsigned>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, tail))));
    while (mask) {
      const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
      if (m <= 2 || std::memcmp(h + at + 1, nd + 1, m - 2) == 0) return at;
      mask &= mask - 1;
    }
  }
  for (; i <= last; ++i) {
    if (h[i] == nd[0] && h[i + m - 1] == nd[m - 1] &&
        (m <= 2 || std::memcmp(h + i + 1, nd + 1, m - 2) == 0))
      return i;
  }
  return std::string_view::npos;
}
#endif

size_t find_bytes_sse2(std::string_view haystack, std::string_view needle) {
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

using FindFn = size_t (*)(std::string_view, std::string_view);

FindFn pick() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) return find_bytes_avx2;
#endif
  return find_bytes_sse2;
}

}  // namespace

size_t find_bytes(std::string_view haystack, std::string_view needle) {
  static const FindFn find = pick();
  return find(haystack, needle);
}

namespace detail {
size_t find_bytes_portable(std::string_view haystack, std::string_view needle) {
  return find_bytes_sse2(haystack, needle);
}
}  // namespace detail

}  // namespace cg
