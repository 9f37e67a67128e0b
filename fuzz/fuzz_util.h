// Shared helpers of the fuzz targets: a check that aborts (libFuzzer then saves the input as a
// crash), a JSON validity oracle (Boost.JSON), an SSE splitter for encoder output, and the
// protocol checks of the produced Anthropic / Responses streams. Header-only; fuzz targets only.
#pragma once
#include <algorithm>
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace cg::fuzz {

// Prints what failed (with the first CG_FUZZ_DETAIL bytes of `detail`) and aborts.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}, const char* file = "",
                              int line = 0) {
  std::fprintf(stderr, "\nFUZZ CHECK FAILED at %s:%d: %s\n", file, line, what);
  if (!detail.empty()) {
    const char* max = std::getenv("CG_FUZZ_DETAIL");  // bytes of detail shown (default 4000)
    const size_t limit = max ? std::strtoull(max, nullptr, 10) : 4000;
    const size_t n = detail.size() < limit ? detail.size() : limit;
    std::fprintf(stderr, "---- detail (%zu bytes) ----\n%.*s\n----\n", detail.size(),
                 static_cast<int>(n), detail.data());
  }
  std::abort();
}

#define CG_FUZZ_CHECK(cond, detail)                                     \
  do {                                                                  \
    if (!(cond)) ::cg::fuzz::fail(#cond, (detail), __FILE__, __LINE__); \
  } while (0)

// Pieces of `input` of 0..max_piece bytes each, cut at points derived from `seed` (xorshift), so
// that a fuzz input also decides its own fragmentation deterministically.
inline std::vector<std::string_view> pseudo_random_pieces(std::string_view input, uint64_t& seed,
                                                          size_t max_piece) {
  std::vector<std::string_view> pieces;
  for (size_t at = 0; at < input.size();) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    const size_t n = std::min<size_t>(seed % (max_piece + 1), input.size() - at);
    pieces.push_back(input.substr(at, n));
    at += n;
  }
  return pieces;
}

// FNV-1a of `s`, never 0 (a seed for pseudo_random_pieces).
inline uint64_t seed_of(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s)
    h = (h ^ c) * 1099511628211ull;
  return h | 1;
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

inline bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// `text` rewritten, grammar unchanged, around two limits of Boost.JSON that are not JSON rules:
// unpaired surrogate escapes (\uD800-\uDFFF, refused by Boost; the JSON grammar and the project's
// scanner accept any \uXXXX) become \u0041 inside strings, and exponents of more than 9 digits
// (Boost refuses those above INT_MAX) are cut to 9 digits outside strings.
inline std::string boost_safe(std::string_view text) {
  std::string s;
  s.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\' && i + 5 < text.size() && text[i + 1] == 'u' &&
          (text[i + 2] == 'd' || text[i + 2] == 'D') && is_hex(text[i + 3]) &&
          is_hex(text[i + 4]) && is_hex(text[i + 5])) {
        const char h = static_cast<char>(text[i + 3] | 0x20);
        if (h == '8' || h == '9' || (h >= 'a' && h <= 'f')) {
          s.append("\\u0041");
          i += 5;
          continue;
        }
      }
      s.push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        s.push_back(text[++i]);  // the escaped byte
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    s.push_back(c);
    if (c == '"') {
      in_string = true;
    } else if ((c == 'e' || c == 'E') && i > 0 &&
               ((text[i - 1] >= '0' && text[i - 1] <= '9') || text[i - 1] == '.')) {
      size_t j = i + 1;
      if (j < text.size() && (text[j] == '+' || text[j] == '-')) s.push_back(text[j++]);
      size_t k = j;
      while (k < text.size() && text[k] >= '0' && text[k] <= '9')
        ++k;
      s.append(text.substr(j, k - j < 9 ? k - j : 9));
      i = k - 1;
    }
  }
  return s;
}

// Strict RFC 8259 validity of one JSON text, by Boost.JSON (on boost_safe(text)); invalid UTF-8
// is accepted: the gateway's emitters copy strings through byte for byte (the scanner does not
// validate UTF-8); what they must never produce is a grammar error.
inline bool json_valid(std::string_view text, boost::json::value* out = nullptr) {
  boost::json::parse_options opt;
  opt.max_depth = 1 << 20;
  opt.allow_invalid_utf8 = true;
  boost::system::error_code ec;
  boost::json::monotonic_resource mr;
  const boost::json::storage_ptr sp =
      out ? boost::json::storage_ptr() : boost::json::storage_ptr(&mr);
  boost::json::value v = boost::json::parse(boost_safe(text), ec, sp, opt);
  if (!ec && out) *out = std::move(v);
  return !ec;
}

// A produced SSE stream, one entry per event (the encoders write `event:` then one `data:`).
struct SseOut {
  std::string_view event, data;
};

