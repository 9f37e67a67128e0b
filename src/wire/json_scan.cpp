// See json_scan.h. Pure. Works on raw pointers into the text for speed; every read is bounds
// checked against `end`, SIMD loads only happen when 16 bytes remain.
#include "wire/json_scan.h"

#include <array>
#include <charconv>
#include <cstring>

#include "core/cpu.h"

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cg::wire {
namespace {

inline const char* skip_ws(const char* p, const char* end) {
  while (p < end && static_cast<unsigned char>(*p) <= ' ' && is_json_ws(*p))
    ++p;
  return p;
}

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// One past the JSON number at p (grammar: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?), nullptr when
// there is none; `exponent_digits` is the length of its exponent (0 without one).
inline const char* number_end(const char* p, const char* end, size_t& exponent_digits) {
  const char* s = p;
  exponent_digits = 0;
  if (s < end && *s == '-') ++s;
  if (s == end) return nullptr;
  if (*s == '0') {
    ++s;
  } else if (*s >= '1' && *s <= '9') {
    while (s < end && is_digit(*s))
      ++s;
  } else {
    return nullptr;
  }
  if (s < end && *s == '.') {
    ++s;
    if (s == end || !is_digit(*s)) return nullptr;
    while (s < end && is_digit(*s))
      ++s;
  }
  if (s < end && (*s == 'e' || *s == 'E')) {
    ++s;
    if (s < end && (*s == '+' || *s == '-')) ++s;
    const char* const digits = s;
    while (s < end && is_digit(*s))
      ++s;
    if (s == digits) return nullptr;
    exponent_digits = static_cast<size_t>(s - digits);
  }
  return s;
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline bool hex4(const char* s, uint32_t& out) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    int h = hex_value(s[i]);
    if (h < 0) return false;
    v = v << 4 | static_cast<uint32_t>(h);
  }
  out = v;
  return true;
}

// First byte in [s, end) that is '"', '\\' or a control character (< 0x20), or `end`.
inline const char* find_string_special(const char* s, const char* end) {
#if defined(__SSE2__)
  // A control byte or '"' in one signed compare: v ^ 0x02 maps 0x00-0x1f onto itself and '"' to
  // 0x20, so both are v ^ 0x02 <= 0x20 unsigned, which is v ^ 0x82 < (char)0xa1 signed.
  const __m128i flip = _mm_set1_epi8(static_cast<char>(0x82));
  const __m128i below = _mm_set1_epi8(static_cast<char>(0xa1));
  const __m128i bslash = _mm_set1_epi8('\\');
  auto special = [&](__m128i v) {
    const __m128i m =
        _mm_or_si128(_mm_cmplt_epi8(_mm_xor_si128(v, flip), below), _mm_cmpeq_epi8(v, bslash));
    return static_cast<unsigned>(_mm_movemask_epi8(m));
  };
  // Most strings (keys, ids, short values) end within 16 bytes: one load decides.
  if (end - s >= 16) {
    const unsigned first = special(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s)));
    if (first) return s + __builtin_ctz(first);
    s += 16;
  }
  while (end - s >= 32) {
    unsigned lo = special(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s)));
    unsigned hi = special(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16)));
    unsigned mask = lo | hi << 16;
    if (mask) return s + __builtin_ctz(mask);
    s += 32;
  }
  if (end - s >= 16) {
    unsigned mask = special(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s)));
    if (mask) return s + __builtin_ctz(mask);
    s += 16;
  }
#endif
  while (s < end) {
    unsigned char c = static_cast<unsigned char>(*s);
    if (c == '"' || c == '\\' || c < 0x20) return s;
    ++s;
  }
  return end;
}

// skip_ws 16 bytes at a time, for runs of indentation. Out of line: inlined, its constants cost
// valid_value_end's loop more than the call costs the runs.
[[gnu::noinline]] const char* skip_ws_simd(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i tab = _mm_set1_epi8('\t');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, lf)),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, tab)));
    const unsigned other = ~static_cast<unsigned>(_mm_movemask_epi8(ws)) & 0xffff;
    if (other) return p + __builtin_ctz(other);
    p += 16;
  }
#endif
  return skip_ws(p, end);
}

