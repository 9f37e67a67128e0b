// See chat_response.h. Pure.
#include "wire/openai/chat_response.h"

#include "core/find_bytes.h"
#include "core/json_escape.h"
#include "wire/json_scan.h"

namespace cg::wire::openai {
namespace {

// Positions `sc` on the value of the top-level member `key`; false if absent or malformed.
bool seek_top_level(JsonScanner& sc, std::string_view key, JsonMember& m) {
  if (!sc.enter_object()) return false;
  while (sc.next_member(m)) {
    if (string_equals(sc.text(), m.key, key)) return true;
    if (!sc.skip_value()) return false;
  }
  return false;
}

void read_int_member(JsonScanner& sc, int64_t& out) {
  if (sc.peek_kind() != JsonKind::kNumber) {
    sc.skip_value();
    return;
  }
  std::string_view token;
  int64_t v;
  if (sc.read_number(token) && parse_int64(token, v)) out = v;
}

// Start of the value of the last `"usage":` member, or npos. In valid JSON the raw bytes
// `"usage"` followed by a colon can only be a key (inside a string the quotes are escaped), and
// OpenAI-shaped answers carry `usage` at the top level only, usually last: a byte search finds
// it without scanning the (possibly long) choices before it.
size_t usage_value_offset(std::string_view json) {
  size_t found = std::string_view::npos;
  for (size_t from = 0;;) {
    const size_t at = find_bytes(json.substr(from), "\"usage\"");
    if (at == std::string_view::npos) break;
    const size_t colon = skip_json_ws(json, from + at + 7);
    if (colon < json.size() && json[colon] == ':') found = skip_json_ws(json, colon + 1);
    from += at + 7;
  }
  return found;
}

// Reads the usage object `sc` is positioned on (its value must be an object).
std::optional<Usage> read_usage_object(JsonScanner& sc, std::string_view json) {
  Usage u;
  sc.enter_object();
  JsonMember f;
  while (sc.next_member(f)) {
    std::string_view k = f.key.raw(json);
    if (k == "prompt_tokens") {
      read_int_member(sc, u.prompt_tokens);
    } else if (k == "completion_tokens") {
      read_int_member(sc, u.completion_tokens);
    } else if (k == "total_tokens") {
      read_int_member(sc, u.total_tokens);
    } else if (k == "prompt_tokens_details" && sc.peek_kind() == JsonKind::kObject) {
      sc.enter_object();
      JsonMember d;
      while (sc.next_member(d)) {
        if (d.key.raw(json) == "cached_tokens")
          read_int_member(sc, u.cached_tokens);
        else
          sc.skip_value();
      }
    } else {
      sc.skip_value();
    }
  }
  if (!sc.ok()) return std::nullopt;
  return u;
}

// Whether the text after a member's value closes exactly the top-level object: i.e. that member
// was at the top level. `rest` starts right after the value.
bool closes_top_level(std::string_view rest) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth < 0) return c == '}' && skip_json_ws(rest, i + 1) == rest.size();
    }
  }
  return false;
}

}  // namespace

std::optional<Usage> find_usage(std::string_view json) {
  // Fast path: the last `"usage":` member, checked to be at the top level by what follows it.
  const size_t value = usage_value_offset(json);
  if (value == std::string_view::npos) return std::nullopt;  // no member of that name at all
  {
    JsonScanner sc(json.substr(value));
    if (sc.peek_kind() == JsonKind::kObject) {
      std::optional<Usage> u = read_usage_object(sc, json.substr(value));
      if (u && closes_top_level(json.substr(value + sc.pos()))) return u;
    }
  }
  // Slow path (a nested or odd `usage`): walk the top level.
  JsonScanner sc(json);
  JsonMember m;
  if (!seek_top_level(sc, "usage", m) || sc.peek_kind() != JsonKind::kObject) return std::nullopt;
  return read_usage_object(sc, json);
}

bool is_usage_only_chunk(std::string_view chunk_json) {
  JsonScanner sc(chunk_json);
  JsonMember m;
  if (!seek_top_level(sc, "choices", m) || !sc.enter_array()) return false;
  JsonElement e;
  return !sc.next_element(e) && sc.ok();
}

std::optional<std::string_view> top_level_string(std::string_view json, std::string_view key) {
  JsonScanner sc(json);
  JsonMember m;
  JsonString s;
  if (!seek_top_level(sc, key, m) || !sc.read_string(s)) return std::nullopt;
  return s.raw(json);
}

bool has_error_member(std::string_view json) {
  JsonScanner sc(json);
  JsonMember m;
  return seek_top_level(sc, "error", m) && sc.peek_kind() != JsonKind::kNull &&
         sc.peek_kind() != JsonKind::kInvalid;
}

void append_usage_object(std::string& out, const Usage& usage) {
  out.push_back('{');
  bool first = true;
  auto field = [&](std::string_view name, int64_t v) {
    if (v < 0) return;
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out.append(name);
    out.append("\":");
    out.append(std::to_string(v));
  };
  field("prompt_tokens", usage.prompt_tokens);
  field("completion_tokens", usage.completion_tokens);
  field("total_tokens", usage.total_tokens);
  if (usage.cached_tokens >= 0) {
    if (!first) out.push_back(',');
    out.append("\"prompt_tokens_details\":{\"cached_tokens\":");
    out.append(std::to_string(usage.cached_tokens));
    out.push_back('}');
  }
  out.push_back('}');
}

std::string make_usage_chunk(std::string_view id, int64_t created, std::string_view model,
                             const Usage& usage) {
  std::string out;
  out.reserve(192 + id.size() + model.size());
  out.append("{\"id\":");
  append_json_string(out, id);
  out.append(",\"object\":\"chat.completion.chunk\",\"created\":");
  out.append(std::to_string(created));
  out.append(",\"model\":");
  append_json_string(out, model);
  out.append(",\"choices\":[],\"usage\":");
  append_usage_object(out, usage);
  out.push_back('}');
  return out;
}

std::string strip_usage(std::string_view chunk_json) {
  JsonScanner sc(chunk_json);
  JsonMember m;
  if (!seek_top_level(sc, "usage", m) || !sc.skip_value()) return std::string(chunk_json);
  Span erase = member_erase_span(chunk_json, m, sc.pos());
  std::string out;
  out.reserve(chunk_json.size() - erase.size());
  out.append(chunk_json.substr(0, erase.begin));
  out.append(chunk_json.substr(erase.end));
  return out;
}

}  // namespace cg::wire::openai
