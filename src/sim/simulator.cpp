// See simulator.h. Each worker owns an io_context (concurrency hint 1), an SO_REUSEPORT acceptor
// bound to the shared port and one thread; connections never change thread.
#include "sim/simulator.h"

#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <thread>

#include "asio_impl/net.h"
#include "sim/catalog.h"
#include "sim/session.h"
#include "sim/state.h"

namespace cg::sim {

class Worker {
 public:
  explicit Worker(State& state) : state_(state), acceptor_(ioc_) {}
  ~Worker() { stop(); }

  // Throws boost::system::system_error.
  void listen(const tcp::endpoint& ep) {
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    using reuse_port = net::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
    acceptor_.set_option(reuse_port(true));
    acceptor_.bind(ep);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void start() {
    net::co_spawn(ioc_, accept_loop(), net::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  // Stops the loop and joins; pending coroutines (connections) die with the io_context.
  void stop() {
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  Task<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(use_nothrow);
      if (ec) {
        if (!acceptor_.is_open() || ec == net::error::operation_aborted) co_return;
        net::steady_timer backoff(ioc_, std::chrono::milliseconds(10));  // e.g. EMFILE
        co_await backoff.async_wait(use_nothrow);
        continue;
      }
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      net::co_spawn(ioc_, serve_connection(std::move(socket), state_), net::detached);
    }
  }

  State& state_;
  net::io_context ioc_{1};
  tcp::acceptor acceptor_;
  std::thread thread_;
};

std::string default_reset_date() {
  const std::time_t now = std::time(nullptr);
  std::tm t{};
  gmtime_r(&now, &t);
  int year = t.tm_year + 1900, month = t.tm_mon + 2;  // next month, 1-based
  if (month > 12) {
    month = 1;
    ++year;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01", year % 10000, month);
  return buf;
}

static SimConfig with_reset_dates(SimConfig cfg) {
  for (SimAccount& a : cfg.accounts)
    if (a.quota_reset_date.empty()) a.quota_reset_date = default_reset_date();
  return cfg;
}

Simulator::Simulator(SimConfig cfg)
    : cfg_(with_reset_dates(std::move(cfg))), state_(std::make_shared<State>(cfg_)) {}

Simulator::~Simulator() {
  stop();
}

void Simulator::start() {
  if (started_) return;
  Catalog::instance();  // render once, before the first request
  try {
    const tcp::endpoint first(net::ip::make_address(cfg_.host), cfg_.port);
    const int n = std::max(1, cfg_.threads);
    for (int i = 0; i < n; ++i) {
      auto w = std::make_unique<Worker>(*state_);
      w->listen(i == 0 ? first : tcp::endpoint(first.address(), port_));
      if (i == 0) port_ = w->port();
      workers_.push_back(std::move(w));
    }
  } catch (const std::exception& e) {
    workers_.clear();
    throw std::runtime_error("copilot-sim: cannot listen on " + cfg_.host + ":" +
                             std::to_string(cfg_.port) + ": " + e.what());
  }
  state_->set_base_url(base_url());
  for (auto& w : workers_)
    w->start();
  started_ = true;
}

void Simulator::stop() {
  for (auto& w : workers_)
    w->stop();
  workers_.clear();
}

uint16_t Simulator::port() const {
  return port_;
}

std::string Simulator::base_url() const {
  const bool v6 = cfg_.host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + cfg_.host + "]" : cfg_.host) + ":" + std::to_string(port_);
}

AccountStats Simulator::stats(std::string_view login) const {
  return state_->stats(login);
}
void Simulator::reset_stats() {
  state_->reset_stats();
}
void Simulator::set_fault(std::string_view login, Fault f) {
  state_->set_fault(login, f);
}
void Simulator::revoke_tokens(std::string_view login) {
  state_->revoke_tokens(login);
}
void Simulator::set_token_lifetime(int lifetime_s, int refresh_in_s) {
  state_->set_token_lifetime(lifetime_s, refresh_in_s);
}
bool Simulator::set_quota(std::string_view login, const QuotaUpdate& u) {
  return state_->set_quota(login, u);
}

}  // namespace cg::sim
