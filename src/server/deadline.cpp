// See deadline.h. Worker thread only.
#include "server/deadline.h"

#include <algorithm>

#include "upstream/stream.h"

namespace cg::server {

Deadline::Deadline(tcp::socket& client, std::chrono::milliseconds granularity)
    : state_(std::make_shared<State>(client, std::max(granularity, std::chrono::milliseconds(1)))) {
}

Deadline::~Deadline() {
  state_->client = nullptr;
  state_->upstream = nullptr;
  if (state_->armed) state_->timer.cancel();
}

void Deadline::arm(const std::shared_ptr<State>& s) {
  s->armed = true;
  s->wakes_at = std::min(s->at, Clock::now() + s->granularity);
  const uint64_t generation = ++s->generation;
  s->timer.expires_at(s->wakes_at);  // cancels an older wait, if any
  s->timer.async_wait([s, generation](error_code ec) { on_timer(s, generation, ec); });
}

void Deadline::on_timer(const std::shared_ptr<State>& s, uint64_t generation, error_code ec) {
  if (generation != s->generation) return;  // superseded by a later arm()
  s->armed = false;
  if (ec || !s->client || s->at == Clock::time_point::max()) return;
  if (Clock::now() < s->at) {
    arm(s);
    return;
  }
  s->expired = true;
  s->at = Clock::time_point::max();
  error_code ignored;
  s->client->cancel(ignored);
  if (s->upstream) s->upstream->close();
}

}  // namespace cg::server
