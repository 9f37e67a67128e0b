// Fuzz target: request translation on arbitrary bodies. Each input goes through every parser,
// from_anthropic_request (with and without require_max_tokens), from_responses_request and
// from_chat_request; every canonical Request produced is emitted with to_anthropic_request,
// counted (count_input_tokens), and emitted with to_chat_request and to_responses_request for two
// model profiles each (Claude with Copilot reasoning fields and an output cap / a reasoning GPT
// with max_completion_tokens; a capped Responses model / one with sampling parameters).
// Properties: errors are 4xx with a message; every emitted body is valid JSON, an object with the
// target's model and a messages / input array; the parsers' echo helper (responses_echo) of any
// parsed request is a valid sequence of JSON members.
#include <boost/json.hpp>

#include "fuzz_util.h"
#include "translate/count_tokens.h"
#include "translate/from_anthropic_request.h"
#include "translate/from_chat_request.h"
#include "translate/from_responses_request.h"
#include "translate/to_anthropic_request.h"
#include "translate/to_chat_request.h"
#include "translate/to_responses_request.h"
#include "translate/to_responses_response.h"

namespace {

namespace tr = cg::translate;

void check_error(const cg::ApiError& e, std::string_view body) {
  CG_FUZZ_CHECK(e.status >= 400 && e.status < 500 && !e.message.empty(), body);
}

void check_body(const std::string& out, std::string_view model, std::string_view array_key) {
  boost::json::value v;
  CG_FUZZ_CHECK(cg::fuzz::json_valid(out, &v), out);
  const boost::json::object& o = cg::fuzz::as_object(v, out);
  CG_FUZZ_CHECK(cg::fuzz::string_at(o, "model", out) == model, out);
  const boost::json::value* a = o.if_contains(array_key);
  CG_FUZZ_CHECK(a && a->is_array(), out);
}

void emit(const tr::Request& req, std::string_view body) {
  tr::ChatTarget claude;
  claude.model = "claude-sonnet-4.5";
  claude.copilot_reasoning = true;
  claude.max_output_tokens = 16000;
  tr::ChatTarget gpt;
  gpt.model = "gpt-5-mini";
  gpt.max_completion_tokens = true;
  gpt.min_thinking_budget = 0;
  gpt.max_thinking_budget = 0;
  for (const tr::ChatTarget& t : {claude, gpt}) {
    auto out = tr::to_chat_request(req, t);
    if (out.ok())
      check_body(*out, t.model, "messages");
    else
      check_error(out.error(), body);
  }
  tr::ResponsesTarget codex{"gpt-5.1-codex", 128000, false};
  tr::ResponsesTarget sampled{"o-sampled", -1, true};
  for (const tr::ResponsesTarget& t : {codex, sampled}) {
    auto out = tr::to_responses_request(req, t);
    if (out.ok())
      check_body(*out, t.model, "input");
    else
      check_error(out.error(), body);
  }
  tr::AnthropicTarget native{"claude-sonnet-4.5", 16000};
  auto anthropic = tr::to_anthropic_request(req, native);
  if (anthropic.ok())
    check_body(*anthropic, native.model, "messages");
  else
    check_error(anthropic.error(), body);
  for (bool claude : {false, true}) {
    tr::CountOptions count;
    count.claude = claude;
    CG_FUZZ_CHECK(tr::count_input_tokens(req, count) > 0, body);
  }
  // The members a Responses answer echoes from this request: {"x":0<echo>} must be valid.
  const std::string echo = "{\"x\":0" + tr::responses_echo(&req) + "}";
  CG_FUZZ_CHECK(cg::fuzz::json_valid(echo), echo);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = cg::fuzz::as_text(data, size);
  for (bool require_max_tokens : {true, false}) {
    tr::AnthropicParseOptions opts;
    opts.require_max_tokens = require_max_tokens;
    auto req = tr::from_anthropic_request(body, opts);
    if (req.ok())
      emit(*req, body);
    else
      check_error(req.error(), body);
  }
  for (auto* parse : {&tr::from_responses_request, &tr::from_chat_request}) {
    auto req = (*parse)(body);
    if (req.ok())
      emit(*req, body);
    else
      check_error(req.error(), body);
  }
  return 0;
}
