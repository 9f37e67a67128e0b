// Fuzz target: the chat answer / chunk helpers of wire/openai/chat_response.h on arbitrary
// bytes: find_usage, is_usage_only_chunk, top_level_string, has_error_member, strip_usage,
// make_usage_chunk.
// Properties: no crash on anything; for a body Boost.JSON parses (top-level key not repeated;
// for find_usage, no escaped top-level key: it matches raw key bytes) each helper agrees with
// the DOM; strip_usage of valid JSON is valid JSON, equal to the DOM
// without "usage"; make_usage_chunk escapes any id/model into valid JSON whose usage reads back.
#include <boost/json.hpp>

#include "fuzz_util.h"
#include "wire/json_scan.h"
#include "wire/openai/chat_response.h"

namespace {

namespace openai = cg::wire::openai;

// How many times `key` occurs among the top-level members (0 when not an object).
int key_count(std::string_view body, std::string_view key) {
  cg::wire::JsonScanner sc(body);
  if (!sc.enter_object()) return 0;
  cg::wire::JsonMember m;
  int seen = 0;
  while (sc.next_member(m)) {
    if (cg::wire::string_equals(body, m.key, key)) ++seen;
    if (!sc.skip_value()) return 0;
  }
  return seen;
}

// Whether a top-level key is written with escapes ("us\u0061ge"): find_usage, like the stream
// decoders, matches raw key bytes only.
bool has_escaped_key(std::string_view body) {
  cg::wire::JsonScanner sc(body);
  if (!sc.enter_object()) return false;
  cg::wire::JsonMember m;
  while (sc.next_member(m)) {
    if (m.key.has_escapes) return true;
    if (!sc.skip_value()) return false;
  }
  return false;
}

int64_t expected_int(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : -1;
}

void check_usage(std::string_view body, const boost::json::object& top) {
  const std::optional<openai::Usage> u = openai::find_usage(body);
  const boost::json::value* usage = top.if_contains("usage");
  if (!usage || !usage->is_object()) {
    CG_FUZZ_CHECK(!u, body);
    return;
  }
  CG_FUZZ_CHECK(u.has_value(), body);
  const boost::json::object& uo = usage->get_object();
  // Repeated keys inside usage: the scanner keeps the last, like the DOM.
  CG_FUZZ_CHECK(u->prompt_tokens == expected_int(uo, "prompt_tokens"), body);
  CG_FUZZ_CHECK(u->completion_tokens == expected_int(uo, "completion_tokens"), body);
  CG_FUZZ_CHECK(u->total_tokens == expected_int(uo, "total_tokens"), body);
  const boost::json::value* details = uo.if_contains("prompt_tokens_details");
  if (details && details->is_object())
    CG_FUZZ_CHECK(u->cached_tokens == expected_int(details->get_object(), "cached_tokens"), body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = cg::fuzz::as_text(data, size);

  // Never crash, whatever the bytes.
  const std::optional<openai::Usage> usage = openai::find_usage(body);
  const bool usage_only = openai::is_usage_only_chunk(body);
  const auto id = openai::top_level_string(body, "id");
  const auto model = openai::top_level_string(body, "model");
  const bool has_error = openai::has_error_member(body);
  const std::string stripped = openai::strip_usage(body);
  if (id) CG_FUZZ_CHECK(id->data() >= body.data() && id->end() <= body.end(), body);

  boost::json::parse_options opt;
  opt.max_depth = 1 << 20;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec, {}, opt);
  if (!ec && v.is_object()) {
    const boost::json::object& o = v.get_object();
    if (key_count(body, "usage") == 1 && !has_escaped_key(body)) check_usage(body, o);
    if (key_count(body, "choices") == 1) {
      const boost::json::value* c = o.if_contains("choices");
      CG_FUZZ_CHECK(usage_only == (c->is_array() && c->get_array().empty()), body);
    }
    if (key_count(body, "id") == 1) {
      const boost::json::value* s = o.if_contains("id");
      CG_FUZZ_CHECK(id.has_value() == s->is_string(), body);
      if (id) {
        std::string unescaped;
        CG_FUZZ_CHECK(cg::wire::append_unescaped(unescaped, *id), body);
        CG_FUZZ_CHECK(unescaped == s->get_string(), body);
      }
    }
    if (key_count(body, "error") <= 1)
      CG_FUZZ_CHECK(has_error == (o.contains("error") && !o.at("error").is_null()), body);

    // strip_usage: the same object without "usage".
    boost::system::error_code ec2;
    const boost::json::value sv = boost::json::parse(stripped, ec2, {}, opt);
    CG_FUZZ_CHECK(!ec2 && sv.is_object(), stripped);
    if (key_count(body, "usage") <= 1) {
      boost::json::object expect = o;
      expect.erase("usage");
      CG_FUZZ_CHECK(sv.get_object() == expect, stripped);
    }
  } else if (!ec) {
    CG_FUZZ_CHECK(!usage && !usage_only && !id && !has_error, body);
    CG_FUZZ_CHECK(stripped == body, body);
  } else if (cg::fuzz::json_valid(body)) {
    // Valid JSON that Boost refuses as is (invalid UTF-8, unpaired surrogate escapes, huge
    // exponents): stripping must still keep it valid.
    CG_FUZZ_CHECK(cg::fuzz::json_valid(stripped), stripped);
  }

  // make_usage_chunk: any id/model bytes are escaped; the usage reads back.
  openai::Usage u;
  u.prompt_tokens = static_cast<int64_t>(size);
  u.completion_tokens = size % 3 == 0 ? -1 : static_cast<int64_t>(size % 1000);
  u.total_tokens = 7;
  u.cached_tokens = size % 2 == 0 ? -1 : 3;
  const std::string chunk = openai::make_usage_chunk(body, -5, model ? *model : body, u);
  CG_FUZZ_CHECK(cg::fuzz::json_valid(chunk), chunk);
  CG_FUZZ_CHECK(openai::is_usage_only_chunk(chunk), chunk);
  const std::optional<openai::Usage> back = openai::find_usage(chunk);
  CG_FUZZ_CHECK(back && back->prompt_tokens == u.prompt_tokens &&
                    back->completion_tokens == u.completion_tokens &&
                    back->total_tokens == u.total_tokens && back->cached_tokens == u.cached_tokens,
                chunk);
  return 0;
}
