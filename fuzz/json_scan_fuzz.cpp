// Fuzz target: wire::JsonScanner on arbitrary bytes.
// Properties:
//  - skip_value_strict succeeds => skip_value succeeds and ends at the same offset (or, when bytes
//    that are not JSON follow the value, fails at an offset past its end);
//  - walking the value with the iteration API (enter_object/next_member, enter_array/
//    next_element, read_string, read_number, read_bool, read_null) succeeds exactly when
//    skip_value_strict does, at the same offset, and the walked DOM equals Boost.JSON's whenever
//    Boost parses the input (strings unescaped by read_string, keys by append_unescaped);
//  - the whole input is strict-valid exactly when Boost.JSON says it is valid JSON (invalid UTF-8
//    and unpaired \uD8xx escapes allowed: the scanner checks neither; only when the nesting cannot
//    exceed the scanner's kMaxDepth);
//  - iterating a valid top-level container with the fast skip_value ends where strict does;
//  - erasing a member with member_erase_span leaves valid JSON;
//  - error offsets stay inside the text.
#include <boost/json.hpp>
#include <cmath>

#include "fuzz_util.h"
#include "wire/json_scan.h"

namespace {

using cg::wire::JsonElement;
using cg::wire::JsonKind;
using cg::wire::JsonMember;
using cg::wire::JsonScanner;
using cg::wire::JsonString;

constexpr int kWalkDepth = 200;  // the walker recurses; deeper values are skipped strictly

struct Walker {
  JsonScanner& sc;
  std::string_view text;
  bool dom_ok = true;  // false once the DOM cannot be compared (depth cap, lone surrogate, ...)

  bool string(boost::json::value& out) {
    JsonScanner copy = sc;
    JsonString js;
    if (!sc.read_string(js)) return false;
    CG_FUZZ_CHECK(js.begin < js.end && js.end <= text.size(), text);
    CG_FUZZ_CHECK(text[js.begin] == '"' && text[js.end - 1] == '"', text);
    CG_FUZZ_CHECK(sc.pos() == js.end, text);
    std::string s;
    if (copy.read_string(s)) {
      CG_FUZZ_CHECK(copy.pos() == sc.pos(), text);
      if (!js.has_escapes) CG_FUZZ_CHECK(s == js.raw(text), text);
      CG_FUZZ_CHECK(cg::wire::string_equals(text, js, s), text);
      out = boost::json::string(s);
    } else {
      CG_FUZZ_CHECK(js.has_escapes, text);  // only an escape can fail to decode
      dom_ok = false;
    }
    return true;
  }

