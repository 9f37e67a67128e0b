// One client connection: reads requests (HTTP/1.1 keep-alive), authenticates, routes to a
// handler, logs and counts each request. Runs as a coroutine on the worker that accepted it and
// never leaves that thread.
#pragma once
#include "asio_impl/net.h"

namespace cg::server {

class Worker;

Task<void> run_session(Worker& worker, tcp::socket socket);

}  // namespace cg::server
