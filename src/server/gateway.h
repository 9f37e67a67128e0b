// Gateway: the whole server. Owns the configuration snapshot, the control thread (token
// exchange and refresh, model catalog), the worker threads and the metrics registry.
// Thread contract: construct, start(), shutdown() and the accessors are called from one owning
// thread (main, a test, or demo); the components it hands out document their own rules.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "asio_impl/net.h"
#include "config/config.h"
#include "copilot/model_service.h"
#include "copilot/token_manager.h"
#include "metrics/registry.h"
#include "server/api_keys.h"
#include "upstream/client.h"
#include "upstream/request.h"
#include "upstream/tls_context.h"

namespace cg::server {

class Worker;

// The upstream client settings of a configuration (timeouts, CA bundle, proxy).
upstream::ClientOptions client_options_for(const UpstreamConfig& up);

class Gateway {
 public:
  explicit Gateway(std::shared_ptr<const Config> cfg);
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
  copilot::TokenManager& tokens() { return *tokens_; }
  copilot::ModelService& models() { return *models_; }
  metrics::Registry& metrics() { return *metrics_; }
  const std::shared_ptr<ssl::context>& tls() const { return tls_; }
  upstream::ClientOptions client_options() const;
  size_t in_flight() const;

 private:
  std::shared_ptr<const Config> cfg_;
  ApiKeys api_keys_;
  std::shared_ptr<ssl::context> tls_;
  std::unique_ptr<metrics::Registry> metrics_;
  net::io_context control_io_{1};
  std::unique_ptr<upstream::Client> control_client_;
  std::unique_ptr<copilot::TokenManager> tokens_;
  std::unique_ptr<copilot::ModelService> models_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> control_guard_;
  std::atomic<bool> control_exited_{false};
  std::thread control_thread_;
  std::vector<std::unique_ptr<Worker>> workers_;
  uint16_t port_ = 0;
  bool started_ = false, stopped_ = false;
};

}  // namespace cg::server
