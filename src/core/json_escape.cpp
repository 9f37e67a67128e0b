// See json_escape.h. Pure. Runs of bytes that need no escaping are found 8 bytes at a time
// (SWAR: a byte below 0x20, a '"' or a '\\' in the word) and appended in one piece.
#include "core/json_escape.h"

#include <cstdint>
#include <cstring>

namespace cg {

namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

// Non-zero when any byte of `w` is < 0x20, == '"' or == '\\' (bytes >= 0x80 never match).
inline uint64_t needs_escape(uint64_t w) {
  const uint64_t lt20 = (w - kOnes * 0x20) & ~w;
  const uint64_t q = w ^ (kOnes * '"');
  const uint64_t bs = w ^ (kOnes * '\\');
  const uint64_t zq = (q - kOnes) & ~q;
  const uint64_t zb = (bs - kOnes) & ~bs;
  return (lt20 | zq | zb) & kHighs;
}

inline bool plain(unsigned char c) {
  return c >= 0x20 && c != '"' && c != '\\';
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p < end) {
    const char* run = p;
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (needs_escape(w)) break;
      p += 8;
    }
    while (p < end && plain(static_cast<unsigned char>(*p)))
      ++p;
    out.append(run, static_cast<size_t>(p - run));
    if (p == end) break;
    const unsigned char c = static_cast<unsigned char>(*p++);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
}

}  // namespace cg