  bool walk(boost::json::value& out, int depth) {
    switch (sc.peek_kind()) {
      case JsonKind::kObject: {
        if (depth >= kWalkDepth) {
          dom_ok = false;
          return sc.skip_value_strict();
        }
        if (!sc.enter_object()) return false;
        boost::json::object& o = out.emplace_object();
        JsonMember m;
        while (sc.next_member(m)) {
          CG_FUZZ_CHECK(m.value_begin == sc.pos(), text);
          std::string key;
          if (cg::wire::append_unescaped(key, m.key.raw(text))) {
            CG_FUZZ_CHECK(cg::wire::string_equals(text, m.key, key), text);
          } else {
            CG_FUZZ_CHECK(m.key.has_escapes, text);
            dom_ok = false;
          }
          boost::json::value child;
          if (!walk(child, depth + 1)) return false;
          o[key] = std::move(child);  // the last duplicate wins, as in Boost.JSON
        }
        return sc.ok();
      }
      case JsonKind::kArray: {
        if (depth >= kWalkDepth) {
          dom_ok = false;
          return sc.skip_value_strict();
        }
        if (!sc.enter_array()) return false;
        boost::json::array& a = out.emplace_array();
        JsonElement e;
        while (sc.next_element(e)) {
          CG_FUZZ_CHECK(e.value_begin == sc.pos(), text);
          boost::json::value child;
          if (!walk(child, depth + 1)) return false;
          a.push_back(std::move(child));
        }
        return sc.ok();
      }
      case JsonKind::kString:
        return string(out);
      case JsonKind::kNumber: {
        JsonScanner copy = sc;
        std::string_view token;
        if (!sc.read_number(token)) return false;
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(token, ec);
        if (ec || (v.is_double() && std::isnan(v.get_double()))) {
          dom_ok = false;  // an exponent Boost refuses; 0e999999 is NaN for Boost
        } else {
          CG_FUZZ_CHECK(v.is_number(), token);
          out = v;
        }
        int64_t i = 0;
        if (cg::wire::parse_int64(token, i)) {
          int64_t j = 0;
          CG_FUZZ_CHECK(copy.read_int64(j) && j == i && copy.pos() == sc.pos(), token);
          if (!ec && v.is_number())
            CG_FUZZ_CHECK(v.to_number<double>() == static_cast<double>(i), token);
        }
        return true;
      }
      case JsonKind::kTrue:
      case JsonKind::kFalse: {
        const bool expect = sc.peek_kind() == JsonKind::kTrue;
        bool b = !expect;
        if (!sc.read_bool(b)) return false;
        CG_FUZZ_CHECK(b == expect, text);
        out = b;
        return true;
      }
      case JsonKind::kNull:
        if (!sc.read_null()) return false;
        out = nullptr;
        return true;
      case JsonKind::kInvalid:
        break;
    }
    return sc.skip_value_strict();  // fails: no value starts here
  }
};

void check_error(const JsonScanner& sc, std::string_view text) {
  if (sc.ok()) return;
  CG_FUZZ_CHECK(sc.error() != nullptr, text);
  CG_FUZZ_CHECK(sc.error_offset() <= text.size(), text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = cg::fuzz::as_text(data, size);

  JsonScanner fast(text), strict(text);
  cg::wire::Span span;
  const bool f = fast.skip_value(span);
  const bool s = strict.skip_value_strict();
  check_error(fast, text);
  check_error(strict, text);
  if (s && f) {
    CG_FUZZ_CHECK(fast.pos() == strict.pos(), text);
    CG_FUZZ_CHECK(span.end == fast.pos() && span.begin == cg::wire::skip_json_ws(text, 0), text);
  } else if (s) {
    // skip_value classifies whole 64-byte blocks, so a stray backslash or control character
    // AFTER a complete container in the same block fails it (error reported past the value).
    CG_FUZZ_CHECK(fast.error_offset() >= strict.pos(), text);
  }
  const size_t strict_end = strict.pos();
  const bool strict_valid = s && strict.finish();

  // Agreement with Boost.JSON on the validity of the whole text.
  size_t brackets = 0;
  for (char c : text)
    brackets += c == '[' || c == '{';
  const bool boost_valid = cg::fuzz::json_valid(text);
  if (brackets <= JsonScanner::kMaxDepth) CG_FUZZ_CHECK(strict_valid == boost_valid, text);
  if (strict_valid) CG_FUZZ_CHECK(boost_valid && f, text);

  // The iteration API against skip_value_strict and against Boost's DOM.
  JsonScanner w(text);
  Walker walker{w, text};
  boost::json::value dom;
  const bool walked = walker.walk(dom, 0);
  check_error(w, text);
  // (The walker skips below kWalkDepth with a fresh depth budget: deeper texts may walk further.)
  if (brackets <= JsonScanner::kMaxDepth) CG_FUZZ_CHECK(walked == s, text);
  if (s) CG_FUZZ_CHECK(walked, text);
  if (walked && s) {
    CG_FUZZ_CHECK(w.pos() == strict_end, text);
    if (walker.dom_ok && w.finish()) {
      boost::json::parse_options opt;
      opt.max_depth = 1 << 20;
      boost::system::error_code ec;
      boost::json::value ref = boost::json::parse(text, ec, {}, opt);
      if (!ec) CG_FUZZ_CHECK(dom == ref, text);
    }
  }

  if (!strict_valid) return 0;
  // Top-level container skimmed with the fast skip_value at every element.
  JsonScanner sk(text);
  const JsonKind top = sk.peek_kind();
  if (top == JsonKind::kObject) {
    sk.enter_object();
    JsonMember m;
    int erased = 0;
    while (sk.next_member(m)) {
      CG_FUZZ_CHECK(sk.skip_value(), text);
      if (erased++ < 8) {
        const cg::wire::Span e = cg::wire::member_erase_span(text, m, sk.pos());
        CG_FUZZ_CHECK(e.begin <= e.end && e.end <= text.size(), text);
        std::string rest(text.substr(0, e.begin));
        rest.append(text.substr(e.end));
        JsonScanner again(rest);
        CG_FUZZ_CHECK(again.skip_value_strict() && again.finish(), rest);
        CG_FUZZ_CHECK(cg::fuzz::json_valid(rest), rest);
      }
    }
    CG_FUZZ_CHECK(sk.ok() && sk.pos() == strict_end, text);
  } else if (top == JsonKind::kArray) {
    sk.enter_array();
    JsonElement e;
    while (sk.next_element(e))
      CG_FUZZ_CHECK(sk.skip_value(), text);
    CG_FUZZ_CHECK(sk.ok() && sk.pos() == strict_end, text);
  }
  return 0;
}
