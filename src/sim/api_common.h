// Plumbing shared by the Copilot API handlers (/chat/completions, /responses, /v1/messages,
// /embeddings): admission (auth + premium quota + stats), error, fault and quota replies in the
// endpoint's error shape, the first-byte delay and SSE streaming with chunk delays and drops.
// Worker-thread only.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/api_error.h"
#include "sim/catalog.h"
#include "sim/exchange.h"
#include "sim/fault_spec.h"

namespace cg::sim {

// Error bodies: OpenAI `{error:{message,type,code,param}}` or Anthropic `{type:"error",...}`.
enum class ErrorShape { kOpenAI, kAnthropic };

// The request's x-sim-fault header, parsed.
Overrides header_overrides(const Exchange& ex);

// What admission needs to know about the request besides its headers.
struct Admission {
  Endpoint endpoint = Endpoint::kChatCompletions;
  ErrorShape shape = ErrorShape::kOpenAI;
  double premium = 0;                 // the model's multiplier when the request is valid, else 0
  const Overrides* header = nullptr;  // header_overrides()
  const Overrides* prompt = nullptr;  // the directives of a valid request
};

// Authorizes the request, charges its premium cost (unless a fault status will answer it) and
// records it in the account's stats (endpoint, X-Initiator, Copilot-Vision-Request, headers,
// body). When the bearer is not valid, answers 401 and returns false. When the quota is exhausted
// auth.quota_exceeded is set: fault_gate answers 402.
bool admit(Exchange& ex, const Admission& a, State::AuthResult& auth);

// Answers 401 for a bearer that is missing, unknown, expired or revoked.
void reply_unauthorized(Exchange& ex, State::Auth auth, ErrorShape shape);

// Answers `e` (a validation error) in `shape`.
void reply_error(Exchange& ex, const ApiError& e, ErrorShape shape);

// The request's behaviour: the account fault, the x-sim-fault header, then `prompt` directives.
Behaviour behaviour_for(const Exchange& ex, const Fault& account, const Overrides& header,
                        const Overrides& prompt);

// What a handler does after fault_gate.
enum class Gate {
  kAnswer,  // go on and answer
  kDone,    // a faulted status (or 402 quota_exceeded) was answered
  kClosed,  // the connection was closed on purpose (drop_after on a non-streaming request)
};
// Waits first_byte_delay_ms, then answers a faulted status in `shape`, or 402 quota_exceeded
// when admission refused the request, or closes the connection of a non-streaming request that
// has drop_after set.
Task<Gate> fault_gate(Exchange& ex, Behaviour b, bool stream, ErrorShape shape,
                      const State::AuthResult& auth);

// Extra response headers for an answer: x-request-id (and request-id for Anthropic), and the
// premium quota snapshot when `quota` is given.
std::string answer_headers(ErrorShape shape, const Quota* quota = nullptr);

// Streams `events` (ends[i] = end offset of event i) as HTTP chunks, honouring chunk delays and
// drop_after. Returns false when the connection is gone or was dropped on purpose.
Task<bool> stream_events(Exchange& ex, Behaviour b, int account, std::string_view events,
                         const std::vector<size_t>& ends, std::string_view extra);

// The shape every planned endpoint shares (/v1/messages, /responses): admission, the plan of the
// answer, faults, then the answer whole or as SSE events. `Api` supplies the endpoint's pieces:
//   static constexpr Endpoint kEndpoint; static constexpr ErrorShape kShape;
//   static constexpr size_t kFixedEvents;  // events besides the `chunks` text deltas
//   static Result<Plan> plan(std::string_view body, const Catalog&);
//   static Ids ids(const Plan&);
//   static void render(const Plan&, const Ids&, std::string& out);
//   static void render_stream(const Plan&, const Ids&, int chunks, std::string& out,
//                             std::vector<size_t>& ends);
template <class Api>
Task<bool> serve_planned(Exchange& ex) {
  // Planned before admission (which still answers 401 first) so that admission can charge the
  // model's premium cost in the same locked step that records the stats.
  auto plan = Api::plan(ex.req.body(), Catalog::instance());
  const Overrides header = header_overrides(ex);
  State::AuthResult auth;
  const Admission admission{Api::kEndpoint, Api::kShape, plan ? plan->multiplier : 0, &header,
                            plan ? &plan->overrides : nullptr};
  if (!admit(ex, admission, auth)) co_return true;
  if (!plan) {
    reply_error(ex, plan.error(), Api::kShape);
    co_return true;
  }
  const Behaviour b = behaviour_for(ex, auth.fault, header, plan->overrides);
  switch (co_await fault_gate(ex, b, plan->stream, Api::kShape, auth)) {
    case Gate::kDone:
      co_return true;
    case Gate::kClosed:
      co_return false;
    case Gate::kAnswer:
      break;
  }
  const auto ids = Api::ids(*plan);
  const std::string extra = answer_headers(Api::kShape, &auth.quota);
  ex.scratch.clear();
  if (!plan->stream) {
    Api::render(*plan, ids, ex.scratch);
    reply(ex, 200, ex.scratch, extra);
    co_return true;
  }
  std::vector<size_t> ends;
  ends.reserve(static_cast<size_t>(b.chunks) + Api::kFixedEvents);
  Api::render_stream(*plan, ids, b.chunks, ex.scratch, ends);
  co_return co_await stream_events(ex, b, auth.account, ex.scratch, ends, extra);
}

}  // namespace cg::sim