// skip_ws where whitespace may be indentation: one byte inline (often the only one, as in `": "`),
// a longer run 16 bytes at a time.
inline const char* skip_ws_run(const char* p, const char* end) {
  if (p == end || static_cast<unsigned char>(*p) > ' ' || !is_json_ws(*p)) return p;
  ++p;
  if (p == end || static_cast<unsigned char>(*p) > ' ' || !is_json_ws(*p)) return p;
  return skip_ws_simd(p + 1, end);
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | cp >> 6));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | cp >> 12));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | cp >> 18));
    out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The escape at s (s[0] == '\\', at least two bytes left): one past it, or nullptr when it is
// incomplete or unknown.
inline const char* skip_escape(const char* s, const char* end) {
  switch (s[1]) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
      return s + 2;
    case 'u': {
      uint32_t cp;
      return end - s >= 6 && hex4(s + 2, cp) ? s + 6 : nullptr;
    }
    default:
      return nullptr;
  }
}

}  // namespace

bool JsonScanner::fail(const char* what, size_t offset) {
  if (error_ == nullptr) {
    error_ = what;
    error_offset_ = offset;
  }
  return false;
}

bool is_string_body(std::string_view body) {
  const char* s = body.data();
  const char* const end = s + body.size();
  for (;;) {
    s = find_string_special(s, end);
    if (s == end) return true;
    if (*s != '\\' || end - s < 2) return false;  // a quote, a control byte, a cut escape
    s = skip_escape(s, end);
    if (s == nullptr) return false;
  }
}

// p points at the opening quote; on success p is one past the closing quote.
bool JsonScanner::scan_string(const char*& p, bool& has_escapes) {
  const char* const base = text_.data();
  const char* const end = base + text_.size();
  const char* s = p + 1;
  has_escapes = false;
  for (;;) {
    s = find_string_special(s, end);
    if (s == end) return fail("unterminated string", static_cast<size_t>(p - base));
    const char c = *s;
    if (c == '"') {
      p = s + 1;
      return true;
    }
    if (c != '\\') return fail("control character in string", static_cast<size_t>(s - base));
    has_escapes = true;
    if (end - s < 2) return fail("unterminated string", static_cast<size_t>(p - base));
    const char* const next = skip_escape(s, end);
    if (next == nullptr) {
      return fail(s[1] == 'u' ? "invalid \\u escape" : "invalid escape in string",
                  static_cast<size_t>(s - base));
    }
    s = next;
  }
}

bool JsonScanner::scan_number(const char*& p) {
  const char* const base = text_.data();
  size_t exponent_digits = 0;
  const char* const s = number_end(p, base + text_.size(), exponent_digits);
  if (s == nullptr) return fail("invalid number", static_cast<size_t>(p - base));
  p = s;
  return true;
}

bool JsonScanner::scan_literal(const char*& p, std::string_view word) {
  const char* const base = text_.data();
  const size_t left = text_.size() - static_cast<size_t>(p - base);
  if (left < word.size() || std::memcmp(p, word.data(), word.size()) != 0)
    return fail("invalid literal", static_cast<size_t>(p - base));
  p += word.size();
  return true;
}

char JsonScanner::peek_char() {
  const char* const base = text_.data();
  const char* p = skip_ws(base + pos_, base + text_.size());
  pos_ = static_cast<size_t>(p - base);
  return pos_ < text_.size() ? *p : '\0';
}

JsonKind JsonScanner::peek_kind() {
  peek_char();
  return kind_at();
}

bool JsonScanner::skip_value(Span& out) {
  peek_char();
  out.begin = pos_;
  if (!skip_value()) return false;
  out.end = pos_;
  return true;
}

