// See api_common.h.
#include "sim/api_common.h"

#include <algorithm>
#include <chrono>

#include "core/ids.h"

namespace cg::sim {
namespace {

void reply_fault(Exchange& ex, const Fault& f, ErrorShape shape) {
  const int status = f.status;
  const std::string message = "simulated " + std::to_string(status);
  std::string& b = ex.scratch;
  b.clear();
  if (shape == ErrorShape::kAnthropic) {
    append_anthropic_error(b, anthropic_error_type(status), message);
  } else {
    std::string_view type = "invalid_request_error", code = "simulated_error";
    if (status == 429) {
      type = "rate_limit_error";
      code = "rate_limited";
    } else if (status >= 500) {
      type = "server_error";
      code = "server_error";
    } else if (status == 402) {
      code = "quota_exceeded";
    } else if (status == 401) {
      code = "token_expired";
    }
    append_openai_error(b, message, type, code);
  }
  std::string extra;
  if (f.retry_after_s > 0) extra = "retry-after: " + std::to_string(f.retry_after_s) + "\r\n";
  if (status == 429) extra += "x-ratelimit-exceeded: simulated\r\n";
  reply(ex, status, b, extra);
}

constexpr std::string_view kQuotaMessage =
    "You have exceeded your premium request allowance. Enable additional paid premium requests "
    "to continue using premium models.";
// /v1/messages errors lead with the code.
constexpr std::string_view kQuotaMessageAnthropic =
    "quota_exceeded: You have exceeded your premium request allowance. Enable additional paid "
    "premium requests to continue using premium models.";

void reply_quota_exceeded(Exchange& ex, const Quota& q, ErrorShape shape) {
  std::string& b = ex.scratch;
  b.clear();
  if (shape == ErrorShape::kAnthropic) {
    append_anthropic_error(b, anthropic_error_type(402), kQuotaMessageAnthropic);
  } else {
    append_openai_error(b, kQuotaMessage, "invalid_request_error", "quota_exceeded");
  }
  reply(ex, 402, b, answer_headers(shape, &q));
}

// The fault status the request's own overrides set (directives win over the header); -1: none.
int requested_status(const Overrides* header, const Overrides* prompt) {
  int status = -1;
  for (const Overrides* o : {header, prompt})
    if (o != nullptr && o->status) status = std::max(0, *o->status);
  return status;
}

// "name:value\n" per header, names lower-cased, into `out`.
void header_block(const Request& req, std::string& out) {
  out.clear();
  req.fields().for_each([&](std::string_view name, std::string_view value) {
    const size_t at = out.size();
    out.append(name).append(":").append(value).append("\n");
    for (size_t i = at; i < at + name.size(); ++i)
      if (out[i] >= 'A' && out[i] <= 'Z') out[i] = static_cast<char>(out[i] + 32);
  });
}

Task<void> sleep_ms(int ms) {
  net::steady_timer timer(co_await net::this_coro::executor);
  timer.expires_after(std::chrono::milliseconds(ms));
  co_await timer.async_wait(use_nothrow);
}

Task<bool> write_out(Exchange& ex) {
  auto [ec, n] = co_await net::async_write(ex.socket, net::buffer(ex.out), use_nothrow);
  ex.out.clear();
  co_return !ec;
}

void close_socket(tcp::socket& s) {
  error_code ignored;
  s.shutdown(tcp::socket::shutdown_both, ignored);
  s.close(ignored);
}

}  // namespace

void reply_unauthorized(Exchange& ex, State::Auth auth, ErrorShape shape) {
  std::string_view message = "unauthorized: token expired", code = "token_expired";
  if (auth == State::Auth::kMissing) {
    message = "unauthorized: no token provided";
    code = "unauthorized";
  } else if (auth == State::Auth::kUnknown) {
    message = "unauthorized: invalid token";
    code = "invalid_token";
  }  // otherwise expired or revoked
  std::string& b = ex.scratch;
  b.clear();
  if (shape == ErrorShape::kAnthropic) {
    append_anthropic_error(b, "authentication_error", message);
  } else {
    append_openai_error(b, message, "invalid_request_error", code);
  }
  reply(ex, 401, b);
}

Overrides header_overrides(const Exchange& ex) {
  Overrides header;
  apply_pairs(ex.req["x-sim-fault"], header);
  return header;
}

bool admit(Exchange& ex, const Admission& a, State::AuthResult& auth) {
  header_block(ex.req, ex.scratch);
  State::CompletionInfo info;
  info.endpoint = a.endpoint;
  info.bearer = auth_credential(ex.req);
  info.initiator = ex.req["x-initiator"];
  info.vision = ex.req["copilot-vision-request"] == "true";
  info.header_block = ex.scratch;
  info.body = ex.req.body();
  info.premium = a.premium;
  info.fault_status = requested_status(a.header, a.prompt);
  auth = ex.state.on_completion(info);
  if (auth.auth == State::Auth::kOk) return true;
  reply_unauthorized(ex, auth.auth, a.shape);
  return false;
}

void reply_error(Exchange& ex, const ApiError& e, ErrorShape shape) {
  ex.scratch.clear();
  if (shape == ErrorShape::kAnthropic) {
    append_anthropic_error(ex.scratch, e.type, e.message);
  } else {
    append_openai_error(ex.scratch, e.message, e.type, e.code, e.param);
  }
  reply(ex, e.status, ex.scratch);
}

Behaviour behaviour_for(const Exchange& ex, const Fault& account, const Overrides& header,
                        const Overrides& prompt) {
  return merge_behaviour(account, ex.state.default_stream_chunks(), header, prompt);
}

Task<Gate> fault_gate(Exchange& ex, Behaviour b, bool stream, ErrorShape shape,
                      const State::AuthResult& auth) {
  if (b.fault.first_byte_delay_ms > 0) co_await sleep_ms(b.fault.first_byte_delay_ms);
  if (b.fault.status > 0) {
    reply_fault(ex, b.fault, shape);
    co_return Gate::kDone;
  }
  if (auth.quota_exceeded) {
    reply_quota_exceeded(ex, auth.quota, shape);
    co_return Gate::kDone;
  }
  if (!stream && b.fault.drop_after_chunks >= 0) {  // no events to count: drop before answering
    close_socket(ex.socket);
    co_return Gate::kClosed;
  }
  co_return Gate::kAnswer;
}

std::string answer_headers(ErrorShape shape, const Quota* quota) {
  std::string extra;
  extra.reserve(256);
  extra += "x-request-id: ";
  extra += new_uuid();
  extra += "\r\n";
  if (shape == ErrorShape::kAnthropic) {
    extra += "request-id: ";
    extra += new_token_id("req_", 24);
    extra += "\r\n";
  }
  if (quota != nullptr) append_quota_header(extra, *quota);
  return extra;
}

Task<bool> stream_events(Exchange& ex, Behaviour b, int account, std::string_view events,
                         const std::vector<size_t>& ends, std::string_view extra) {
  const Fault& f = b.fault;
  append_stream_head(ex.out, ex.keep_alive, extra);
  if (f.chunk_delay_ms <= 0 && f.drop_after_chunks < 0) {  // fast path: one write
    size_t start = 0;
    for (size_t end : ends) {
      append_chunk(ex.out, events.substr(start, end - start));
      start = end;
    }
    ex.out += kLastChunk;
    if (co_await write_out(ex)) co_return true;
    ex.state.on_cancelled_stream(account);
    co_return false;
  }
  size_t start = 0;
  for (size_t i = 0; i <= ends.size(); ++i) {
    if (f.drop_after_chunks >= 0 && i == static_cast<size_t>(f.drop_after_chunks)) {
      if (!ex.out.empty()) co_await write_out(ex);  // headers only when dropping after 0
      close_socket(ex.socket);
      co_return false;
    }
    if (i == ends.size()) break;
    if (i > 0 && f.chunk_delay_ms > 0) co_await sleep_ms(f.chunk_delay_ms);
    append_chunk(ex.out, events.substr(start, ends[i] - start));
    start = ends[i];
    if (i + 1 == ends.size()) ex.out += kLastChunk;
    if (!co_await write_out(ex)) {
      ex.state.on_cancelled_stream(account);
      co_return false;
    }
  }
  co_return true;
}

}  // namespace cg::sim
