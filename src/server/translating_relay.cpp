// See translating_relay.h.
#include "server/translating_relay.h"

#include "wire/anthropic/errors.h"
#include "wire/anthropic/usage.h"
#include "wire/openai/responses_events.h"

namespace cg::server {

void AnthropicPassThrough::on_event(const sse::Event& e, std::string& /*out*/) {
  if (e.event == "message_stop") {
    saw_stop_ = true;
  } else if (e.event == "message_start" || e.event == "message_delta") {
    wire::anthropic::read_stream_usage(e.data, ctx_.prompt_tokens, ctx_.completion_tokens);
  }
}

void AnthropicPassThrough::on_end(std::string& out) {
  if (saw_stop_) return;
  out.append(wire::anthropic::error_event(
      ApiError::bad_gateway("The Copilot API stream ended before message_stop.")));
}

void AnthropicPassThrough::on_fail(const ApiError& e, std::string& out) {
  out.append(wire::anthropic::error_event(e));
}

bool AnthropicPassThrough::wants_data(std::string_view event) const {
  return event == "message_start" || event == "message_delta";
}

namespace {
bool is_terminal(std::string_view type) {
  return type == "response.completed" || type == "response.incomplete" || type == "response.failed";
}
}  // namespace

void ResponsesPassThrough::on_event(const sse::Event& e, std::string& /*out*/) {
  if (e.is_comment_only) return;
  ++events_;
  if (is_terminal(e.event)) {
    saw_terminal_ = true;
    wire::openai::read_responses_usage(e.data, ctx_.prompt_tokens, ctx_.completion_tokens);
  }
}

bool ResponsesPassThrough::wants_data(std::string_view event) const {
  return is_terminal(event);
}

void ResponsesPassThrough::on_end(std::string& out) {
  if (saw_terminal_) return;
  out.append(wire::openai::responses_error_event(
      ApiError::bad_gateway("The Copilot API stream ended before response.completed."), events_));
}

void ResponsesPassThrough::on_fail(const ApiError& e, std::string& out) {
  out.append(wire::openai::responses_error_event(e, events_));
}

}  // namespace cg::server
