// find_bytes: substring search tuned for short needles in short-to-medium haystacks (a JSON key in
// an SSE event). libstdc++'s string_view::find calls memchr once per occurrence of the needle's
// first byte, which is slow when that byte is common (a quote in JSON). This compares the
// needle's first and last bytes at 32 positions per step (AVX2, when the CPU has it; else 16 with
// SSE2) and verifies candidates with memcmp. Pure; any thread.
#pragma once
#include <cstddef>
#include <string_view>

namespace cg {

// Offset of the first occurrence of `needle` in `haystack`, or std::string_view::npos.
// An empty needle is found at 0.
size_t find_bytes(std::string_view haystack, std::string_view needle);

namespace detail {
// The SSE2 version whatever the CPU (tests compare it with the dispatched one).
size_t find_bytes_portable(std::string_view haystack, std::string_view needle);
}  // namespace detail

inline bool contains_bytes(std::string_view haystack, std::string_view needle) {
  return find_bytes(haystack, needle) != std::string_view::npos;
}

}  // namespace cg
