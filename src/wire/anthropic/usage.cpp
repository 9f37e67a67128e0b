// See usage.h.
#include "wire/anthropic/usage.h"

#include "wire/json_scan.h"

namespace cg::wire::anthropic {

namespace {

bool read_usage_object(JsonScanner& s, int64_t& input, int64_t& output) {
  if (!s.enter_object()) return false;
  int64_t in = -1, cache_read = 0, cache_creation = 0, out = -1;
  JsonMember m;
  const std::string_view t = s.text();
  while (s.next_member(m)) {
    int64_t* target = nullptr;
    if (string_equals(t, m.key, "input_tokens"))
      target = &in;
    else if (string_equals(t, m.key, "output_tokens"))
      target = &out;
    else if (string_equals(t, m.key, "cache_read_input_tokens"))
      target = &cache_read;
    else if (string_equals(t, m.key, "cache_creation_input_tokens"))
      target = &cache_creation;
    if (target && s.peek_kind() == JsonKind::kNumber) {
      if (!s.read_int64(*target)) return false;
    } else if (!s.skip_value()) {
      return false;
    }
  }
  // Kept within [0, 2^48] each, so the sum cannot overflow whatever the upstream sent.
  auto clamp = [](int64_t v) {
    return v < 0 ? 0 : (v > (int64_t{1} << 48) ? int64_t{1} << 48 : v);
  };
  if (in >= 0) input = clamp(in) + clamp(cache_read) + clamp(cache_creation);
  if (out >= 0) output = out;
  return s.ok();
}

bool find_usage(JsonScanner& s, int64_t& input, int64_t& output, int depth) {
  if (s.peek_kind() != JsonKind::kObject || !s.enter_object()) return false;
  JsonMember m;
  const std::string_view t = s.text();
  while (s.next_member(m)) {
    if (string_equals(t, m.key, "usage") && s.peek_kind() == JsonKind::kObject) {
      if (!read_usage_object(s, input, output)) return false;
    } else if (depth == 0 && string_equals(t, m.key, "message") &&
               s.peek_kind() == JsonKind::kObject) {
      if (!find_usage(s, input, output, 1)) return false;
    } else if (!s.skip_value()) {
      return false;
    }
  }
  return s.ok();
}

}  // namespace

void read_stream_usage(std::string_view data, int64_t& input_tokens, int64_t& output_tokens) {
  JsonScanner s(data);
  (void)find_usage(s, input_tokens, output_tokens, 0);
}

}  // namespace cg::wire::anthropic
