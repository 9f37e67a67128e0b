// Fuzz target: the parsers of other upstream answers, on arbitrary bodies:
//  - wire::copilot::parse_catalog (the model catalog) -> render_models / render_model of every
//    parsed id;
//  - wire::openai::upstream_error (an upstream error response at a status from the input) ->
//    the OpenAI error body and event, and the Anthropic error body and event;
//  - wire::anthropic::read_stream_usage (native Anthropic stream events).
// Properties: no crash; catalog errors are 502s; every rendered body is valid JSON (the models
// list {"object":"list","data":[...]} with one entry per parsed model), error bodies keep their
// four keys, upstream errors keep the status.
#include <boost/json.hpp>

#include "fuzz_util.h"
#include "wire/anthropic/errors.h"
#include "wire/anthropic/usage.h"
#include "wire/copilot/catalog.h"
#include "wire/openai/errors.h"
#include "wire/openai/models.h"

namespace {

std::string_view event_data(std::string_view ev) {
  const size_t at = ev.find("data: ");
  CG_FUZZ_CHECK(at != std::string_view::npos && ev.ends_with("\n\n"), ev);
  return ev.substr(at + 6, ev.size() - at - 8);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = cg::fuzz::as_text(data, size);

  auto catalog = cg::wire::copilot::parse_catalog(body);
  if (catalog.ok()) {
    const std::string list = cg::wire::openai::render_models(*catalog, 1700000000);
    boost::json::value v;
    CG_FUZZ_CHECK(cg::fuzz::json_valid(list, &v), list);
    const boost::json::value* d = cg::fuzz::as_object(v, list).if_contains("data");
    CG_FUZZ_CHECK(d && d->is_array() && d->get_array().size() == catalog->models.size(), list);
    for (size_t i = 0; i < catalog->models.size() && i < 8; ++i) {
      const auto one = cg::wire::openai::render_model(*catalog, catalog->models[i].id, 1);
      CG_FUZZ_CHECK(one && cg::fuzz::json_valid(*one), catalog->models[i].id);
    }
  } else {
    CG_FUZZ_CHECK(catalog.error().status == 502, body);
  }

  const int status = size == 0 ? 500 : 400 + static_cast<unsigned char>(body[0]) % 200;
  const cg::ApiError e = cg::wire::openai::upstream_error(status, body);
  CG_FUZZ_CHECK(e.status == status && !e.type.empty(), body);
  const std::string ob = cg::wire::openai::error_body(e);
  boost::json::value v;
  CG_FUZZ_CHECK(cg::fuzz::json_valid(ob, &v), ob);
  const boost::json::value* err = cg::fuzz::as_object(v, ob).if_contains("error");
  CG_FUZZ_CHECK(err && err->is_object(), ob);
  for (const char* k : {"message", "type", "param", "code"})
    CG_FUZZ_CHECK(err->get_object().contains(k), ob);
  CG_FUZZ_CHECK(cg::fuzz::json_valid(event_data(cg::wire::openai::error_event(e))), ob);
  CG_FUZZ_CHECK(cg::fuzz::json_valid(cg::wire::anthropic::error_body(e, "req_1")), ob);
  CG_FUZZ_CHECK(cg::fuzz::json_valid(event_data(cg::wire::anthropic::error_event(e))), ob);

  int64_t input = -7, output = -7;
  cg::wire::anthropic::read_stream_usage(body, input, output);
  return 0;
}
