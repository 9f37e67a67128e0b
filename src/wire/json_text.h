// Byte-level JSON checks that JsonScanner leaves out, so a scanner-based reader rejects what a
// Boost.JSON parser rejects: invalid UTF-8 and lone UTF-16 surrogate escapes;
// plus the unescaped size of a string token without building it. Pure; any thread.
#pragma once
#include <cstddef>
#include <string_view>

namespace cg::wire {

// Checks the whole text: every byte sequence >= 0x80 is well-formed UTF-8 (no overlongs, no
// surrogates, <= U+10FFFF) and every \uD800-\uDFFF escape is half of a high+low pair. Assumes
// backslashes only occur inside strings (the grammar is checked separately). On failure returns
// false and sets `error_offset` / `what`.
bool check_json_text(std::string_view text, size_t& error_offset, const char*& what);

// Byte size of the unescaped value of a string token's raw contents (between the quotes), whose
// escapes are valid (check_json_text + the scanner passed).
size_t unescaped_size(std::string_view raw);

}  // namespace cg::wire