// Splits encoder output; checks the framing (each event ends with a blank line, lines are
// `event: ...` or `data: ...`, exactly one data line, no stray bytes).
inline std::vector<SseOut> split_sse(std::string_view out) {
  std::vector<SseOut> events;
  size_t pos = 0;
  while (pos < out.size()) {
    const size_t end = out.find("\n\n", pos);
    CG_FUZZ_CHECK(end != std::string_view::npos, out.substr(pos));
    std::string_view ev = out.substr(pos, end - pos);
    SseOut e;
    int data_lines = 0;
    while (!ev.empty()) {
      const size_t nl = ev.find('\n');
      const std::string_view line = ev.substr(0, nl);
      ev = nl == std::string_view::npos ? std::string_view() : ev.substr(nl + 1);
      if (line.starts_with("event: ")) {
        e.event = line.substr(7);
      } else if (line.starts_with("data: ")) {
        e.data = line.substr(6);
        ++data_lines;
      } else {
        fail("SSE line is neither event: nor data:", line, __FILE__, __LINE__);
      }
    }
    CG_FUZZ_CHECK(data_lines == 1, out.substr(pos, end - pos));
    events.push_back(e);
    pos = end + 2;
  }
  return events;
}

inline const boost::json::object& as_object(const boost::json::value& v, std::string_view where) {
  CG_FUZZ_CHECK(v.is_object(), where);
  return v.get_object();
}

inline std::string_view string_at(const boost::json::object& o, std::string_view key,
                                  std::string_view where) {
  const boost::json::value* v = o.if_contains(key);
  CG_FUZZ_CHECK(v && v->is_string(), where);
  return v->get_string();
}

inline int64_t int_at(const boost::json::object& o, std::string_view key, std::string_view where) {
  const boost::json::value* v = o.if_contains(key);
  CG_FUZZ_CHECK(v && v->is_int64(), where);
  return v->get_int64();
}

// The Anthropic Messages stream rules the SDKs enforce: message_start first (ping allowed
// after it), content blocks strictly sequential from index 0, each started before its deltas and
// stopped before the next starts, deltas of the block's own type, message_delta after the last
// block, message_stop last; or an `error` event, after which nothing follows. `ended`: finish()
// or fail() was called, so the stream must be complete.
inline void check_anthropic_stream(std::string_view out, bool ended) {
  const std::vector<SseOut> events = split_sse(out);
  bool started = false, delta_seen = false, stopped = false, errored = false;
  int64_t next_index = 0;
  int64_t open_index = -1;
  std::string open_type;
  for (const SseOut& ev : events) {
    CG_FUZZ_CHECK(!stopped && !errored, out);  // nothing after message_stop / error
    boost::json::value v;
    CG_FUZZ_CHECK(json_valid(ev.data, &v), ev.data);
    const boost::json::object& o = as_object(v, ev.data);
    const std::string_view type = string_at(o, "type", ev.data);
    CG_FUZZ_CHECK(type == ev.event, ev.data);
    if (type == "error") {
      const boost::json::object& e = as_object(o.at("error"), ev.data);
      string_at(e, "type", ev.data);
      string_at(e, "message", ev.data);
      errored = true;
      continue;
    }
    if (type == "message_start") {
      CG_FUZZ_CHECK(!started, out);
      started = true;
      const boost::json::object& m = as_object(o.at("message"), ev.data);
      CG_FUZZ_CHECK(string_at(m, "role", ev.data) == "assistant", ev.data);
      CG_FUZZ_CHECK(m.at("content").is_array() && m.at("content").get_array().empty(), ev.data);
      continue;
    }
    CG_FUZZ_CHECK(started, out);  // message_start must come first
    if (type == "ping") continue;
    if (type == "message_stop") {
      CG_FUZZ_CHECK(delta_seen, out);
      stopped = true;
      continue;
    }
    CG_FUZZ_CHECK(!delta_seen, out);  // only message_stop after message_delta
    if (type == "content_block_start") {
      CG_FUZZ_CHECK(open_index < 0, out);
      CG_FUZZ_CHECK(int_at(o, "index", ev.data) == next_index, out);
      open_index = next_index++;
      const boost::json::object& b = as_object(o.at("content_block"), ev.data);
      open_type = std::string(string_at(b, "type", ev.data));
      if (open_type == "tool_use") {
        string_at(b, "id", ev.data);
        string_at(b, "name", ev.data);
      }
    } else if (type == "content_block_delta") {
      CG_FUZZ_CHECK(open_index >= 0 && int_at(o, "index", ev.data) == open_index, out);
      const boost::json::object& d = as_object(o.at("delta"), ev.data);
      const std::string_view dt = string_at(d, "type", ev.data);
      if (dt == "text_delta") {
        CG_FUZZ_CHECK(open_type == "text", out);
        string_at(d, "text", ev.data);
      } else if (dt == "thinking_delta") {
        CG_FUZZ_CHECK(open_type == "thinking", out);
        string_at(d, "thinking", ev.data);
      } else if (dt == "signature_delta") {
        CG_FUZZ_CHECK(open_type == "thinking", out);
        string_at(d, "signature", ev.data);
      } else if (dt == "input_json_delta") {
        CG_FUZZ_CHECK(open_type == "tool_use", out);
        string_at(d, "partial_json", ev.data);
      } else {
        fail("unknown delta type", ev.data, __FILE__, __LINE__);
      }
    } else if (type == "content_block_stop") {
      CG_FUZZ_CHECK(open_index >= 0 && int_at(o, "index", ev.data) == open_index, out);
      open_index = -1;
    } else if (type == "message_delta") {
      CG_FUZZ_CHECK(open_index < 0, out);  // every block stopped
      const boost::json::object& d = as_object(o.at("delta"), ev.data);
      string_at(d, "stop_reason", ev.data);
      as_object(o.at("usage"), ev.data);
      delta_seen = true;
    } else {
      fail("unknown Anthropic event", ev.data, __FILE__, __LINE__);
    }
  }
  if (ended) CG_FUZZ_CHECK(stopped || errored, out);
}

