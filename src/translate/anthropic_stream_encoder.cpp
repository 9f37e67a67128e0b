// See anthropic_stream_encoder.h.
#include "translate/anthropic_stream_encoder.h"

#include <algorithm>

#include "core/json_escape.h"
#include "wire/anthropic/errors.h"

namespace cg::translate {

using namespace std::string_view_literals;

namespace {

void append_int(std::string& out, int64_t v) {
  append_decimal(out, v);
}

void usage_fields(std::string& out, const Usage& u) {
  const int64_t input =
      std::max<int64_t>(0, u.input_tokens - u.cache_read_tokens - u.cache_creation_tokens);
  out.append(R"("input_tokens":)"sv);
  append_int(out, input);
  out.append(R"(,"cache_creation_input_tokens":)"sv);
  append_int(out, u.cache_creation_tokens);
  out.append(R"(,"cache_read_input_tokens":)"sv);
  append_int(out, u.cache_read_tokens);
  out.append(R"(,"output_tokens":)"sv);
  append_int(out, u.output_tokens);
}

}  // namespace

std::string_view anthropic_stop_reason(FinishReason f) {
  switch (f) {
    case FinishReason::kLength:
      return "max_tokens";
    case FinishReason::kToolCalls:
      return "tool_use";
    case FinishReason::kContentFilter:
    case FinishReason::kRefusal:
      return "refusal";
    case FinishReason::kStopSequence:
      return "stop_sequence";
    case FinishReason::kPauseTurn:
      return "pause_turn";
    case FinishReason::kNone:
    case FinishReason::kStop:
      break;
  }
  return "end_turn";
}

void AnthropicStreamEncoder::start(std::string& out) {
  if (started_) return;
  started_ = true;
  out.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":"sv);
  append_json_string(out, id_);
  out.append(R"(,"type":"message","role":"assistant","content":[],"model":)"sv);
  append_json_string(out, model_);
  out.append(R"(,"stop_reason":null,"stop_sequence":null,"usage":{)"sv);
  usage_fields(out, usage_);
  out.append("}}}\n\nevent: ping\ndata: {\"type\":\"ping\"}\n\n"sv);
}

void AnthropicStreamEncoder::open(Open kind, std::string& out, std::string_view id,
                                  std::string_view name) {
  close(out);
  open_ = kind;
  ++index_;
  out.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":"sv);
  append_int(out, index_);
  switch (kind) {
    case Open::kText:
      out.append(R"(,"content_block":{"type":"text","text":""}})"sv);
      // The hot event of a text answer: its head rendered once per block.
      text_head_.assign(
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":");
      append_int(text_head_, index_);
      text_head_.append(R"(,"delta":{"type":"text_delta","text":")"sv);
      break;
    case Open::kThinking:
      signature_sent_ = false;
      out.append(R"(,"content_block":{"type":"thinking","thinking":"","signature":""}})"sv);
      break;
    case Open::kTool:
      any_tool_ = true;
      out.append(R"(,"content_block":{"type":"tool_use","id":")"sv);
      out.append(id);  // already escaped
      out.append(R"(","name":")"sv);
      out.append(name);
      out.append(R"(","input":{}}})"sv);
      break;
    case Open::kNone:
      break;
  }
  out.append("\n\n"sv);
}

void AnthropicStreamEncoder::close(std::string& out) {
  if (open_ == Open::kNone) return;
  const Open was = open_;
  open_ = Open::kNone;
  out.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":"sv);
  append_int(out, index_);
  out.append("}\n\n"sv);
  if (was == Open::kTool) {  // text held while the tool was open: its own block, closed too
    flush_held_text(out);
    close(out);
  }
}

void AnthropicStreamEncoder::flush_held_text(std::string& out) {
  if (held_text_.empty()) return;
  std::string text = std::move(held_text_);
  held_text_.clear();
  open(Open::kText, out);
  out.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"sv);
  append_int(out, index_);
  out.append(R"(,"delta":{"type":"text_delta","text":")"sv);
  out.append(text);
  out.append("\"}}\n\n"sv);
}

