// RequestContext: what a handler gets for one client request, and what it reports back for the
// access log and metrics. Lives on the worker thread that owns the connection.
#pragma once
#include <chrono>
#include <string>

#include "asio_impl/net.h"
#include "h1/request.h"
#include "server/deadline.h"
#include "server/router.h"

namespace cg::server {

class Worker;

// The API dialect a request speaks: errors are rendered in its shape.
enum class ApiFormat : uint8_t { kOpenAI, kAnthropic };

struct RequestContext {
  Worker& worker;
  tcp::socket& socket;         // the client connection
  Deadline& deadline;          // its timer: set before each client or upstream wait
  beast::flat_buffer& buffer;  // the client read buffer (bytes of a pipelined next request)
  h1::Request& req;
  RouteMatch route;
  std::string request_id;
  std::chrono::steady_clock::time_point start;

  uint64_t bytes_in = 0;
  ApiFormat format = ApiFormat::kOpenAI;  // the shape of error bodies

  // Reported by the handler.
  int status = 0;
  bool keep_alive = true;  // false once the connection must close
  std::string model;
  std::string_view initiator;
  bool stream_mode = false;
  uint64_t bytes_out = 0;
  int upstream_status = 0;
  std::string_view account;  // the pool account that served it (its alias or id), if any
  int failovers = 0;         // account switches before it was served
  double ttfb_s = -1;        // upstream time to first byte
  int64_t prompt_tokens = -1, completion_tokens = -1;
  std::string error;  // short reason for the log when status >= 400
};

}  // namespace cg::server