bool JsonScanner::skip_value() {
  if (!ok()) return false;
  const char c = peek_char();
  const char* const base = text_.data();
  const char* p = base + pos_;
  bool escapes = false;
  bool scanned = false;
  // Scalars: the exact checks of the strict skip, without its container stack.
  switch (c) {
    case '{':
    case '[':
      scanned = skip_container(p);
      break;
    case '"':
      if (const char* q = find_string_special(p + 1, text_.data() + text_.size());
          q != text_.data() + text_.size() && *q == '"') {
        p = q + 1;
        scanned = true;
      } else {
        scanned = scan_string(p, escapes);
      }
      break;
    case 't':
      scanned = scan_literal(p, "true");
      break;
    case 'f':
      scanned = scan_literal(p, "false");
      break;
    case 'n':
      scanned = scan_literal(p, "null");
      break;
    case '\0':
      return fail("unexpected end of input", pos_);
    default:
      if (c != '-' && !is_digit(c)) return fail("unexpected character", pos_);
      scanned = scan_number(p);
      break;
  }
  if (!scanned) return false;
  pos_ = static_cast<size_t>(p - base);
  return true;
}

// Strict skip: containers push one bit (1 = object) on a fixed bit stack, so the C++ stack
// depth is constant whatever the input nesting.
bool JsonScanner::skip_value_strict() {
  if (!ok()) return false;
  const char* const base = text_.data();
  const char* const end = base + text_.size();
  const char* p = base + pos_;
  uint64_t stack[kMaxDepth / 64] = {};
  size_t depth = 0;
  bool escapes = false;
  bool is_object = false;
  auto at = [&](const char* q) { return static_cast<size_t>(q - base); };

value:
  p = skip_ws(p, end);
  if (p == end) return fail("unexpected end of input", at(p));
  switch (*p) {
    case '"':
      if (!scan_string(p, escapes)) return false;
      break;
    case '{':
      if (depth == kMaxDepth) return fail("nesting too deep", at(p));
      stack[depth / 64] |= uint64_t{1} << (depth % 64);
      ++depth;
      p = skip_ws(p + 1, end);
      if (p < end && *p == '}') {
        ++p;
        --depth;
        break;
      }
      goto key;
    case '[':
      if (depth == kMaxDepth) return fail("nesting too deep", at(p));
      stack[depth / 64] &= ~(uint64_t{1} << (depth % 64));
      ++depth;
      p = skip_ws(p + 1, end);
      if (p < end && *p == ']') {
        ++p;
        --depth;
        break;
      }
      goto value;
    case 't':
      if (!scan_literal(p, "true")) return false;
      break;
    case 'f':
      if (!scan_literal(p, "false")) return false;
      break;
    case 'n':
      if (!scan_literal(p, "null")) return false;
      break;
    default:
      if (*p != '-' && !is_digit(*p)) return fail("unexpected character", at(p));
      if (!scan_number(p)) return false;
      break;
  }

after:
  if (depth == 0) {
    pos_ = at(p);
    return true;
  }
  p = skip_ws(p, end);
  if (p == end) return fail("unexpected end of input", at(p));
  is_object = (stack[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1;
  if (*p == ',') {
    ++p;
    if (is_object) goto key;
    goto value;
  }
  if (*p == (is_object ? '}' : ']')) {
    ++p;
    --depth;
    goto after;
  }
  return fail(is_object ? "expected ',' or '}'" : "expected ',' or ']'", at(p));

key:
  p = skip_ws(p, end);
  if (p == end || *p != '"') return fail("expected a string key", at(p));
  if (!scan_string(p, escapes)) return false;
  p = skip_ws(p, end);
  if (p == end || *p != ':') return fail("expected ':'", at(p));
  ++p;
  goto value;
}

// The strict grammar of skip_value_strict in one pass that only has to say yes: no error to word,
// so no scanner state, and the container stack is one register (bit 0 = the innermost container,
// set for an object; at most 64 levels). Strings go through find_string_special. Whitespace is
// looked for only where the next byte is not what compact JSON has there, then skipped as a run.
size_t valid_value_end(std::string_view text, size_t pos, size_t max_depth) {
  if (pos > text.size()) return kNotSure;
  const char* const base = text.data();
  const char* const end = base + text.size();
  const char* p = base + pos;
  const size_t limit = max_depth < 64 ? max_depth : 64;
  uint64_t stack = 0;
  size_t depth = 0;
  // The string at p (its opening quote); p moves past it.
  auto string = [&]() -> bool {
    const char* s = p + 1;
    for (;;) {
      s = find_string_special(s, end);
      if (s == end) return false;
      if (*s == '"') {
        p = s + 1;
        return true;
      }
      if (*s != '\\' || end - s < 2) return false;  // a control byte, a cut escape
      s = skip_escape(s, end);
      if (s == nullptr) return false;
    }
  };

value:
  if (p == end) return kNotSure;
  if (*p == '"') {  // the most common value, before the switch's table jump
    if (!string()) return kNotSure;
    goto after;
  }
  switch (*p) {
    case '{':
    case '[': {
      const bool object = *p == '{';
      if (depth == limit) return kNotSure;
      ++depth;
      stack = stack << 1 | (object ? 1 : 0);
      p = skip_ws_run(p + 1, end);
      if (p < end && *p == (object ? '}' : ']')) {  // empty
        ++p;
        --depth;
        stack >>= 1;
        break;
      }
      if (object) goto key;
      goto value;
    }
    case 't':
      if (end - p < 4 || std::memcmp(p, "true", 4) != 0) return kNotSure;
      p += 4;
      break;
    case 'f':
      if (end - p < 5 || std::memcmp(p, "false", 5) != 0) return kNotSure;
      p += 5;
      break;
    case 'n':
      if (end - p < 4 || std::memcmp(p, "null", 4) != 0) return kNotSure;
      p += 4;
      break;
    case ' ':
    case '\t':
    case '\n':
    case '\r':
      p = skip_ws_run(p + 1, end);
      goto value;
    default: {  // scan_number's grammar
      size_t exponent_digits = 0;
      const char* const s = number_end(p, end, exponent_digits);
      if (s == nullptr || exponent_digits >= 10 || s - p >= (ptrdiff_t{1} << 30)) return kNotSure;
      p = s;
      break;
    }
  }

after:  // a value ended at p
  if (depth == 0) return static_cast<size_t>(p - base);
  if (p == end) return kNotSure;
  if (*p == ',') {
    ++p;
    if (stack & 1) goto key;
    goto value;
  }
  if (*p == ((stack & 1) ? '}' : ']')) {
    ++p;
    --depth;
    stack >>= 1;
    goto after;
  }
  if (!is_json_ws(*p)) return kNotSure;
  p = skip_ws_run(p + 1, end);
  goto after;

key:  // after '{' or an object's ','
  if (p == end) return kNotSure;
  if (*p != '"') {
    if (!is_json_ws(*p)) return kNotSure;
    p = skip_ws_run(p + 1, end);
    goto key;
  }
  if (!string() || p == end) return kNotSure;
  if (*p != ':') {
    p = skip_ws_run(p, end);
    if (p == end || *p != ':') return kNotSure;
  }
  ++p;
  goto value;
}

namespace {

constexpr size_t kBlock = 64;

// Bytes allowed after a backslash, other than 'u'.
constexpr auto kSimpleEscape = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {'"', '\\', '/', 'b', 'f', 'n', 'r', 't'})
    t[c] = true;
  return t;
}();

// Bit masks of one 64-byte block (bit i = byte i).
struct BlockMasks {
  uint64_t quote, backslash, control, open, close;
};

inline BlockMasks classify_portable(const char* blk) {
  BlockMasks m{};
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i bslash = _mm_set1_epi8('\\');
  const __m128i ctl = _mm_set1_epi8(0x1f);
  const __m128i lower = _mm_set1_epi8(0x20);
  const __m128i open = _mm_set1_epi8('{');   // '[' | 0x20 == '{'
  const __m128i close = _mm_set1_epi8('}');  // ']' | 0x20 == '}'
  auto bits = [](__m128i x) {
    return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(x)));
  };
  auto lane = [&](int k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(blk + 16 * k));
    const __m128i folded = _mm_or_si128(v, lower);
    const int shift = 16 * k;
    m.quote |= bits(_mm_cmpeq_epi8(v, quote)) << shift;
    m.backslash |= bits(_mm_cmpeq_epi8(v, bslash)) << shift;
    m.control |= bits(_mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v)) << shift;
    m.open |= bits(_mm_cmpeq_epi8(folded, open)) << shift;
    m.close |= bits(_mm_cmpeq_epi8(folded, close)) << shift;
  };
  lane(0);
  lane(1);
  lane(2);
  lane(3);
