// The encoder entry points (see bpe.h): UTF-8 repair when needed, pre-tokenization, then the
// byte-pair merge of each piece. Pure; any thread.
#include "tokenize/bpe.h"

#include <string>

#include "tokenize/merge.h"
#include "tokenize/pretokenize.h"
#include "tokenize/rank_table.h"
#include "tokenize/unicode_class.h"
#include "tokenize/utf8.h"

namespace cg::tokenize {
namespace {

using PieceEnd = size_t (*)(std::string_view, size_t);

size_t run(const RankTable& table, PieceEnd piece_end, std::string_view text,
           std::vector<uint32_t>* out) {
  std::string repaired;
  if (!is_valid_utf8(text)) {
    repaired = replace_invalid_utf8(text);
    text = repaired;
  }
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  size_t count = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = piece_end(text, pos);
    count += encode_piece(table, p + pos, end - pos, out);
    pos = end;
  }
  return count;
}

}  // namespace

std::vector<uint32_t> encode_o200k(std::string_view utf8) {
  std::vector<uint32_t> ids;
  ids.reserve(utf8.size() / 3);
  run(o200k_base_table(), o200k_piece_end, utf8, &ids);
  return ids;
}

size_t count_o200k(std::string_view utf8) {
  return run(o200k_base_table(), o200k_piece_end, utf8, nullptr);
}

std::vector<uint32_t> encode_cl100k(std::string_view utf8) {
  std::vector<uint32_t> ids;
  ids.reserve(utf8.size() / 3);
  run(cl100k_base_table(), cl100k_piece_end, utf8, &ids);
  return ids;
}

size_t count_cl100k(std::string_view utf8) {
  return run(cl100k_base_table(), cl100k_piece_end, utf8, nullptr);
}

void load_tables() {
  o200k_base_table();
  cl100k_base_table();
  char_class(0x80);  // the Unicode table's header check
}

}  // namespace cg::tokenize
