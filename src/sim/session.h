// One simulator connection: reads HTTP/1.1 requests (keep-alive), routes them and writes the
// answers. Runs on the worker thread that accepted the socket, for the socket's lifetime.
#pragma once
#include "asio_impl/net.h"
#include "sim/state.h"

namespace cg::sim {

Task<void> serve_connection(tcp::socket socket, State& state);

}  // namespace cg::sim
