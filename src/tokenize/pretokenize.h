// The pre-tokenizers of o200k_base and cl100k_base: the tiktoken regular expressions (quoted in
// pretokenize.cpp) written out by hand as scanners with the same leftmost-first, backtracking
// results. Pure; any thread.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

namespace cg::tokenize {

// End offset of the piece that starts at `pos` (< text.size()); text must be valid UTF-8.
size_t o200k_piece_end(std::string_view text, size_t pos);
size_t cl100k_piece_end(std::string_view text, size_t pos);

// All pieces of valid UTF-8 text, in order (for tests and diagnostics).
std::vector<std::string_view> split_o200k(std::string_view text);
std::vector<std::string_view> split_cl100k(std::string_view text);

}  // namespace cg::tokenize
