// Small helpers for the stream decoders that read upstream chunks with wire::JsonScanner. Pure;
// any thread.
#pragma once
#include <cstdint>

#include "translate/json_util.h"
#include "wire/json_scan.h"

namespace cg::translate {

// Reads an integer (clamped like every count, see clamp_count; a non-integer number reads as 0)
// or skips a value of another kind. False on a scan error.
inline bool read_count(wire::JsonScanner& s, int64_t& out) {
  if (s.peek_kind() != wire::JsonKind::kNumber) return s.skip_value();
  std::string_view tok;
  if (!s.read_number(tok)) return false;
  if (!wire::parse_int64(tok, out)) out = 0;
  out = clamp_count(out);
  return true;
}

}  // namespace cg::translate