#else
  for (size_t i = 0; i < kBlock; ++i) {
    const auto c = static_cast<unsigned char>(blk[i]);
    const uint64_t bit = uint64_t{1} << i;
    if (c == '"') m.quote |= bit;
    if (c == '\\') m.backslash |= bit;
    if (c < 0x20) m.control |= bit;
    if (c == '{' || c == '[') m.open |= bit;
    if (c == '}' || c == ']') m.close |= bit;
  }
#endif
  return m;
}

#if defined(__x86_64__)
// The same masks from two 32-byte lanes, for CPUs with AVX2.
__attribute__((target("avx2"))) BlockMasks classify_avx2(const char* blk) {
  BlockMasks m{};
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i bslash = _mm256_set1_epi8('\\');
  const __m256i ctl = _mm256_set1_epi8(0x1f);
  const __m256i lower = _mm256_set1_epi8(0x20);
  const __m256i open = _mm256_set1_epi8('{');
  const __m256i close = _mm256_set1_epi8('}');
  for (int k = 0; k < 2; ++k) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk + 32 * k));
    const __m256i folded = _mm256_or_si256(v, lower);
    const int shift = 32 * k;
    // (No lambda here: it would not inherit the avx2 target.)
#define CG_BITS(x) static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(x)))
    m.quote |= CG_BITS(_mm256_cmpeq_epi8(v, quote)) << shift;
    m.backslash |= CG_BITS(_mm256_cmpeq_epi8(v, bslash)) << shift;
    m.control |= CG_BITS(_mm256_cmpeq_epi8(_mm256_min_epu8(v, ctl), v)) << shift;
    m.open |= CG_BITS(_mm256_cmpeq_epi8(folded, open)) << shift;
    m.close |= CG_BITS(_mm256_cmpeq_epi8(folded, close)) << shift;
