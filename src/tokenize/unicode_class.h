// The character classes the o200k_base and cl100k_base pre-tokenization patterns distinguish,
// looked up in a two-stage table generated from node's Unicode property tables at build time
// (gen/gen_tables.mjs). The table is read-only linked data; any thread.
#pragma once
#include <cstddef>
#include <cstdint>

#include "tokenize/utf8.h"

namespace cg::tokenize {

// Keep in sync with CLASS in gen/gen_tables.mjs. The classes do not overlap.
enum class CharClass : uint8_t {
  other = 0,    // none of the below: punctuation, symbols, controls, unassigned, U+FFFD ...
  upper = 1,    // \p{Lu} \p{Lt}
  lower = 2,    // \p{Ll}
  letter = 3,   // \p{Lm} \p{Lo}: both "upper" and "lower" for o200k_base
  mark = 4,     // \p{M}: both "upper" and "lower" for o200k_base, not \p{L}
  number = 5,   // \p{N}
  space = 6,    // White_Space (the reference's \s) except CR and LF
  newline = 7,  // CR, LF
};

// Class of code point `cp` (other past U+10FFFF).
CharClass char_class(char32_t cp);

// The classes of U+0000..U+007F (fixed by the patterns themselves; a test compares the table).
extern const CharClass kAsciiClass[128];

// Class and length of the code point at p[0..] (valid UTF-8), with a table lookup for ASCII.
inline CharClass class_at(const uint8_t* p, size_t& len) {
  if (p[0] < 0x80) {
    len = 1;
    return kAsciiClass[p[0]];
  }
  return char_class(decode_utf8(p, len));
}

inline bool is_letter(CharClass c) {
  return c == CharClass::upper || c == CharClass::lower || c == CharClass::letter;
}
// [^\r\n\p{L}\p{N}]: may stand before a word.
inline bool is_word_prefix(CharClass c) {
  return c == CharClass::other || c == CharClass::mark || c == CharClass::space;
}
// [^\s\p{L}\p{N}]
inline bool is_punct(CharClass c) {
  return c == CharClass::other || c == CharClass::mark;
}
inline bool is_space(CharClass c) {
  return c == CharClass::space || c == CharClass::newline;
}

}  // namespace cg::tokenize
