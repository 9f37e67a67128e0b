// See pool.h. Worker thread only.
#include "upstream/pool.h"

#include <algorithm>

namespace cg::upstream::detail {

Pool::Pool(net::any_io_executor ex, std::chrono::milliseconds idle_timeout, size_t max_idle,
           std::chrono::milliseconds trust_idle)
    : idle_timeout_(idle_timeout),
      max_idle_(max_idle),
      trust_idle_(trust_idle),
      timer_(std::move(ex)) {}

Pool::~Pool() {
  close_all();
}

std::unique_ptr<Connection> Pool::take(const std::string& key) {
  auto it = idle_.find(key);
  if (it == idle_.end()) return nullptr;
  auto& list = it->second;
  const auto now = Clock::now();
  while (!list.empty()) {
    Idle entry = std::move(list.back());
    list.pop_back();
    --count_;
    // Probing the socket costs a syscall: a connection idle only briefly is taken on trust (the
    // caller retries once on a fresh connection when a reused one turns out closed).
    const auto idle_for = now - entry.since;
    if (idle_for < idle_timeout_ && (idle_for < trust_idle_ || entry.conn->idle_usable())) {
      entry.conn->set_reused(true);
      return std::move(entry.conn);
    }
    entry.conn->stream().close();
  }
  return nullptr;
}

void Pool::put(std::unique_ptr<Connection> conn) {
  // Unread bytes after a complete response mean the peer is out of step: never reuse that.
  if (closed_ || max_idle_ == 0 || conn->buffer().size() != 0) {
    conn->stream().close();
    return;
  }
  auto& list = idle_[conn->key()];
  if (list.size() >= max_idle_) {  // drop the oldest
    list.front().conn->stream().close();
    list.erase(list.begin());
    --count_;
  }
  const auto now = Clock::now();
  list.push_back(Idle{std::move(conn), now});
  ++count_;
  if (!timer_armed_) arm_timer(now + idle_timeout_);
}

void Pool::close_all() {
  for (auto& [key, list] : idle_) {
    for (auto& entry : list)
      entry.conn->stream().close();
  }
  idle_.clear();
  count_ = 0;
  timer_.cancel();
  timer_armed_ = false;
}

void Pool::arm_timer(Clock::time_point at) {
  timer_armed_ = true;
  timer_.expires_at(at);
  timer_.async_wait([weak = weak_from_this()](error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->on_timer();
  });
}

void Pool::on_timer() {
  timer_armed_ = false;
  const auto now = Clock::now();
  auto next = Clock::time_point::max();
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& list = it->second;
    auto fresh = std::find_if(list.begin(), list.end(),
                              [&](const Idle& e) { return now - e.since < idle_timeout_; });
    for (auto e = list.begin(); e != fresh; ++e)
      e->conn->stream().close();
    count_ -= size_t(fresh - list.begin());
    list.erase(list.begin(), fresh);
    if (list.empty()) {
      it = idle_.erase(it);
    } else {
      next = std::min(next, list.front().since + idle_timeout_);
      ++it;
    }
  }
  if (next != Clock::time_point::max()) arm_timer(next);
}

void Pool::store_session(const std::string& key, SSL_SESSION* session) {
  // A duplicate, because OpenSSL marks the connection's own session object not-resumable when
  // that connection is freed without a TLS shutdown (which is how we close connections).
  SessionPtr copy(SSL_SESSION_dup(session));
  if (!copy || SSL_SESSION_is_resumable(copy.get()) != 1) return;
  auto& list = sessions_[key];
  if (list.size() >= kMaxSessionsPerKey) list.pop_front();
  list.push_back(std::move(copy));
}

SessionPtr Pool::take_session(const std::string& key) {
  auto it = sessions_.find(key);
  if (it == sessions_.end() || it->second.empty()) return nullptr;
  auto& list = it->second;
  if (SSL_SESSION_get_protocol_version(list.back().get()) == TLS1_3_VERSION) {
    SessionPtr s = std::move(list.back());
    list.pop_back();
    return s;
  }
  SSL_SESSION_up_ref(list.back().get());  // TLS 1.2 sessions may be reused many times
  return SessionPtr(list.back().get());
}

}  // namespace cg::upstream::detail