void AnthropicStreamEncoder::on(const StreamEvent& e, std::string& out) {
  if (finished_) return;
  using K = StreamEvent::Kind;
  if (e.kind == K::kStart) {
    start(out);
    return;
  }
  start(out);
  switch (e.kind) {
    case K::kText:
      if (open_ == Open::kTool) {
        held_text_.append(e.text);  // blocks never interleave: flushed when the tool closes
        return;
      }
      if (open_ != Open::kText) open(Open::kText, out);
      out.append(text_head_);
      out.append(e.text);
      out.append("\"}}\n\n"sv);
      return;
    case K::kThinking:
      if (open_ != Open::kThinking || signature_sent_) open(Open::kThinking, out);
      out.append(
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"sv);
      append_int(out, index_);
      out.append(R"(,"delta":{"type":"thinking_delta","thinking":")"sv);
      out.append(e.text);
      out.append("\"}}\n\n"sv);
      return;
    case K::kSignature:
      if (open_ != Open::kThinking || signature_sent_) open(Open::kThinking, out);
      out.append(
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"sv);
      append_int(out, index_);
      out.append(R"(,"delta":{"type":"signature_delta","signature":")"sv);
      out.append(e.text);
      out.append("\"}}\n\n"sv);
      signature_sent_ = true;
      return;
    case K::kRedacted:
      close(out);
      ++index_;
      out.append(
          "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":"sv);
      append_int(out, index_);
      out.append(R"(,"content_block":{"type":"redacted_thinking","data":")"sv);
      out.append(e.text);
      out.append(
          "\"}}\n\nevent: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":"sv);
      append_int(out, index_);
      out.append("}\n\n"sv);
      return;
    case K::kToolCall:
      open(Open::kTool, out, e.id, e.name);
      tool_key_ = e.index;
      return;
    case K::kToolArgs:
      // Arguments of a call whose block is no longer open cannot be placed (Anthropic blocks are
      // sequential); upstreams send each call's fragments before the next call starts.
      if (open_ != Open::kTool || e.index != tool_key_) return;
      out.append(
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"sv);
      append_int(out, index_);
      out.append(R"(,"delta":{"type":"input_json_delta","partial_json":")"sv);
      out.append(e.text);
      out.append("\"}}\n\n"sv);
      return;
    case K::kFinish:
      if (finish_ == FinishReason::kNone || e.finish == FinishReason::kToolCalls)
        finish_ = e.finish;
      return;
    case K::kUsage:
      if (e.usage) usage_ = *e.usage;
      return;
    case K::kReasoningItem:
      // A Responses reasoning item: its encrypted content is the thinking block's signature.
      if (!e.text.empty()) {
        // The signature of the thinking just streamed, when one is open and unsigned.
        if (open_ != Open::kThinking || signature_sent_) open(Open::kThinking, out);
        out.append(
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"sv);
        append_int(out, index_);
        out.append(R"(,"delta":{"type":"signature_delta","signature":")"sv);
        out.append(e.text);
        if (!e.id.empty()) out.append("@"sv).append(e.id);  // see from_anthropic_request.cpp
        out.append("\"}}\n\n"sv);
        signature_sent_ = true;
      }
      return;
    case K::kStart:
      return;
  }
}

void AnthropicStreamEncoder::finish(std::string& out) {
  if (finished_) return;
  start(out);
  close(out);
  flush_held_text(out);
  close(out);
  finished_ = true;
  FinishReason f = finish_;
  if (any_tool_ && (f == FinishReason::kStop || f == FinishReason::kNone))
    f = FinishReason::kToolCalls;
  out.append(
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""sv);
  out.append(anthropic_stop_reason(f));
  out.append(R"(","stop_sequence":null},"usage":{)"sv);
  usage_fields(out, usage_);
  out.append("}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"sv);
}

void AnthropicStreamEncoder::fail(const ApiError& e, std::string& out) {
  if (finished_) return;
  finished_ = true;
  out.append(wire::anthropic::error_event(e));
}

}  // namespace cg::translate
