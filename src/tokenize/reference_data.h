// Test-only: reads the reference token ids that gen/gen_reference.mjs writes at build time (the
// corpus of gen/corpus.mjs encoded by the tiktoken npm package). Test thread only.
#pragma once
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace cg::tokenize::testing {

struct ReferenceEntry {
  std::string name;   // "<category>#<index>"
  std::string bytes;  // the text as given to the encoders (may be invalid UTF-8)
  std::vector<uint32_t> o200k, cl100k;
};

#ifndef CG_TOKENIZE_REFERENCE
#define CG_TOKENIZE_REFERENCE "reference.bin"
#endif

inline std::vector<ReferenceEntry> load_reference(const char* path = CG_TOKENIZE_REFERENCE) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + path);
  const std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  size_t at = 0;
  auto need = [&](size_t n) {
    if (data.size() - at < n) throw std::runtime_error("truncated reference file");
  };
  auto u32 = [&] {
    need(4);
    uint32_t v;
    std::memcpy(&v, data.data() + at, 4);  // written little-endian; so is every target here
    at += 4;
    return v;
  };
  auto bytes = [&](size_t n) {
    need(n);
    std::string s = data.substr(at, n);
    at += n;
    return s;
  };
  auto ids = [&] {
    std::vector<uint32_t> v(u32());
    need(4 * v.size());
    if (!v.empty()) std::memcpy(v.data(), data.data() + at, 4 * v.size());
    at += 4 * v.size();
    return v;
  };
  std::vector<ReferenceEntry> entries(u32());
  for (ReferenceEntry& e : entries) {
    e.name = bytes(u32());
    e.bytes = bytes(u32());
    e.o200k = ids();
    e.cl100k = ids();
  }
  if (at != data.size()) throw std::runtime_error("trailing bytes in reference file");
  return entries;
}

}  // namespace cg::tokenize::testing
