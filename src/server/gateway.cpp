// See gateway.h.
#include "server/gateway.h"

#include <algorithm>
#include <csignal>
#include <random>
#include <stdexcept>

#include "core/log.h"
#include "server/worker.h"

namespace cg::server {

Gateway::Gateway(std::shared_ptr<const Config> cfg, std::vector<accounts::ServedAccount> accounts,
                 std::unique_ptr<store::AccountStore> store)
    : cfg_(std::move(cfg)),
      api_keys_(cfg_->auth.api_keys),
      pin_keys_(cfg_->pool.pin_api_keys),
      store_(std::move(store)) {
  if (accounts.empty()) accounts = accounts::served_accounts(*cfg_, {}, {});
  for (accounts::ServedAccount& a : accounts) {
    GatewayAccount g;
    g.served = std::move(a);
    accounts_.push_back(std::move(g));
  }
}

static pool::PoolPolicy pool_policy(const Config& cfg) {
  pool::PoolPolicy p;
  p.selection.strategy =
      pool::parse_strategy(cfg.pool.strategy).value_or(pool::Strategy::kQuotaAware);
  p.selection.free_strategy =
      pool::parse_strategy(cfg.pool.free_strategy).value_or(pool::Strategy::kLeastBusy);
  p.affinity_ttl_ms = cfg.pool.affinity_ttl.count();
  // A 429 without retry-after rests the account (Copilot usually says how long).
  p.health.default_retry_after_ms = cfg.pool.cooldown.count();
  p.health.breaker_threshold = static_cast<uint32_t>(cfg.pool.breaker_failures);
  p.health.breaker_open_ms = cfg.pool.breaker_open.count();
  p.health.breaker_max_open_ms = 20 * cfg.pool.breaker_open.count();
  p.affinity_seed = std::random_device{}();
  p.affinity_seed = (p.affinity_seed << 32) ^ std::random_device{}();
  return p;
}

Gateway::~Gateway() {
  shutdown();
}

Task<bool> Gateway::poll_quota(pool::AccountIndex i) {
  co_return co_await net::co_spawn(control_io_, quota_poller_->poll_now(i), net::use_awaitable);
}

bool Gateway::may_pin(const h1::Request& req) const {
  if (!pin_keys_.enabled()) return true;
  return pin_keys_.accepts(presented_key(req[http::field::authorization], req["x-api-key"]));
}

upstream::ClientOptions client_options_for(const UpstreamConfig& up) {
  upstream::ClientOptions o;
  o.connect_timeout = up.connect_timeout;
  o.pool_idle_timeout = up.pool_idle_timeout;
  o.ca_bundle = up.ca_bundle;
  o.https_proxy = up.https_proxy;
  o.no_proxy = up.no_proxy;
  return o;
}

upstream::ClientOptions Gateway::client_options() const {
  return client_options_for(cfg_->upstream);
}

std::string local_base_url(std::string host, uint16_t port) {
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(port);
}

std::string Gateway::base_url() const {
  return local_base_url(cfg_->server.host, port_);
}

size_t Gateway::in_flight() const {
  size_t n = 0;
  for (const auto& w : workers_)
    n += w->open_sessions();
  return n;
}

static tcp::endpoint resolve_listen(const std::string& host, uint16_t port) {
  error_code ec;
  auto addr = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) throw std::runtime_error("cannot listen on '" + host + "': not an IP address");
  return tcp::endpoint(addr, port);
}

