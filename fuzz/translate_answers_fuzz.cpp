// Fuzz target: non-streamed answer translation on arbitrary bodies: from_chat_response,
// from_responses_response and from_anthropic_response, each canonical Response emitted with
// to_anthropic_response, to_chat_response (valid JSON, one choice) and to_responses_response
// (without and with an echoed request).
// Properties: errors are 5xx with a message (a bad upstream answer is the gateway's 502); every
// emitted answer is valid JSON: an Anthropic message {type:"message", role:"assistant",
// content:[...]} with blocks of known types, or a Responses object {object:"response",
// output:[...]}; tool_use inputs are objects.
#include <boost/json.hpp>

#include "fuzz_util.h"
#include "translate/from_anthropic_response.h"
#include "translate/from_chat_response.h"
#include "translate/from_responses_response.h"
#include "translate/to_anthropic_response.h"
#include "translate/to_chat_response.h"
#include "translate/to_responses_response.h"

namespace {

namespace tr = cg::translate;

void check_anthropic(const std::string& out) {
  boost::json::value v;
  CG_FUZZ_CHECK(cg::fuzz::json_valid(out, &v), out);
  const boost::json::object& o = cg::fuzz::as_object(v, out);
  CG_FUZZ_CHECK(cg::fuzz::string_at(o, "type", out) == "message", out);
  CG_FUZZ_CHECK(cg::fuzz::string_at(o, "role", out) == "assistant", out);
  const boost::json::value* content = o.if_contains("content");
  CG_FUZZ_CHECK(content && content->is_array(), out);
  for (const boost::json::value& b : content->get_array()) {
    const boost::json::object& bo = cg::fuzz::as_object(b, out);
    const std::string_view type = cg::fuzz::string_at(bo, "type", out);
    if (type == "text") {
      cg::fuzz::string_at(bo, "text", out);
    } else if (type == "thinking") {
      cg::fuzz::string_at(bo, "thinking", out);
      cg::fuzz::string_at(bo, "signature", out);
    } else if (type == "redacted_thinking") {
      cg::fuzz::string_at(bo, "data", out);
    } else if (type == "tool_use") {
      cg::fuzz::string_at(bo, "id", out);
      cg::fuzz::string_at(bo, "name", out);
      const boost::json::value* input = bo.if_contains("input");
      CG_FUZZ_CHECK(input && input->is_object(), out);
    } else {
      cg::fuzz::fail("unknown Anthropic content block", out, __FILE__, __LINE__);
    }
  }
}

void check_responses(const std::string& out) {
  boost::json::value v;
  CG_FUZZ_CHECK(cg::fuzz::json_valid(out, &v), out);
  const boost::json::object& o = cg::fuzz::as_object(v, out);
  CG_FUZZ_CHECK(cg::fuzz::string_at(o, "object", out) == "response", out);
  const boost::json::value* output = o.if_contains("output");
  CG_FUZZ_CHECK(output && output->is_array(), out);
  for (const boost::json::value& item : output->get_array())
    CG_FUZZ_CHECK(!cg::fuzz::string_at(cg::fuzz::as_object(item, out), "id", out).empty(), out);
}

void emit(const tr::Response& r) {
  check_anthropic(tr::to_anthropic_response(r, "msg_fuzz", "claude-sonnet-4-5"));
  {
    const std::string chat = tr::to_chat_response(r, tr::ChatEnvelope{"chatcmpl-fuzz", 1, "m"});
    boost::json::value v;
    CG_FUZZ_CHECK(cg::fuzz::json_valid(chat, &v), chat);
    const boost::json::object& o = cg::fuzz::as_object(v, chat);
    const boost::json::value* choices = o.if_contains("choices");
    CG_FUZZ_CHECK(choices && choices->is_array() && choices->get_array().size() == 1, chat);
  }
  const tr::ResponsesEnvelope env{"resp_fuzz", 1700000000, "gpt-5.1-codex"};
  check_responses(tr::to_responses_response(r, env));
  tr::Request req;
  req.model = "gpt-5.1-codex";
  req.max_tokens = 100;
  req.temperature = 0.5;
  req.reasoning_effort = "high";
  req.json_object = true;
  check_responses(tr::to_responses_response(r, env, &req));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = cg::fuzz::as_text(data, size);
  for (auto* parse :
       {&tr::from_chat_response, &tr::from_responses_response, &tr::from_anthropic_response}) {
    auto r = parse(body);
    if (r.ok()) {
      emit(*r);
    } else {
      CG_FUZZ_CHECK(r.error().status >= 500 && !r.error().message.empty(), body);
    }
  }
  return 0;
}
