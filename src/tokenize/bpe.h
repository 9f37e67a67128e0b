// Token counting for request bodies: tiktoken-exact BPE encoders for o200k_base (GPT-4o and
// later) and cl100k_base (GPT-4, GPT-3.5). Special tokens are not recognised: "<|endoftext|>" is
// ordinary text. Invalid UTF-8 never fails: each maximal ill-formed subsequence is read as U+FFFD
// (as a UTF-8 decoder with replacement, e.g. JavaScript's TextDecoder, would give the reference).
// Pure functions over tables built once on first use; any thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cg::tokenize {

// Token ids of `utf8` under o200k_base.
std::vector<uint32_t> encode_o200k(std::string_view utf8);
// encode_o200k(utf8).size(), without building the vector.
size_t count_o200k(std::string_view utf8);

// The same for cl100k_base.
std::vector<uint32_t> encode_cl100k(std::string_view utf8);
size_t count_cl100k(std::string_view utf8);

// Builds the lookup tables of both encodings now (about 15 ms and 12 MB) instead of on the first
// call that needs them, e.g. at startup. Optional; safe to call from any thread, any number of
// times.
void load_tables();

}  // namespace cg::tokenize