void Gateway::start() {
  if (started_) return;
  started_ = true;
  const int n_workers = cfg_->server.workers > 0
                            ? cfg_->server.workers
                            : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  tls_ = upstream::make_tls_context(client_options());
  metrics_ = std::make_unique<metrics::Registry>(n_workers);

  // Accounts: one pool entry, one token manager and one egress group (shared by accounts with the
  // same proxy) each.
  pool_ = std::make_unique<accounts::SharedPool>(pool_policy(*cfg_));
  egress_options_.push_back(client_options());
  std::vector<std::string> egress_proxies{""};
  std::vector<copilot::CatalogSource> catalog_sources;
  std::vector<accounts::QuotaPoller::Account> polled;
  control_clients_.push_back(
      std::make_unique<upstream::Client>(control_io_.get_executor(), tls_, egress_options_[0]));
  for (size_t i = 0; i < accounts_.size(); ++i) {
    GatewayAccount& a = accounts_[i];
    const std::string& proxy = a.served.egress_proxy;
    if (!proxy.empty()) {
      auto it = std::find(egress_proxies.begin(), egress_proxies.end(), proxy);
      if (it == egress_proxies.end()) {
        upstream::ClientOptions o = client_options();
        o.https_proxy = proxy;
        egress_options_.push_back(o);
        egress_proxies.push_back(proxy);
        control_clients_.push_back(
            std::make_unique<upstream::Client>(control_io_.get_executor(), tls_, o));
        it = egress_proxies.end() - 1;
      }
      a.egress = static_cast<uint16_t>(it - egress_proxies.begin());
    }
    const pool::AccountIndex index = pool_->add(a.served.pool);
    if (index != i) {
      throw std::runtime_error("account " + a.served.credentials.label +
                               " cannot join the pool (more than 64 accounts, or its id or alias "
                               "is taken)");
    }
    if (a.served.quota) pool_->apply_quota(index, *a.served.quota);
    a.tokens = std::make_unique<copilot::TokenManager>(
        control_io_.get_executor(), *control_clients_[a.egress], cfg_, a.served.credentials);
    catalog_sources.push_back({a.tokens.get(), control_clients_[a.egress].get()});
    polled.push_back({index, a.served.credentials.label, a.served.credentials.github_token,
                      a.served.credentials.github_api_url, a.served.store_id,
                      control_clients_[a.egress].get()});
  }
  models_ = std::make_unique<copilot::ModelService>(control_io_.get_executor(),
                                                    std::move(catalog_sources), cfg_);
  quota_poller_ = std::make_unique<accounts::QuotaPoller>(control_io_.get_executor(), cfg_, *pool_,
                                                          std::move(polled), store_.get());
  for (int i = 0; i < n_workers; ++i)
    workers_.push_back(std::make_unique<Worker>(i, *this));

  // Every new Copilot token is published to each worker on its own thread.
  for (size_t i = 0; i < accounts_.size(); ++i) {
    accounts_[i].tokens->set_on_new_token([this, i](copilot::TokenPtr t) {
      metrics_->control().token_refresh(true);
      for (auto& w : workers_)
        net::post(w->io(), [w = w.get(), i, t] { w->account_tokens[i] = t; });
    });
  }
  // An account starts or stops failing authentication: said once in the log, kept in the store
  // (`accounts list` shows it), on the control thread.
  pool_->set_on_auth_change([this](pool::AccountIndex i, bool failing, std::string reason) {
    const GatewayAccount& a = accounts_[i];
    if (failing) {
      log::Line(log::Level::kWarn, "account unhealthy: authentication failing")
          .str("account", a.served.credentials.label)
          .str("reason", reason);
    } else {
      log::Line(log::Level::kInfo, "account healthy again")
          .str("account", a.served.credentials.label);
    }
    if (store_ && a.served.store_id != 0) {
      net::post(control_io_, [this, id = a.served.store_id, reason = std::move(reason)] {
        if (auto st = store_->record_error(id, reason); !st)
          log::Line(log::Level::kWarn, "account error not stored").str("error", st.error().message);
      });
    }
  });
  // A finished request freed a slot while others wait for one: wake the waiters everywhere.
  pool_->set_on_capacity([this] {
    for (auto& w : workers_)
      net::post(w->io(), [w = w.get()] { w->wake_capacity_waiters(); });
  });

  const tcp::endpoint ep = resolve_listen(cfg_->server.host, cfg_->server.port);
  try {
    workers_[0]->listen(ep);
    port_ = workers_[0]->bound_port();
    for (int i = 1; i < n_workers; ++i)
      workers_[i]->listen(tcp::endpoint(ep.address(), port_));
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot listen on " + cfg_->server.host + ":" +
                             std::to_string(cfg_->server.port) + ": " + e.code().message());
  }

  control_guard_.emplace(control_io_.get_executor());
  control_thread_ = std::thread([this] {
    net::post(control_io_, [this] {
      for (GatewayAccount& a : accounts_)
        a.tokens->start();
      quota_poller_->start();
    });
    control_io_.run();
    control_exited_.store(true);
  });
  for (auto& w : workers_)
    w->start();
  log::Line(log::Level::kInfo, "listening")
      .str("url", base_url())
      .num("workers", n_workers)
      .num("accounts", static_cast<int64_t>(accounts_.size()))
      .boolean("api_keys", api_keys_.enabled());
}

void Gateway::shutdown() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  log::Line(log::Level::kInfo, "shutting down").num("open_connections", in_flight());
  for (auto& w : workers_)
    w->begin_shutdown();
  const auto deadline = std::chrono::steady_clock::now() + cfg_->server.shutdown_grace;
  while (in_flight() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (in_flight() > 0)
    log::Line(log::Level::kWarn, "grace period over, closing connections")
        .num("open_connections", in_flight());
  // Closes what is still open and every pooled upstream connection (a stream that finished
  // during the grace period may have returned its connection to the pool).
  for (auto& w : workers_)
    w->force_close();
  bool clean = true;
  for (auto& w : workers_)
    clean &= w->wait_exit(std::chrono::seconds(3));
  for (GatewayAccount& a : accounts_)
    a.tokens->stop();
  quota_poller_->stop();
  net::post(control_io_, [this] {
    for (auto& c : control_clients_)
      c->close_idle();
  });
  control_guard_.reset();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (!control_exited_.load() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  if (!control_exited_.load()) {
    clean = false;
    control_io_.stop();
  }
  if (control_thread_.joinable()) control_thread_.join();
  if (!clean) {
    // Something still held work when the loops were stopped; its coroutine frames would outlive
    // the objects they refer to if destroyed now, so leave them to process exit.
    log::Line(log::Level::kWarn, "event loops stopped with work pending");
    for (auto& w : workers_)
      (void)w.release();
    for (auto& c : control_clients_)
      (void)c.release();
    for (GatewayAccount& a : accounts_)
      (void)a.tokens.release();
    (void)models_.release();
    (void)quota_poller_.release();
  }
  workers_.clear();
  log::Line(log::Level::kInfo, "stopped");
}

void Gateway::run_until_signal() {
  net::io_context sig_io{1};
  net::signal_set signals(sig_io, SIGINT, SIGTERM);
  signals.async_wait([](const error_code&, int sig) {
    log::Line(log::Level::kInfo, "signal received").num("signal", sig);
  });
  sig_io.run();
  shutdown();
}

}  // namespace cg::server
