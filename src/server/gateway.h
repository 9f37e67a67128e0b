// Gateway: the whole server. Owns the configuration snapshot, the served accounts (one token
// manager each, the shared pool state that routes requests over them), the control thread (token
// exchange and refresh, model catalogs, quota polling), the worker threads and the metrics
// registry.
// Thread contract: construct, start(), shutdown() and the accessors are called from one owning
// thread (main, a test, or demo); the components it hands out document their own rules.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "accounts/quota_poller.h"
#include "accounts/served_account.h"
#include "accounts/shared_pool.h"
#include "asio_impl/net.h"
#include "config/config.h"
#include "copilot/model_service.h"
#include "copilot/token_manager.h"
#include "h1/request.h"
#include "metrics/registry.h"
#include "server/api_keys.h"
#include "store/account_store.h"
#include "upstream/client.h"
#include "upstream/request.h"
#include "upstream/tls_context.h"

namespace cg::server {

class Worker;

// "http://host:port" for reaching a gateway that listens on `host` from this machine (an
// any-address listener is reached on loopback; IPv6 literals in brackets).
std::string local_base_url(std::string host, uint16_t port);

// The upstream client settings of a configuration (timeouts, CA bundle, proxy).
upstream::ClientOptions client_options_for(const UpstreamConfig& up);

// One account the gateway serves from.
struct GatewayAccount {
  accounts::ServedAccount served;
  uint16_t egress = 0;  // index of the upstream client settings it goes out with (0 = default)
  std::unique_ptr<copilot::TokenManager> tokens;
};

class Gateway {
 public:
  // `accounts` empty = the configuration's own account only (GITHUB_TOKEN / COPILOT_TOKEN).
  // `store`, when given, receives polled quotas and the accounts' last errors (control thread).
  explicit Gateway(std::shared_ptr<const Config> cfg,
                   std::vector<accounts::ServedAccount> accounts = {},
                   std::unique_ptr<store::AccountStore> store = nullptr);
  ~Gateway();

  // Binds the listeners (throws std::runtime_error with a readable message) and starts threads.
  void start();
  uint16_t port() const { return port_; }
  std::string base_url() const;
  // Graceful: stop accepting, let in-flight requests and streams finish up to the configured
  // grace period, then close what is left and join every thread. Idempotent.
  void shutdown();
  // Blocks until SIGINT or SIGTERM, then shutdown().
  void run_until_signal();

  const Config& cfg() const { return *cfg_; }
  const std::shared_ptr<const Config>& cfg_ptr() const { return cfg_; }
  const ApiKeys& api_keys() const { return api_keys_; }
  // Whether the caller of `req` may pin an account (pool.pin_api_keys empty = every caller).
  bool may_pin(const h1::Request& req) const;
  // The first account's token manager (the only one in single-account setups).
  copilot::TokenManager& tokens() { return *accounts_.at(0).tokens; }
  size_t account_count() const { return accounts_.size(); }
  GatewayAccount& account(size_t i) { return accounts_[i]; }
  accounts::SharedPool& pool() { return *pool_; }
  copilot::ModelService& models() { return *models_; }
  // The upstream client settings of egress group `g` (0 = the configuration's).
  const std::vector<upstream::ClientOptions>& egress_options() const { return egress_options_; }
  // Control thread's client for egress group `g`.
  upstream::Client& control_client(uint16_t g) { return *control_clients_[g]; }
  net::io_context& control_io() { return control_io_; }
  store::AccountStore* store() { return store_.get(); }
  // Any thread's coroutine: re-reads account i's premium quota now (on the control thread).
  Task<bool> poll_quota(pool::AccountIndex i);
  metrics::Registry& metrics() { return *metrics_; }
  const std::shared_ptr<ssl::context>& tls() const { return tls_; }
  upstream::ClientOptions client_options() const;
  size_t in_flight() const;

 private:
  std::shared_ptr<const Config> cfg_;
  ApiKeys api_keys_;
  ApiKeys pin_keys_;
  std::shared_ptr<ssl::context> tls_;
  std::unique_ptr<metrics::Registry> metrics_;
  net::io_context control_io_{1};
  std::vector<GatewayAccount> accounts_;
  std::unique_ptr<store::AccountStore> store_;
  std::unique_ptr<accounts::SharedPool> pool_;
  std::vector<upstream::ClientOptions> egress_options_;
  std::vector<std::unique_ptr<upstream::Client>> control_clients_;
  std::unique_ptr<copilot::ModelService> models_;
  std::unique_ptr<accounts::QuotaPoller> quota_poller_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> control_guard_;
  std::atomic<bool> control_exited_{false};
  std::thread control_thread_;
  std::vector<std::unique_ptr<Worker>> workers_;
  uint16_t port_ = 0;
  bool started_ = false, stopped_ = false;
};

}  // namespace cg::server
