// Code point -> CharClass over the generated two-stage table (see unicode_class.h). Read-only
// data; any thread.
#include "tokenize/unicode_class.h"

#include <cstdlib>
#include <cstring>

#include "tokenize/tables.h"

namespace cg::tokenize {
namespace {

constexpr size_t kHeader = 16;
constexpr size_t kBlocks = 0x110000 >> 8;

// unicode.bin: "CGUC", u32 block count, 8 reserved bytes; u16 stage1[kBlocks]; u8 blocks[][256].
struct Table {
  const uint8_t* stage1;
  const uint8_t* stage2;
  Table() {
    const auto blob = unicode_blob();
    const uint32_t blocks = blob.size() >= kHeader ? load_u32(blob.data() + 4) : 0;
    if (blob.size() != kHeader + 2 * kBlocks + 256 * size_t(blocks) ||
        std::memcmp(blob.data(), "CGUC", 4) != 0)
      std::abort();  // a build that linked a wrong table must not count wrongly
    stage1 = blob.data() + kHeader;
    stage2 = stage1 + 2 * kBlocks;
  }
};

const Table& table() {
  static const Table t;
  return t;
}

}  // namespace

// The ASCII classes, fixed by the patterns' own definitions (tested against the table).
constexpr CharClass O = CharClass::other, U = CharClass::upper, L = CharClass::lower,
                    N = CharClass::number, S = CharClass::space, R = CharClass::newline;
extern const CharClass kAsciiClass[128] = {
    O, O, O, O, O, O, O, O, O, S, R, S, S, R, O, O,  // \t \n \v \f \r
    O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,  //
    S, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,  // space ! " # ...
    N, N, N, N, N, N, N, N, N, N, O, O, O, O, O, O,  // 0-9
    O, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,  // @ A-O
    U, U, U, U, U, U, U, U, U, U, U, O, O, O, O, O,  // P-Z
    O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,  // ` a-o
    L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, O,  // p-z, DEL
};

CharClass char_class(char32_t cp) {
  const Table& t = table();
  if (cp >= 0x110000) return CharClass::other;
  const uint16_t block = load_u16(t.stage1 + 2 * (cp >> 8));
  return CharClass(t.stage2[size_t(block) * 256 + (cp & 0xFF)]);
}

}  // namespace cg::tokenize