// The Responses stream rules of openai's responses.stream() that do not depend on the content:
// every event `event: <type>` + JSON data {type, sequence_number = 0, 1, ...}; response.created
// then response.in_progress first; items announced by output_item.added with output_index 0, 1,
// ... and unique non-empty ids, referenced by later events (output_index, item_id) only while
// not done; every item done before the terminal response.completed / response.incomplete, which
// lists them all; or an `error` event. Nothing follows the terminal event.
inline void check_responses_stream(std::string_view out, bool ended) {
  const std::vector<SseOut> events = split_sse(out);
  struct Item {
    std::string id;
    bool done = false;
  };
  std::vector<Item> items;
  bool terminal = false;
  for (size_t i = 0; i < events.size(); ++i) {
    const SseOut& ev = events[i];
    CG_FUZZ_CHECK(!terminal, out);
    boost::json::value v;
    CG_FUZZ_CHECK(json_valid(ev.data, &v), ev.data);
    const boost::json::object& o = as_object(v, ev.data);
    const std::string_view type = string_at(o, "type", ev.data);
    CG_FUZZ_CHECK(type == ev.event, ev.data);
    CG_FUZZ_CHECK(int_at(o, "sequence_number", ev.data) == static_cast<int64_t>(i), out);
    if (type == "error") {
      terminal = true;
      continue;
    }
    if (i == 0) CG_FUZZ_CHECK(type == "response.created", out);
    if (i == 1) CG_FUZZ_CHECK(type == "response.in_progress", out);
    if (type == "response.created" || type == "response.in_progress") {
      CG_FUZZ_CHECK(i < 2, out);
      continue;
    }
    if (type == "response.completed" || type == "response.incomplete") {
      terminal = true;
      for (const Item& it : items)
        CG_FUZZ_CHECK(it.done, out);
      const boost::json::object& r = as_object(o.at("response"), ev.data);
      const boost::json::value& output = r.at("output");
      CG_FUZZ_CHECK(output.is_array() && output.get_array().size() == items.size(), ev.data);
      for (size_t k = 0; k < items.size(); ++k) {
        const boost::json::object& it = as_object(output.get_array()[k], ev.data);
        CG_FUZZ_CHECK(string_at(it, "id", ev.data) == items[k].id, ev.data);
      }
      continue;
    }
    const int64_t index = int_at(o, "output_index", ev.data);
    if (type == "response.output_item.added") {
      CG_FUZZ_CHECK(index == static_cast<int64_t>(items.size()), out);
      const boost::json::object& item = as_object(o.at("item"), ev.data);
      const std::string_view id = string_at(item, "id", ev.data);
      CG_FUZZ_CHECK(!id.empty(), ev.data);
      for (const Item& it : items)
        CG_FUZZ_CHECK(it.id != id, out);  // unique item ids
      items.push_back(Item{std::string(id), false});
      continue;
    }
    CG_FUZZ_CHECK(index >= 0 && index < static_cast<int64_t>(items.size()), out);
    Item& it = items[static_cast<size_t>(index)];
    CG_FUZZ_CHECK(!it.done, out);
    if (type == "response.output_item.done") {
      const boost::json::object& item = as_object(o.at("item"), ev.data);
      CG_FUZZ_CHECK(string_at(item, "id", ev.data) == it.id, out);
      it.done = true;
      continue;
    }
    CG_FUZZ_CHECK(string_at(o, "item_id", ev.data) == it.id, out);
  }
  if (ended) CG_FUZZ_CHECK(terminal, out);
}

}  // namespace cg::fuzz
