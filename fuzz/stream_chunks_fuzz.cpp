// Fuzz target: stream translation on STRUCTURED upstream streams, so the fuzzer reaches deep
// decoder/encoder states that raw bytes rarely do. The first byte picks the upstream format; the
// rest (FuzzedDataProvider) builds a sequence of plausible events from fuzzed choices and strings:
//  - Chat Completions chunks: 0-2 choices (index 0/1/odd), each a delta with any mix of content,
//    reasoning_text, reasoning_opaque and tool_calls fragments (index, id, name, arguments each
//    optional), a finish_reason, a trailing usage chunk, an error chunk, [DONE], or garbage;
//  - Responses events: response.created, output_item.added / .done (message, function_call,
//    reasoning with summary and encrypted_content), output_text / function_call_arguments /
//    reasoning_summary_text deltas, response.completed / incomplete / failed, error, garbage;
//    with or without the `event:` name, at fuzzed output indexes and item ids.
// Strings are fuzzed bytes (escaped) or tricky escapes (\", \n, \u00e9, surrogate pairs, an
// unpaired surrogate). Then the same pipelines and checks as translate_streams
// (stream_pipeline.h), ending normally or with the connection breaking.
#include <fuzzer/FuzzedDataProvider.h>

#include <string>
#include <vector>

#include "fuzz_util.h"
#include "stream_pipeline.h"

