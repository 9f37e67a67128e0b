// See framer.h. Pure.
#include "sse/framer.h"

#include "core/cpu.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cg::sse {
namespace {

// First '\n' or '\r' in [s, end), or end.
const char* find_eol_sse2(const char* s, const char* end) {
#if defined(__SSE2__)
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  while (end - s >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    unsigned mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))));
    if (mask) return s + __builtin_ctz(mask);
    s += 16;
  }
#endif
  while (s < end && *s != '\n' && *s != '\r')
    ++s;
  return s;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) const char* find_eol_avx2(const char* s, const char* end) {
  const __m256i lf = _mm256_set1_epi8('\n');
  const __m256i cr = _mm256_set1_epi8('\r');
  while (end - s >= 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s));
    unsigned mask = static_cast<unsigned>(
        _mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr))));
    if (mask) return s + __builtin_ctz(mask);
    s += 32;
  }
  return find_eol_sse2(s, end);
}
#endif

}  // namespace

// The AVX2 version when the CPU has it.
const char* find_eol(const char* s, const char* end) {
#if defined(__x86_64__)
  if (cpu_has_avx2()) return find_eol_avx2(s, end);
#endif
  return find_eol_sse2(s, end);
}

void Framer::reset() {
  buf_.clear();
  line_start_ = scan_ = lines_ = 0;
  skip_lf_ = failed_ = false;
}

bool Framer::fail() {
  failed_ = true;
  buf_.clear();
  line_start_ = scan_ = lines_ = 0;
  return false;
}

size_t Framer::find_event_end(const char* p, size_t n) {
  size_t i = scan_;
  while (i < n) {
    const char* eol = find_eol(p + i, p + n);
    if (eol == p + n) break;
    const size_t e = static_cast<size_t>(eol - p);
    size_t next = e + 1;
    if (*eol == '\r') {
      if (e + 1 < n) {
        if (p[e + 1] == '\n') next = e + 2;
      } else if (e == line_start_) {
        skip_lf_ = true;  // a blank line ends the event; a following '\n' belongs to it
      } else {
        scan_ = e;  // "\r" or "\r\n"? decide when more bytes arrive
        return 0;
      }
    }
    if (e == line_start_) {  // blank line: end of event
      single_line_ = lines_ == 1;
      line_start_ = scan_ = 0;
      lines_ = 0;
      return next;
    }
    ++lines_;
    line_start_ = i = next;
  }
  scan_ = n;
  return 0;
}

bool Framer::parse_event(std::string_view raw, Event& ev, bool single_line) {
  ev = Event{};
  ev.raw = raw;
  // Fast path: the usual single-line "data: ...\n\n" event (find_event_end saw one line).
  if (single_line && raw.size() >= 7 && raw.starts_with("data:") && raw.ends_with("\n\n")) {
    const char* body = raw.data() + 5;
    const char* stop = raw.data() + raw.size() - 2;
    if (stop > body && stop[-1] == '\r') --stop;  // "data: x\r\n\n": the line ended with \r\n
    if (*body == ' ' && body < stop) ++body;
    ev.data = std::string_view(body, static_cast<size_t>(stop - body));
    return true;
  }
  const char* const end = raw.data() + raw.size();
  const char* s = raw.data();
  bool any_line = false, any_field = false;
  size_t data_lines = 0;
  while (s < end) {
    const char* e = find_eol(s, end);
    std::string_view line(s, static_cast<size_t>(e - s));
    s = e;
    if (s < end) {
      ++s;
      if (*e == '\r' && s < end && *s == '\n') ++s;
    }
    if (line.empty()) break;  // the terminating blank line
    any_line = true;
    if (line.front() == ':') continue;  // comment
    any_field = true;
    std::string_view name = line, value;
    if (size_t colon = line.find(':'); colon != std::string_view::npos) {
      name = line.substr(0, colon);
      value = line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (name == "data") {
      if (data_lines == 1) data_.assign(ev.data);
      if (data_lines == 0) {
        ev.data = value;
      } else {
        data_.push_back('\n');
        data_.append(value);
      }
      ++data_lines;
    } else if (name == "event") {
      ev.event = value;
    }
  }
  if (data_lines > 1) ev.data = data_;
  ev.is_comment_only = any_line && !any_field;
  return any_line;
}

}  // namespace cg::sse
