// Hand-written scanners for the tiktoken pre-tokenization patterns (see pretokenize.h). Each
// function below names the alternative it implements; the comments derive what the regex
// engine's leftmost-first, greedy-with-backtracking search returns. Pure; any thread.
//
// o200k_base:
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//  |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//  |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
// cl100k_base:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*
//  |\s*[\r\n]+|\s+(?!\S)|\s+
#include "tokenize/pretokenize.h"

#include <cstdint>

#include "tokenize/unicode_class.h"

namespace cg::tokenize {
namespace {

constexpr size_t npos = std::string_view::npos;

struct Text {
  const uint8_t* p;
  size_t n;
  explicit Text(std::string_view s) : p(reinterpret_cast<const uint8_t*>(s.data())), n(s.size()) {}
  CharClass at(size_t i, size_t& len) const { return class_at(p + i, len); }
};

// (?i:'s|'t|'re|'ve|'m|'ll|'d) at i: the end of the match, or i when there is none. Unicode
// case folding adds U+017F (long s, folds to s) to the ASCII letters.
size_t contraction_end(const Text& t, size_t i) {
  if (i + 1 >= t.n || t.p[i] != '\'') return i;
  const uint8_t a = t.p[i + 1];
  switch (a | 0x20) {
    case 's':
    case 't':
    case 'm':
    case 'd':
      return i + 2;
    case 'r':
    case 'v':
      return i + 2 < t.n && (t.p[i + 2] | 0x20) == 'e' ? i + 3 : i;
    case 'l':
      return i + 2 < t.n && (t.p[i + 2] | 0x20) == 'l' ? i + 3 : i;
    default:
      break;
  }
  if (a == 0xC5 && i + 2 < t.n && t.p[i + 2] == 0xBF) return i + 3;
  return i;
}

// [U]*[W]+ at j, where U = Lu Lt Lm Lo M (upper, letter, mark) and W = Ll Lm Lo M (lower,
// letter, mark). U* first takes the whole U run [j, k). If the character at k is W (then it is
// lower), W+ takes the W run from k. Otherwise the engine backtracks U* until W+ can start: at
// the last W character of the run, and W+ then ends right after it (what follows is upper or k).
// Returns the end, or npos when the run has no W character; `run_end` gets k either way.
size_t o200k_word(const Text& t, size_t j, size_t& run_end) {
  size_t k = j, last_w_end = npos, len = 0;
  while (k < t.n) {
    const CharClass c = t.at(k, len);
    if (c == CharClass::upper) {
      k += len;
    } else if (c == CharClass::letter || c == CharClass::mark) {
      k += len;
      last_w_end = k;
    } else if (c == CharClass::lower) {
      run_end = k;
      k += len;
      while (k < t.n) {
        const CharClass d = t.at(k, len);
        if (d != CharClass::lower && d != CharClass::letter && d != CharClass::mark) break;
        k += len;
      }
      return k;
    } else {
      break;
    }
  }
  run_end = k;
  return last_w_end;
}

// \p{N}{1,3} at pos, whose character is a number of length `len`.
size_t number_end(const Text& t, size_t pos, size_t len) {
  size_t e = pos + len;
  for (int i = 1; i < 3 && e < t.n; ++i) {
    if (t.at(e, len) != CharClass::number) break;
    e += len;
  }
  return e;
}

// " ?[^\s\p{L}\p{N}]+" then [\r\n/]* (o200k_base) or [\r\n]* (cl100k_base) at pos: the end, or
// npos when neither pos nor (after a space) pos + 1 starts a run of punctuation.
size_t punct_end(const Text& t, size_t pos, CharClass c0, bool slash) {
  size_t e = npos, len = 0;
  if (is_punct(c0)) {
    e = pos;
  } else if (t.p[pos] == ' ' && pos + 1 < t.n && is_punct(t.at(pos + 1, len))) {
    e = pos + 1;
  } else {
    return npos;
  }
  while (e < t.n && is_punct(t.at(e, len)))
    e += len;
  while (e < t.n && (t.p[e] == '\r' || t.p[e] == '\n' || (slash && t.p[e] == '/')))
    ++e;
  return e;
}

// \s*[\r\n]+ | \s+(?!\S) | \s+ at pos, whose character is white space. With a CR or LF in the
// run, \s* backtracks to the last one: the piece ends after it. Else, at the end of the text the
// whole run is taken; before a non-space, \s+(?!\S) gives back the run's last character (which
// needs a run of two or more), and \s+ takes the lone character.
size_t whitespace_end(const Text& t, size_t pos) {
  size_t e = pos, last_start = pos, newline_end = npos, len = 0;
  while (e < t.n) {
    const CharClass c = t.at(e, len);
    if (!is_space(c)) break;
    if (c == CharClass::newline) newline_end = e + len;
    last_start = e;
    e += len;
  }
  if (newline_end != npos) return newline_end;
  if (e == t.n) return e;
  return last_start > pos ? last_start : e;
}

}  // namespace

size_t o200k_piece_end(std::string_view text, size_t pos) {
  const Text t(text);
  size_t l0 = 0;
  const CharClass c0 = t.at(pos, l0);
  // Alternatives 1 and 2. With a prefix character, alternative 1 is tried with it, then without
  // it (which only a mark can start), then alternative 2 with it. Alternative 2 only matters
  // when alternative 1 failed, i.e. the U run is all Lu/Lt and no W follows, so its W* is empty.
  size_t run_end = 0;
  if (is_word_prefix(c0)) {
    size_t e = o200k_word(t, pos + l0, run_end);
    if (e != npos) return contraction_end(t, e);
    if (c0 == CharClass::mark) return contraction_end(t, o200k_word(t, pos, run_end));
    if (run_end > pos + l0) return contraction_end(t, run_end);
  } else if (is_letter(c0)) {
    const size_t e = o200k_word(t, pos, run_end);
    return contraction_end(t, e != npos ? e : run_end);
  }
  if (c0 == CharClass::number) return number_end(t, pos, l0);
  const size_t e = punct_end(t, pos, c0, true);
  if (e != npos) return e;
  return whitespace_end(t, pos);
}

size_t cl100k_piece_end(std::string_view text, size_t pos) {
  const Text t(text);
  const size_t contraction = contraction_end(t, pos);
  if (contraction != pos) return contraction;
  size_t l0 = 0, len = 0;
  const CharClass c0 = t.at(pos, l0);
  // [^\r\n\p{L}\p{N}]?\p{L}+
  size_t word = npos;
  if (is_word_prefix(c0) && pos + l0 < t.n && is_letter(t.at(pos + l0, len))) {
    word = pos + l0;
  } else if (is_letter(c0)) {
    word = pos;
  }
  if (word != npos) {
    while (word < t.n && is_letter(t.at(word, len)))
      word += len;
    return word;
  }
  if (c0 == CharClass::number) return number_end(t, pos, l0);
  const size_t e = punct_end(t, pos, c0, false);
  if (e != npos) return e;
  return whitespace_end(t, pos);
}

namespace {
template <size_t (*piece_end)(std::string_view, size_t)>
std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> pieces;
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = piece_end(text, pos);
    pieces.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return pieces;
}
}  // namespace

std::vector<std::string_view> split_o200k(std::string_view text) {
  return split<o200k_piece_end>(text);
}
std::vector<std::string_view> split_cl100k(std::string_view text) {
  return split<cl100k_piece_end>(text);
}

}  // namespace cg::tokenize
