// Exchange: one request being answered on a simulator connection, handed to the route handlers,
// plus the handler signatures and small request helpers. Worker-thread only (the connection's).
#pragma once
#include <string>
#include <string_view>

#include "asio_impl/net.h"
#include "h1/request.h"
#include "sim/http_reply.h"
#include "sim/state.h"

namespace cg::sim {

using Request = h1::Request;

struct Exchange {
  tcp::socket& socket;
  const Request& req;
  State& state;
  std::string& out;      // sync handlers put the complete response here; the session sends it
  std::string& scratch;  // reusable per-connection buffer for handler use
  bool keep_alive = true;
};

// Fills ex.out with a complete response.
using SyncHandler = void (*)(Exchange&);
// Writes its own response (ex.out left empty, or a complete response the session still sends);
// returns false when the connection must be closed.
using AsyncHandler = Task<bool> (*)(Exchange&);

// JSON reply into ex.out.
inline void reply(Exchange& ex, int status, std::string_view body,
                  std::string_view extra_headers = {}) {
  append_response(ex.out, status, kJson, body, ex.keep_alive, extra_headers);
}

// The credential of `Authorization: token X` or `Authorization: Bearer X` (scheme
// case-insensitive); empty when absent.
std::string_view auth_credential(const Request& req);

// A named parameter from a JSON body, a form-urlencoded body or the query string; empty when
// absent. Values are returned decoded.
std::string body_param(const Request& req, std::string_view name);

// The request target without its query string.
std::string_view target_path(const Request& req);

}  // namespace cg::sim