#undef CG_BITS
  }
  return m;
}
#endif

// The AVX2 version when the CPU has it.
BlockMasks classify(const char* blk) {
#if defined(__x86_64__)
  if (cpu_has_avx2()) return classify_avx2(blk);
#endif
  return classify_portable(blk);
}

// Population count without relying on the POPCNT instruction (not in the x86-64 baseline; the
// builtin would become a libgcc call).
inline size_t popcount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return static_cast<size_t>((x * 0x0101010101010101ull) >> 56);
}

// Inclusive prefix XOR: bit i = xor of bits 0..i (marks string interiors from quote bits).
inline uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

}  // namespace

// p points at '{' or '['. Processes whole 64-byte blocks of the text in place; only the final
// partial block is copied (space-padded) into a local buffer.
bool JsonScanner::skip_container(const char*& p) {
  const char* const base = text_.data();
  const size_t size = text_.size();
  const size_t start = static_cast<size_t>(p - base);
  const char opener = *p;
  size_t depth = 0;
  uint64_t in_string = 0;     // all ones when the previous block ended inside a string
  uint64_t escape_carry = 0;  // bit 0 set when the previous block ended with an escaping '\'
  char tail[kBlock];
  for (size_t off = start; off < size; off += kBlock) {
    const size_t avail = size - off;
    const char* blk = base + off;
    if (avail < kBlock) {
      std::memcpy(tail, blk, avail);
      std::memset(tail + avail, ' ', kBlock - avail);
      blk = tail;
    }
    BlockMasks m = classify(blk);

    // Escapes: each '\' that is not itself escaped escapes the next byte (checked right away).
    uint64_t escaped = escape_carry;
    escape_carry = 0;
    for (uint64_t bs = m.backslash & ~escaped; bs != 0;) {
      const int i = __builtin_ctzll(bs);
      const size_t at = off + static_cast<size_t>(i) + 1;  // the escaped byte
      if (at >= size) return fail("unterminated string", at - 1);
      const char e = base[at];
      if (e == 'u') {
        uint32_t cp;
        if (size - at < 5 || !hex4(base + at + 1, cp)) return fail("invalid \\u escape", at - 1);
      } else if (!kSimpleEscape[static_cast<unsigned char>(e)]) {
        return fail("invalid escape in string", at - 1);
      }
      if (i == 63) {
        escape_carry = 1;
        break;
      }
      escaped |= uint64_t{2} << i;
      bs &= ~(uint64_t{3} << i);
    }

    const uint64_t quotes = m.quote & ~escaped;
    const uint64_t strings = prefix_xor(quotes) ^ in_string;  // opening quote .. before closing
    in_string = static_cast<uint64_t>(static_cast<int64_t>(strings) >> 63);
    if (uint64_t bad = m.control & strings)
      return fail("control character in string", off + static_cast<size_t>(__builtin_ctzll(bad)));
    if (uint64_t bad = m.backslash & ~strings)
      return fail("unexpected character", off + static_cast<size_t>(__builtin_ctzll(bad)));
    const uint64_t open = m.open & ~strings;
    const uint64_t close = m.close & ~strings;
    const size_t n_open = popcount64(open);
    const size_t n_close = popcount64(close);
    if (depth > n_close && depth + n_open <= kMaxDepth) {  // cannot reach depth 0 in this block
      depth += n_open - n_close;
      continue;
    }
    for (uint64_t br = open | close; br != 0; br &= br - 1) {
      const uint64_t bit = br & (~br + 1);
      if (open & bit) {
        if (++depth > kMaxDepth)
          return fail("nesting too deep", off + static_cast<size_t>(__builtin_ctzll(bit)));
        continue;
      }
      if (depth == 0) return fail("unexpected character", off);  // unreachable: starts at opener
      if (--depth == 0) {
        const size_t end = off + static_cast<size_t>(__builtin_ctzll(bit)) + 1;
        if (base[end - 1] != opener + 2)  // '{'+2 == '}', '['+2 == ']'
          return fail(opener == '{' ? "expected ',' or '}'" : "expected ',' or ']'", end - 1);
        p = base + end;
        return true;
      }
    }
  }
  return fail(in_string ? "unterminated string" : "unexpected end of input", size);
}

