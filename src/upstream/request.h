// request(): one small buffered HTTP exchange over a pooled connection, for control-plane calls
// (token exchange, /models, quota). Not for the streaming path. Worker thread only (the Client's).
#pragma once
#include <chrono>
#include <string>

#include "asio_impl/net.h"
#include "core/result.h"
#include "upstream/client.h"
#include "upstream/target.h"

namespace cg::upstream {

struct SimpleResponse {
  int status = 0;
  http::fields headers;
  std::string body;
};

// Largest response body request() accepts (502 beyond).
inline constexpr uint64_t kSimpleBodyLimit = 16ull * 1024 * 1024;

// Sends req (its target is sent as is: build it with Target::path) after setting Host,
// keep-alive and Content-Length; reads the whole response within `timeout` (write + read). The
// connection goes back to the pool when the response allows keep-alive. A reused connection that
// fails before any response byte is retried once on a fresh connection. Any HTTP status is a
// success here; errors are 502 (I/O, bad response) or 504 (timeout).
Task<Result<SimpleResponse>> request(Client& client, const Target& target,
                                     http::request<http::string_body> req,
                                     std::chrono::milliseconds timeout);

}  // namespace cg::upstream
