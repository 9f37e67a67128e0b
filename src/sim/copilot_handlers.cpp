// See copilot_handlers.h.
#include "sim/copilot_handlers.h"

#include <chrono>
#include <vector>

#include "core/ids.h"
#include "sim/catalog.h"
#include "sim/chat_plan.h"
#include "sim/chat_render.h"

namespace cg::sim {
namespace {

void reply_unauthorized(Exchange& ex, State::Auth auth) {
  std::string& b = ex.scratch;
  b.clear();
  switch (auth) {
    case State::Auth::kMissing:
      append_openai_error(b, "unauthorized: no token provided", "invalid_request_error",
                          "unauthorized");
      break;
    case State::Auth::kUnknown:
      append_openai_error(b, "unauthorized: invalid token", "invalid_request_error",
                          "invalid_token");
      break;
    default:  // expired or revoked
      append_openai_error(b, "unauthorized: token expired", "invalid_request_error",
                          "token_expired");
  }
  reply(ex, 401, b);
}

void reply_fault(Exchange& ex, const Fault& f) {
  const int status = f.status;
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
  std::string& b = ex.scratch;
  b.clear();
  append_openai_error(b, "simulated " + std::to_string(status), type, code);
  std::string extra;
  if (f.retry_after_s > 0) extra = "retry-after: " + std::to_string(f.retry_after_s) + "\r\n";
  if (status == 429) extra += "x-ratelimit-exceeded: simulated\r\n";
  reply(ex, status, b, extra);
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

// Streams `events` (ends[i] = end offset of event i) as HTTP chunks, honouring chunk delays and
// drop_after. Returns false when the connection is gone or was dropped on purpose.
Task<bool> stream_events(Exchange& ex, const Behaviour& b, int account, std::string_view events,
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

}  // namespace

void handle_models(Exchange& ex) {
  const State::AuthResult auth = ex.state.on_models(auth_credential(ex.req));
  if (auth.auth != State::Auth::kOk) return reply_unauthorized(ex, auth.auth);
  reply(ex, 200, Catalog::instance().json());
}

void handle_not_implemented(Exchange& ex) {
  ex.scratch.clear();
  append_openai_error(ex.scratch, "not implemented in simulator", "invalid_request_error",
                      "not_found");
  reply(ex, 404, ex.scratch);
}

Task<bool> handle_chat(Exchange& ex) {
  header_block(ex.req, ex.scratch);
  State::CompletionInfo info;
  info.bearer = auth_credential(ex.req);
  info.initiator = ex.req["x-initiator"];
  info.vision = ex.req["copilot-vision-request"] == "true";
  info.header_block = ex.scratch;
  info.body = ex.req.body();
  const State::AuthResult auth = ex.state.on_completion(info);
  if (auth.auth != State::Auth::kOk) {
    reply_unauthorized(ex, auth.auth);
    co_return true;
  }

  Result<ChatPlan> plan = plan_chat(ex.req.body(), Catalog::instance());
  if (!plan) {
    const ApiError& e = plan.error();
    ex.scratch.clear();
    append_openai_error(ex.scratch, e.message, e.type, e.code, e.param);
    reply(ex, e.status, ex.scratch);
    co_return true;
  }
  Overrides header;
  apply_pairs(ex.req["x-sim-fault"], header);
  const Behaviour b =
      merge_behaviour(auth.fault, ex.state.default_stream_chunks(), header, plan->overrides);

  if (b.fault.first_byte_delay_ms > 0) co_await sleep_ms(b.fault.first_byte_delay_ms);
  if (b.fault.status > 0) {
    reply_fault(ex, b.fault);
    co_return true;
  }
  const RenderIds ids = new_render_ids(*plan);
  std::string extra = "x-request-id: ";
  extra += new_uuid();
  extra += "\r\n";
  ex.scratch.clear();
  if (!plan->stream) {
    if (b.fault.drop_after_chunks >= 0) {  // no events to count: drop before answering
      close_socket(ex.socket);
      co_return false;
    }
    render_completion(*plan, ids, ex.scratch);
    reply(ex, 200, ex.scratch, extra);
    co_return true;
  }
  std::vector<size_t> ends;
  ends.reserve(b.chunks + 16);
  render_stream(*plan, ids, b.chunks, b.usage_on_finish, ex.scratch, ends);
  co_return co_await stream_events(ex, b, auth.account, ex.scratch, ends, extra);
}

}  // namespace cg::sim