bool JsonScanner::read_string(JsonString& out) {
  if (!ok()) return false;
  if (peek_char() != '"') return fail("expected a string", pos_);
  const char* const base = text_.data();
  const char* p = base + pos_;
  out.begin = pos_;
  if (!scan_string(p, out.has_escapes)) return false;
  pos_ = static_cast<size_t>(p - base);
  out.end = pos_;
  return true;
}

bool JsonScanner::read_string(std::string& out) {
  JsonString s;
  if (!read_string(s)) return false;
  out.clear();
  if (!s.has_escapes) {
    out.assign(s.raw(text_));
    return true;
  }
  if (!append_unescaped(out, s.raw(text_))) return fail("invalid \\u escape", s.begin);
  return true;
}

bool JsonScanner::read_bool(bool& out) {
  if (!ok()) return false;
  const char c = peek_char();
  const char* const base = text_.data();
  const char* p = base + pos_;
  if (c == 't') {
    if (!scan_literal(p, "true")) return false;
    out = true;
  } else if (c == 'f') {
    if (!scan_literal(p, "false")) return false;
    out = false;
  } else {
    return fail("expected a boolean", pos_);
  }
  pos_ = static_cast<size_t>(p - base);
  return true;
}

bool JsonScanner::read_null() {
  if (!ok()) return false;
  if (peek_char() != 'n') return fail("expected null", pos_);
  const char* const base = text_.data();
  const char* p = base + pos_;
  if (!scan_literal(p, "null")) return false;
  pos_ = static_cast<size_t>(p - base);
  return true;
}

bool JsonScanner::read_number(std::string_view& out) {
  if (!ok()) return false;
  if (peek_kind() != JsonKind::kNumber) return fail("expected a number", pos_);
  const char* const base = text_.data();
  const char* p = base + pos_;
  if (!scan_number(p)) return false;
  const size_t begin = pos_;
  pos_ = static_cast<size_t>(p - base);
  out = text_.substr(begin, pos_ - begin);
  return true;
}

bool parse_int64(std::string_view token, int64_t& out) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  if (ec != std::errc() || ptr != token.data() + token.size()) return false;
  out = v;
  return true;
}

bool JsonScanner::read_int64(int64_t& out) {
  std::string_view token;
  const size_t begin = (peek_char(), pos_);
  if (!read_number(token)) return false;
  if (!parse_int64(token, out)) return fail("expected an integer", begin);
  return true;
}

