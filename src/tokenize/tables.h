// The binary token tables that gen/gen_tables.mjs writes at build time and the generated
// tables_blob.cpp links in (formats described in gen_tables.mjs). Read-only data; any thread.
#pragma once
#include <cstdint>
#include <span>

extern "C" {
// [name, name_end) spans the file's bytes, 64-byte aligned.
__attribute__((visibility("hidden"))) extern const unsigned char cg_tokenize_o200k_base[];
__attribute__((visibility("hidden"))) extern const unsigned char cg_tokenize_o200k_base_end[];
__attribute__((visibility("hidden"))) extern const unsigned char cg_tokenize_cl100k_base[];
__attribute__((visibility("hidden"))) extern const unsigned char cg_tokenize_cl100k_base_end[];
__attribute__((visibility("hidden"))) extern const unsigned char cg_tokenize_unicode[];
__attribute__((visibility("hidden"))) extern const unsigned char cg_tokenize_unicode_end[];
}

namespace cg::tokenize {

inline std::span<const uint8_t> o200k_base_blob() {
  return {cg_tokenize_o200k_base, cg_tokenize_o200k_base_end};
}
inline std::span<const uint8_t> cl100k_base_blob() {
  return {cg_tokenize_cl100k_base, cg_tokenize_cl100k_base_end};
}
inline std::span<const uint8_t> unicode_blob() {
  return {cg_tokenize_unicode, cg_tokenize_unicode_end};
}

// Little-endian u16/u32 at p (the generator writes little-endian; p need not be aligned).
inline uint32_t load_u32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
inline uint16_t load_u16(const uint8_t* p) {
  return uint16_t(p[0] | p[1] << 8);
}

}  // namespace cg::tokenize
