// See responses_events.h.
#include "wire/openai/responses_events.h"

#include "core/json_escape.h"
#include "wire/json_scan.h"

namespace cg::wire::openai {

namespace {

void nullable(std::string& out, const std::string& s) {
  if (s.empty()) {
    out.append("null");
  } else {
    append_json_string(out, s);
  }
}

bool read_usage(JsonScanner& s, int64_t& input, int64_t& output) {
  if (!s.enter_object()) return false;
  JsonMember m;
  const std::string_view t = s.text();
  while (s.next_member(m)) {
    int64_t* target = nullptr;
    if (string_equals(t, m.key, "input_tokens")) target = &input;
    if (string_equals(t, m.key, "output_tokens")) target = &output;
    if (target && s.peek_kind() == JsonKind::kNumber) {
      if (!s.read_int64(*target)) return false;
    } else if (!s.skip_value()) {
      return false;
    }
  }
  return s.ok();
}

bool find(JsonScanner& s, int64_t& input, int64_t& output, int depth) {
  if (s.peek_kind() != JsonKind::kObject || !s.enter_object()) return false;
  JsonMember m;
  const std::string_view t = s.text();
  while (s.next_member(m)) {
    if (string_equals(t, m.key, "usage") && s.peek_kind() == JsonKind::kObject) {
      if (!read_usage(s, input, output)) return false;
    } else if (depth == 0 && string_equals(t, m.key, "response") &&
               s.peek_kind() == JsonKind::kObject) {
      if (!find(s, input, output, 1)) return false;
    } else if (!s.skip_value()) {
      return false;
    }
  }
  return s.ok();
}

}  // namespace

std::string responses_error_event(const ApiError& e, int64_t sequence_number) {
  const std::string type = e.type.empty() ? std::string("server_error") : e.type;
  std::string out("event: error\ndata: {\"type\":\"error\",\"sequence_number\":");
  out.append(std::to_string(sequence_number));
  out.append(",\"code\":");
  nullable(out, e.code);
  out.append(",\"message\":");
  append_json_string(out, e.message);
  out.append(",\"param\":");
  nullable(out, e.param);
  out.append(",\"error\":{\"type\":");
  append_json_string(out, type);
  out.append(",\"code\":");
  nullable(out, e.code);
  out.append(",\"message\":");
  append_json_string(out, e.message);
  out.append(",\"param\":");
  nullable(out, e.param);
  out.append("}}\n\n");
  return out;
}

void read_responses_usage(std::string_view data, int64_t& input_tokens, int64_t& output_tokens) {
  JsonScanner s(data);
  (void)find(s, input_tokens, output_tokens, 0);
}

}  // namespace cg::wire::openai