bool JsonScanner::enter_object() {
  if (!ok()) return false;
  if (peek_char() != '{') return fail("expected an object", pos_);
  ++pos_;
  return true;
}

bool JsonScanner::enter_array() {
  if (!ok()) return false;
  if (peek_char() != '[') return fail("expected an array", pos_);
  ++pos_;
  return true;
}

bool JsonScanner::next_member(JsonMember& m) {
  if (!ok()) return false;
  const char* const base = text_.data();
  const char* const end = base + text_.size();
  const char* p = skip_ws(base + pos_, end);
  auto at = [&](const char* q) { return static_cast<size_t>(q - base); };
  if (p == end) return fail("unexpected end of input", at(p));
  if (*p == '}') {
    pos_ = at(p + 1);
    return false;
  }
  m.comma_before = JsonMember::kNone;
  if (m.index > 0) {
    if (*p != ',') return fail("expected ',' or '}'", at(p));
    m.comma_before = at(p);
    p = skip_ws(p + 1, end);
  }
  if (p == end || *p != '"') return fail("expected a string key", at(p));
  m.key.begin = at(p);
  // Keys rarely have escapes: when the first special byte is the closing quote, that is the key.
  if (const char* q = find_string_special(p + 1, end); q != end && *q == '"') {
    m.key.has_escapes = false;
    p = q + 1;
  } else if (!scan_string(p, m.key.has_escapes)) {
    return false;
  }
  m.key.end = at(p);
  p = skip_ws(p, end);
  if (p == end || *p != ':') return fail("expected ':'", at(p));
  p = skip_ws(p + 1, end);
  m.value_begin = pos_ = at(p);
  ++m.index;
  return true;
}

bool JsonScanner::next_element(JsonElement& e) {
  if (!ok()) return false;
  const char* const base = text_.data();
  const char* const end = base + text_.size();
  const char* p = skip_ws(base + pos_, end);
  auto at = [&](const char* q) { return static_cast<size_t>(q - base); };
  if (p == end) return fail("unexpected end of input", at(p));
  if (*p == ']') {
    pos_ = at(p + 1);
    return false;
  }
  if (e.index > 0) {
    if (*p != ',') return fail("expected ',' or ']'", at(p));
    p = skip_ws(p + 1, end);
  }
  e.value_begin = pos_ = at(p);
  ++e.index;
  return true;
}

bool JsonScanner::finish() {
  if (!ok()) return false;
  peek_char();
  if (pos_ != text_.size()) return fail("trailing characters after the JSON value", pos_);
  return true;
}

bool append_unescaped(std::string& out, std::string_view raw) {
  const char* s = raw.data();
  const char* const end = s + raw.size();
  while (s < end) {
    const char* bs = static_cast<const char*>(std::memchr(s, '\\', static_cast<size_t>(end - s)));
    if (bs == nullptr) {
      out.append(s, end);
      return true;
    }
    out.append(s, bs);
    if (end - bs < 2) return false;
    s = bs + 2;
    switch (bs[1]) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '/':
        out.push_back('/');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        uint32_t cp;
        if (end - bs < 6 || !hex4(bs + 2, cp)) return false;
        s = bs + 6;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (end - s < 6 || s[0] != '\\' || s[1] != 'u' || !hex4(s + 2, lo) || lo < 0xDC00 ||
              lo > 0xDFFF)
            return false;  // high surrogate without its low half
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          s += 6;
        }
        append_utf8(out, cp);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

Span member_erase_span(std::string_view text, const JsonMember& m, size_t value_end) {
  const size_t q = skip_json_ws(text, value_end);
  if (q < text.size() && text[q] == ',') return {m.key.begin, q + 1};
  if (m.comma_before != JsonMember::kNone) return {m.comma_before, value_end};
  return {m.key.begin, value_end};
}

bool string_equals(std::string_view text, const JsonString& s, std::string_view word) {
  std::string_view raw = s.raw(text);
  if (!s.has_escapes) return raw == word;
  std::string tmp;
  return append_unescaped(tmp, raw) && tmp == word;
}

}  // namespace cg::wire
