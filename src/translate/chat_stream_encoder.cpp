// See chat_stream_encoder.h.
#include "translate/chat_stream_encoder.h"

#include "core/json_escape.h"
#include "wire/openai/errors.h"

namespace cg::translate {

using namespace std::string_view_literals;

ChatStreamEncoder::ChatStreamEncoder(ChatEnvelope env, bool include_usage)
    : env_(std::move(env)), include_usage_(include_usage) {
  head_.append(R"(data: {"id":)"sv);
  append_json_string(head_, env_.id);
  head_.append(R"(,"object":"chat.completion.chunk","created":)"sv);
  head_.append(std::to_string(env_.created));
  head_.append(R"(,"model":)"sv);
  append_json_string(head_, env_.model);
  head_.append(R"(,"choices":[)"sv);
}

void ChatStreamEncoder::open_chunk(std::string& out) const {
  out.append(head_);
  out.append(R"({"index":0,"delta":)"sv);
}

void ChatStreamEncoder::close_chunk(std::string& out, std::string_view finish_reason) const {
  out.append(R"(,"logprobs":null,"finish_reason":)"sv);
  if (finish_reason.empty()) {
    out.append("null"sv);
  } else {
    out.push_back('"');
    out.append(finish_reason);
    out.push_back('"');
  }
  out.append("}]"sv);
  if (include_usage_) out.append(R"(,"usage":null)"sv);
  out.append("}\n\n"sv);
}

void ChatStreamEncoder::start(std::string& out) {
  if (started_) return;
  started_ = true;
  open_chunk(out);
  out.append(R"({"role":"assistant","content":""})"sv);
  close_chunk(out);
}

void ChatStreamEncoder::delta_string(std::string& out, std::string_view field,
                                     std::string_view escaped, std::string_view suffix) const {
  open_chunk(out);
  out.append("{\""sv);
  out.append(field);
  out.append("\":\""sv);
  out.append(escaped);
  out.append(suffix);
  out.append("\"}"sv);
  close_chunk(out);
}

int ChatStreamEncoder::call_index(int key) const {
  for (size_t i = calls_.size(); i-- > 0;)
    if (calls_[i].key == key) return static_cast<int>(i);
  return -1;
}

void ChatStreamEncoder::on(const StreamEvent& e, std::string& out) {
  if (finished_) return;
  start(out);
  using K = StreamEvent::Kind;
  switch (e.kind) {
    case K::kStart:
    case K::kRedacted:  // Anthropic's opaque thinking has no chat form
      return;
    case K::kText:
      if (!e.text.empty()) delta_string(out, "content", e.text);
      return;
    case K::kThinking:
      if (!e.text.empty()) delta_string(out, "reasoning_text", e.text);
      return;
    case K::kSignature:
      if (!e.text.empty()) delta_string(out, "reasoning_opaque", e.text);
      return;
    case K::kReasoningItem:
      // Only an item with encrypted content can be replayed; "@<id>" names the item.
      if (!e.text.empty()) {
        std::string suffix;
        if (!e.id.empty()) suffix.append("@"sv).append(e.id);
        delta_string(out, "reasoning_opaque", e.text, suffix);
      }
      return;
    case K::kToolCall: {
      const size_t n = calls_.size();
      calls_.push_back(Call{e.index});
      open_chunk(out);
      out.append(R"({"tool_calls":[{"index":)"sv);
      out.append(std::to_string(n));
      out.append(R"(,"id":")"sv);
      if (e.id.empty()) {
        std::string_view token = env_.id;
        if (token.starts_with("chatcmpl-")) token.remove_prefix(9);
        out.append("call_"sv);
        append_json_escaped(out, token);
        out.push_back('_');
        out.append(std::to_string(n));
      } else {
        out.append(e.id);
      }
      out.append(R"(","type":"function","function":{"name":")"sv);
      out.append(e.name);
      out.append(R"(","arguments":""}}]})"sv);
      close_chunk(out);
      return;
    }
    case K::kToolArgs: {
      const int index = call_index(e.index);
      if (index < 0 || e.text.empty()) return;
      open_chunk(out);
      out.append(R"({"tool_calls":[{"index":)"sv);
      out.append(std::to_string(index));
      out.append(R"(,"function":{"arguments":")"sv);
      out.append(e.text);
      out.append("\"}}]}"sv);
      close_chunk(out);
      return;
    }
    case K::kFinish:
      if (finish_ == FinishReason::kNone || e.finish == FinishReason::kToolCalls)
        finish_ = e.finish;
      return;
    case K::kUsage:
      if (e.usage) usage_ = *e.usage;
      return;
  }
}

void ChatStreamEncoder::finish(std::string& out) {
  if (finished_) return;
  start(out);
  finished_ = true;
  open_chunk(out);
  out.append("{}"sv);
  close_chunk(out, chat_finish_reason(finish_, !calls_.empty()));
  if (include_usage_ && usage_.known) {
    out.append(head_);
    out.append(R"(],"usage":)"sv);
    append_chat_usage(out, usage_);
    out.append("}\n\n"sv);
  }
  out.append("data: [DONE]\n\n"sv);
}

void ChatStreamEncoder::fail(const ApiError& e, std::string& out) {
  if (finished_) return;
  finished_ = true;
  out.append(wire::openai::error_event(e));
}

}  // namespace cg::translate
