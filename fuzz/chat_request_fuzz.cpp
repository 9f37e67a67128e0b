// Fuzz target: the OpenAI chat request pass-through path on arbitrary bodies:
// wire::openai::scan_chat_request, rewrite_chat_request (every combination of a new model and
// dropping stream_options) and wire::set_top_level_string.
// Properties:
//  - errors are 400s with a message; a valid JSON body is never refused as "Invalid JSON body"
//    (unless the scanner's documented limits apply: depth, unpaired surrogate escapes);
//  - a successful scan is consistent: model_value spans the model's string token, whose
//    unescaped value is `model`; at least one message; image_count > 0 iff has_image; for a body
//    Boost.JSON parses, model / stream / messages / n agree with its DOM;
//  - a rewrite of a valid body is valid JSON, rescans with the new model and without
//    stream_options; nullopt exactly when there is nothing to change;
//  - set_top_level_string on a valid object gives valid JSON whose "model" is the new value.
#include <boost/json.hpp>

#include "fuzz_util.h"
#include "wire/json_edit.h"
#include "wire/json_scan.h"
#include "wire/openai/chat_request.h"

namespace {

namespace openai = cg::wire::openai;
using cg::fuzz::json_valid;

// Top-level keys that appear more than once (their last value wins in a DOM).
bool has_duplicate_key(std::string_view body, std::string_view key) {
  cg::wire::JsonScanner sc(body);
  if (!sc.enter_object()) return false;
  cg::wire::JsonMember m;
  int seen = 0;
  while (sc.next_member(m)) {
    if (cg::wire::string_equals(body, m.key, key)) ++seen;
    if (!sc.skip_value()) return false;
  }
  return seen > 1;
}

void check_against_dom(std::string_view body, const openai::ChatRequestInfo& info) {
  boost::json::parse_options opt;
  opt.max_depth = 1 << 20;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec, {}, opt);
  if (ec || !v.is_object()) return;
  const boost::json::object& o = v.get_object();
  const boost::json::value* model = o.if_contains("model");
  CG_FUZZ_CHECK(model && model->is_string() && model->get_string() == info.model, body);
  const boost::json::value* messages = o.if_contains("messages");
  CG_FUZZ_CHECK(messages && messages->is_array(), body);
  if (!has_duplicate_key(body, "messages"))
    CG_FUZZ_CHECK(messages->get_array().size() == info.message_count, body);
  if (const boost::json::value* s = o.if_contains("stream");
      s && !has_duplicate_key(body, "stream"))
    CG_FUZZ_CHECK(s->is_null() ? !info.stream : s->is_bool() && s->get_bool() == info.stream, body);
  if (const boost::json::value* n = o.if_contains("n");
      n && !n->is_null() && !has_duplicate_key(body, "n"))
    CG_FUZZ_CHECK(n->is_int64() && n->get_int64() == info.n, body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = cg::fuzz::as_text(data, size);
  const bool valid = json_valid(body);
  size_t brackets = 0;
  for (char c : body)
    brackets += c == '[' || c == '{';
  const bool scanner_limits_apply =
      brackets > cg::wire::JsonScanner::kMaxDepth || cg::fuzz::boost_safe(body) != body;

  auto r = openai::scan_chat_request(body);
  if (!r.ok()) {
    CG_FUZZ_CHECK(r.error().status == 400 && !r.error().message.empty(), body);
    if (valid && !scanner_limits_apply)
      CG_FUZZ_CHECK(!r.error().message.starts_with("Invalid JSON body"), r.error().message);
  } else {
    const openai::ChatRequestInfo& info = *r;
    const cg::wire::Span mv = info.model_value;
    CG_FUZZ_CHECK(mv.begin + 2 <= mv.end && mv.end <= body.size(), body);
    CG_FUZZ_CHECK(body[mv.begin] == '"' && body[mv.end - 1] == '"', body);
    std::string model;
    CG_FUZZ_CHECK(cg::wire::append_unescaped(model, body.substr(mv.begin + 1, mv.size() - 2)),
                  body);
    CG_FUZZ_CHECK(model == info.model, body);
    CG_FUZZ_CHECK(info.message_count >= 1, body);
    CG_FUZZ_CHECK(info.has_image == (info.image_count > 0), body);
    if (info.has_stream_options) {
      const cg::wire::Span so = info.stream_options_member;
      CG_FUZZ_CHECK(so.begin < so.end && so.end <= body.size(), body);
    }
    check_against_dom(body, info);

    const std::optional<std::string_view> models[] = {std::nullopt, std::string_view(info.model),
                                                      "gpt-4o", "m\"\\\n\x01\xc3\xa9/\xff"};
    for (const auto& new_model : models) {
      for (bool drop : {false, true}) {
        const auto out = openai::rewrite_chat_request(body, info, new_model, drop);
        const bool changes_model = new_model && *new_model != info.model;
        const bool drops = drop && info.has_stream_options;
        CG_FUZZ_CHECK(out.has_value() == (changes_model || drops), body);
        if (!out || !valid) continue;
        CG_FUZZ_CHECK(json_valid(*out), *out);
        auto again = openai::scan_chat_request(*out);
        CG_FUZZ_CHECK(again.ok(), *out);
        CG_FUZZ_CHECK(again->model == (changes_model ? *new_model : info.model), *out);
        CG_FUZZ_CHECK(again->message_count == info.message_count, *out);
        if (drops && !has_duplicate_key(body, "stream_options"))
          CG_FUZZ_CHECK(!again->has_stream_options, *out);
      }
    }
  }

  for (std::string_view value : {std::string_view("gpt-4.1"), std::string_view("\"\\\x7f\n")}) {
    const auto edited = cg::wire::set_top_level_string(body, "model", value);
    if (!edited || !valid) continue;
    CG_FUZZ_CHECK(json_valid(*edited), *edited);
    boost::json::parse_options opt;
    opt.max_depth = 1 << 20;
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(*edited, ec, {}, opt);
    if (!ec) {
      CG_FUZZ_CHECK(v.is_object(), *edited);
      const boost::json::value* m = v.get_object().if_contains("model");
      CG_FUZZ_CHECK(m && m->is_string() && m->get_string() == value, *edited);
    }
  }
  return 0;
}
