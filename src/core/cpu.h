// CPU features for code with SIMD fast paths chosen at run time (the build targets baseline
// x86-64; AVX2 paths are compiled with target attributes and picked when the CPU has AVX2).
// Pure; any thread.
#pragma once

namespace cg {

inline bool cpu_has_avx2() {
#if defined(__x86_64__)
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
#else
  return false;
#endif
}

}  // namespace cg
