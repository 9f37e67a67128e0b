// UpstreamCall: one request to the Copilot API from a worker: send the request, wait for the
// response header under the first-byte timeout, then read the body whole or relay it in pieces.
// A pooled connection that fails before any response byte is retried once on a fresh one.
// Worker thread only.
#pragma once
#include <chrono>
#include <memory>
#include <string>

#include "accounts/shared_pool.h"
#include "asio_impl/net.h"
#include "core/result.h"
#include "h1/response.h"
#include "server/deadline.h"
#include "upstream/client.h"

namespace cg::server {

class Worker;

struct UpstreamCall {
  UpstreamCall(upstream::Lease l, Deadline& d)
      : lease(std::move(l)), deadline(d), parser(lease->response()) {
    parser.header_limit(64 * 1024);
    parser.body_limit(boost::none);
  }
  ~UpstreamCall() { unwatch(); }
  UpstreamCall(const UpstreamCall&) = delete;
  UpstreamCall& operator=(const UpstreamCall&) = delete;
  upstream::Lease lease;
  Deadline& deadline;         // the client connection's: bounds every wait on this call
  h1::ResponseParser parser;  // reads this call's response: head first, then the body
  // The pool account this call runs on: reported to the pool when the call ends (success unless
  // a relay marked the stream broken with account.fail()).
  accounts::AccountAttempt account;
  std::chrono::steady_clock::time_point sent_at;
  double ttfb_s = 0;

  // The response head (valid once the call started).
  const h1::Response& head() { return parser.get(); }
  int status() { return parser.get().status(); }
  // Stops the deadline from closing this connection (before it is pooled or dropped).
  void unwatch() {
    if (lease) deadline.unwatch_upstream(&lease->stream());
  }
  // The response was read completely: the connection goes back to the pool when the upstream
  // allows it (otherwise the lease closes it when the call ends).
  void finish() {
    unwatch();
    if (parser.get().keep_alive()) lease.release_to_pool();
    account.end();  // the account is free for the next request now, not when this call dies
  }
};

// What to send. The header block is written by hand (no Beast serializer on the hot path): the
// request line, Host, Content-Length and Connection are added here; `headers` holds the rest
// as "name: value\r\n" lines. The body is only referenced, so it can be resent.
struct UpstreamRequest {
  std::string_view method = "POST";
  std::string_view base_path;  // the target's base path ("" or e.g. "/api"), then
  std::string_view path;       // the endpoint path ("/chat/completions")
  std::string_view headers;    // "name: value\r\n" lines
  std::string_view body;
  uint16_t egress = 0;  // the worker's upstream client (egress group) to use
};

// Sends the request to `target` and reads the response header, the wait bounded by `deadline`
// (first-byte timeout). Errors: 502 (connect, TLS, reset), 504 (connect or first-byte timeout).
Task<Result<std::unique_ptr<UpstreamCall>>> start_upstream_call(Worker& w, Deadline& deadline,
                                                                const upstream::Target& target,
                                                                const UpstreamRequest& req);

// Reads the complete response body (bounded by `limit` bytes). Returns the connection to the
// pool when possible (the head stays readable until the call is destroyed or released).
Task<Result<std::string>> read_upstream_body(Worker& w, UpstreamCall& call, uint64_t limit);

}  // namespace cg::server
