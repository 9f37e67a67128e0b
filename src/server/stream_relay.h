// Relaying an upstream SSE stream to the client as it arrives, through a RelayHandler that
// decides what each upstream event becomes for the client: the same bytes (pass-through, forwarded
// by the relay itself) or the events of another wire format (a translator). All complete events of
// one upstream read go out in one client write (HTTP chunk); the StreamGuard handles client
// hang-ups and idle upstreams; an upstream failure mid-stream becomes the handler's error event and
// a clean chunked end. Worker thread only.
#pragma once
#include <string>
#include <string_view>

#include "core/api_error.h"
#include "server/request_context.h"
#include "server/upstream_call.h"
#include "sse/framer.h"

namespace cg::server {

class RelayHandler {
 public:
  virtual ~RelayHandler() = default;
  // True when the client gets the upstream's bytes unchanged. The relay then forwards them itself
  // (sse::Forwarder: events larger than 16 KB stream through instead of being held whole) and
  // on_event only observes: it must not append the event.
  virtual bool forwards_bytes() const { return false; }
  // For a forwarding handler: whether on_event needs the data of a large event of this name.
  virtual bool wants_data(std::string_view event) const {
    (void)event;
    return true;
  }
  // One upstream event; appends what the client gets (possibly nothing) to `out`.
  virtual void on_event(const sse::Event& e, std::string& out) = 0;
  // The upstream response ended cleanly.
  virtual void on_end(std::string& out) = 0;
  // The upstream broke off or stalled after the stream started.
  virtual void on_fail(const ApiError& e, std::string& out) = 0;
};

// Relays the started call's stream (status 200) to the client, then returns the connection to
// the pool when the upstream response was read completely.
Task<void> relay_stream(RequestContext& ctx, UpstreamCall& call, RelayHandler& handler);

}  // namespace cg::server