namespace {

using cg::fuzz::UpstreamEvent;

// A JSON string token: fuzzed bytes escaped (controls as \u00XX, other bytes as they are, so
// invalid UTF-8 passes through as from a real upstream), or one of a few tricky escapes.
void str(std::string& out, FuzzedDataProvider& p) {
  static const char* const kTricky[] = {"\\\"",           "\\n",     "\\\\", "\\u00e9",
                                        "\\ud83d\\ude00", "\\ud800", "\\/",  "\\u0000",
                                        "{\\\"a\\\":",    "1}"};
  out.push_back('"');
  if (p.ConsumeIntegralInRange<int>(0, 7) == 0) {
    out.append(kTricky[p.ConsumeIntegralInRange<size_t>(0, std::size(kTricky) - 1)]);
  } else {
    for (unsigned char c : p.ConsumeRandomLengthString(24)) {
      if (c == '"' || c == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c < 0x20) {
        static const char kHex[] = "0123456789abcdef";
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
  }
  out.push_back('"');
}

void num(std::string& out, FuzzedDataProvider& p) {
  switch (p.ConsumeIntegralInRange<int>(0, 5)) {
    case 0:
      out.append("-1");
      break;
    case 1:
      out.append("1.5");
      break;
    case 2:
      // The largest count: the decoders clamp it (see translate/json_util.h clamp_count).
      out.append("9223372036854775807");
      break;
    case 3:
      out.append("null");
      break;
    default:
      out.append(std::to_string(p.ConsumeIntegralInRange<int>(0, 3)));
  }
}

// The id/name strings come from a small set so that events refer to each other.
void pick(std::string& out, FuzzedDataProvider& p, std::initializer_list<const char*> set) {
  const size_t i = p.ConsumeIntegralInRange<size_t>(0, set.size());
  if (i == set.size()) {
    str(out, p);
    return;
  }
  out.push_back('"');
  out.append(set.begin()[i]);
  out.push_back('"');
}

void usage(std::string& out, FuzzedDataProvider& p, bool responses) {
  out.append(responses ? R"({"input_tokens":)" : R"({"prompt_tokens":)");
  num(out, p);
  out.append(responses ? R"(,"output_tokens":)" : R"(,"completion_tokens":)");
  num(out, p);
  out.append(responses ? R"(,"input_tokens_details":{"cached_tokens":)"
                       : R"(,"prompt_tokens_details":{"cached_tokens":)");
  num(out, p);
  out.append(responses ? R"(},"output_tokens_details":{"reasoning_tokens":)"
                       : R"(},"completion_tokens_details":{"reasoning_tokens":)");
  num(out, p);
  out.append("}}");
}

UpstreamEvent chat_chunk(FuzzedDataProvider& p) {
  const int kind = p.ConsumeIntegralInRange<int>(0, 15);
  if (kind == 0) return {"", "[DONE]"};
  if (kind == 1) return {"", p.ConsumeRandomLengthString(64)};
  std::string d = R"({"id":"chatcmpl-fuzz","object":"chat.completion.chunk","model":"gpt-4o",)";
  if (kind == 2) {
    d.append(R"("error":{"message":)");
    str(d, p);
    d.append("}}");
    return {"", d};
  }
  d.append(R"("choices":[)");
  const int choices = kind == 3 ? 0 : p.ConsumeIntegralInRange<int>(1, 2);
  for (int c = 0; c < choices; ++c) {
    if (c) d.push_back(',');
    d.append(R"({"index":)");
    d.append(std::to_string(p.ConsumeIntegralInRange<int>(0, 4) == 0 ? 1 : 0));
    d.append(R"(,"delta":{)");
    const unsigned fields = p.ConsumeIntegral<uint8_t>();
    bool first = true;
    auto key = [&](const char* k) {
      if (!first) d.push_back(',');
      first = false;
      d.append(k);
    };
    if (fields & 1) {
      key(R"("role":"assistant")");
    }
    if (fields & 2) {
      key(R"("content":)");
      str(d, p);
    }
    if (fields & 4) {
      key(R"("reasoning_text":)");
      str(d, p);
    }
    if (fields & 8) {
      key(R"("reasoning_opaque":)");
      str(d, p);
    }
    if (fields & 16) {
      key(R"("tool_calls":[)");
      const int calls = p.ConsumeIntegralInRange<int>(1, 2);
      for (int k = 0; k < calls; ++k) {
        if (k) d.push_back(',');
        d.append(R"({"index":)");
        d.append(std::to_string(p.ConsumeIntegralInRange<int>(0, 2)));
        if (p.ConsumeBool()) {
          d.append(R"(,"id":)");
          pick(d, p, {"call_a", "call_b", ""});
          d.append(R"(,"type":"function")");
        }
        d.append(R"(,"function":{"arguments":)");
        str(d, p);
        if (p.ConsumeBool()) {
          d.append(R"(,"name":)");
          pick(d, p, {"get_weather", "run"});
        }
        d.append("}}");
      }
      d.push_back(']');
    }
    d.push_back('}');
    if (fields & 32) {
      d.append(R"(,"finish_reason":)");
      pick(d, p, {"stop", "length", "tool_calls", "content_filter"});
    } else if (fields & 64) {
      d.append(R"(,"finish_reason":null)");
    }
    d.push_back('}');
  }
  d.push_back(']');
  if (kind == 3 || p.ConsumeIntegralInRange<int>(0, 9) == 0) {
    d.append(R"(,"usage":)");
    usage(d, p, false);
  }
  d.push_back('}');
  return {"", d};
}

void item(std::string& d, FuzzedDataProvider& p, bool done) {
  const int type = p.ConsumeIntegralInRange<int>(0, 3);
  d.append(R"("item":{"id":)");
  pick(d, p, {"msg_1", "fc_1", "rs_1", "rs_2", ""});
  if (type == 0) {
    d.append(R"(,"type":"message","role":"assistant","status":"completed","content":[)");
    if (done) {
      d.append(R"({"type":"output_text","text":)");
      str(d, p);
      d.append(R"(,"annotations":[]})");
    }
    d.push_back(']');
  } else if (type == 1) {
    d.append(R"(,"type":"function_call","call_id":)");
    pick(d, p, {"call_a", "call_b", ""});
    d.append(R"(,"name":)");
    pick(d, p, {"get_weather", "run"});
    d.append(R"(,"arguments":)");
    str(d, p);
  } else if (type == 2) {
    d.append(R"(,"type":"reasoning","summary":[)");
    if (done && p.ConsumeBool()) {
      d.append(R"({"type":"summary_text","text":)");
      str(d, p);
      d.push_back('}');
    }
    d.push_back(']');
    if (p.ConsumeBool()) {
      d.append(R"(,"encrypted_content":)");
      str(d, p);
    }
  } else {
    d.append(R"(,"type":"web_search_call","status":"completed")");
  }
  d.push_back('}');
}

UpstreamEvent responses_event(FuzzedDataProvider& p) {
  static const char* const kTypes[] = {
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.output_item.done",
      "response.output_text.delta",
      "response.function_call_arguments.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_part.added",
      "response.completed",
      "response.incomplete",
      "response.failed",
      "error",
      "response.output_item.added",  // (more likely)
      "response.output_text.delta",
  };
  const size_t kind = p.ConsumeIntegralInRange<size_t>(0, std::size(kTypes));
  if (kind == std::size(kTypes))
    return {p.ConsumeRandomLengthString(16), p.ConsumeRandomLengthString(64)};
  const std::string type = kTypes[kind];
  std::string d = R"({"type":")" + type + R"(","sequence_number":)" + std::to_string(kind);
  auto output_index = [&] {
    d.append(R"(,"output_index":)");
    d.append(std::to_string(p.ConsumeIntegralInRange<int>(0, 3)));
  };
  if (type == "response.created" || type == "response.in_progress" ||
      type == "response.completed" || type == "response.incomplete" || type == "response.failed") {
    d.append(R"(,"response":{"id":)");
    pick(d, p, {"resp_up"});
    d.append(R"(,"object":"response","model":"gpt-5","status":)");
    if (type == "response.completed") {
      d.append(R"("completed")");
    } else if (type == "response.incomplete") {
      d.append(R"("incomplete","incomplete_details":{"reason":)");
      pick(d, p, {"max_output_tokens", "content_filter"});
      d.push_back('}');
    } else if (type == "response.failed") {
      d.append(R"("failed","error":{"code":)");
      str(d, p);
      d.append(R"(,"message":)");
      str(d, p);
      d.push_back('}');
    } else {
      d.append(R"("in_progress")");
    }
    if (p.ConsumeBool()) {
      d.append(R"(,"usage":)");
      usage(d, p, true);
    }
    d.append("}");
  } else if (type == "response.output_item.added" || type == "response.output_item.done") {
    output_index();
    d.push_back(',');
    item(d, p, type == "response.output_item.done");
  } else if (type == "error") {
    d.append(R"(,"code":)");
    str(d, p);
    d.append(R"(,"message":)");
    str(d, p);
    d.append(R"(,"param":null)");
  } else {
    output_index();
    d.append(R"(,"item_id":)");
    pick(d, p, {"msg_1", "fc_1", "rs_1"});
    if (type == "response.reasoning_summary_text.delta" ||
        type == "response.reasoning_summary_part.added") {
      d.append(R"(,"summary_index":)");
      d.append(std::to_string(p.ConsumeIntegralInRange<int>(0, 2)));
    } else {
      d.append(R"(,"content_index":0)");
    }
    d.append(R"(,"delta":)");
    str(d, p);
  }
  d.push_back('}');
  return {p.ConsumeBool() ? type : std::string(), d};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider p(data, size);
  const bool responses = p.ConsumeBool();
  const bool broken = p.ConsumeIntegralInRange<int>(0, 7) == 0;
  const size_t break_after = p.ConsumeIntegralInRange<size_t>(0, 40);
  std::vector<UpstreamEvent> events;
  while (p.remaining_bytes() > 0 && events.size() < 200)
    events.push_back(responses ? responses_event(p) : chat_chunk(p));
  cg::fuzz::run_pipelines(events, {broken, break_after});
  return 0;
}
