// See fault_spec.h. Pure.
#include "sim/fault_spec.h"

#include <boost/json.hpp>
#include <charconv>

namespace cg::sim {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::optional<int> to_int(std::string_view v) {
  int out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;
  return out;
}

// The length of the JSON object at the start of `s` (balanced brackets outside strings), or npos.
size_t object_extent(std::string_view s) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

void apply_pair(std::string_view key, std::string_view value, Overrides& o) {
  if (key == "tool") {
    if (!value.empty()) o.tool = std::string(value);
    return;
  }
  if (key == "args") {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(value, ec);
    if (!ec && v.is_object()) o.args = boost::json::serialize(v);
    return;
  }
  const std::optional<int> v = to_int(value);
  if (!v) return;
  if (key == "status") {
    o.status = *v;
  } else if (key == "retry_after" || key == "retry_after_s") {
    o.retry_after_s = *v;
  } else if (key == "first_byte_delay_ms") {
    o.first_byte_delay_ms = *v;
  } else if (key == "chunk_delay_ms") {
    o.chunk_delay_ms = *v;
  } else if (key == "drop_after" || key == "drop_after_chunks") {
    o.drop_after_chunks = *v;
  } else if (key == "chunks") {
    o.chunks = *v;
  } else if (key == "usage_on_finish") {
    o.usage_on_finish = *v != 0;
  }
}

template <class T>
void take(std::optional<T> from, T& into) {
  if (from) into = *from;
}

}  // namespace

void apply_pairs(std::string_view spec, Overrides& o) {
  while (!spec.empty()) {
    size_t sep = spec.find_first_of(",;");
    const size_t eq_at = spec.find('=');
    if (eq_at < sep) {  // a value that is a JSON object may hold separators: skip past it
      const std::string_view value = trim(spec.substr(eq_at + 1));
      if (value.starts_with('{')) {
        const size_t n = object_extent(value);
        if (n != std::string_view::npos)
          sep = spec.find_first_of(",;", static_cast<size_t>(value.data() - spec.data()) + n);
      }
    }
    std::string_view pair = spec.substr(0, sep);
    spec = sep == std::string_view::npos ? std::string_view{} : spec.substr(sep + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    apply_pair(trim(pair.substr(0, eq)), trim(pair.substr(eq + 1)), o);
  }
}

std::string strip_directives(std::string_view text, Overrides& o) {
  static constexpr std::string_view kOpen = "[[sim:";
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t start = text.find(kOpen, pos);
    const size_t end = start == std::string_view::npos ? start : text.find("]]", start);
    if (end == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, start - pos));
    apply_pairs(text.substr(start + kOpen.size(), end - start - kOpen.size()), o);
    pos = end + 2;
  }
  const std::string_view trimmed = trim(out);
  return std::string(trimmed);
}

Behaviour merge_behaviour(const Fault& account, int default_chunks, const Overrides& header,
                          const Overrides& prompt) {
  Behaviour b;
  b.fault = account;
  b.chunks = default_chunks;
  for (const Overrides* o : {&header, &prompt}) {
    take(o->status, b.fault.status);
    take(o->retry_after_s, b.fault.retry_after_s);
    take(o->first_byte_delay_ms, b.fault.first_byte_delay_ms);
    take(o->chunk_delay_ms, b.fault.chunk_delay_ms);
    take(o->drop_after_chunks, b.fault.drop_after_chunks);
    take(o->chunks, b.chunks);
    take(o->usage_on_finish, b.usage_on_finish);
  }
  if (b.chunks < 1) b.chunks = 1;
  return b;
}

}  // namespace cg::sim
