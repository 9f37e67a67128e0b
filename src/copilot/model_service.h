// ModelService: the upstream model catalog, fetched with the current Copilot token, cached for a
// TTL, with concurrent misses coalesced into one upstream call and the last good catalog kept
// when a refresh fails. Lives on the control thread; get() may be awaited from any thread.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "asio_impl/net.h"
#include "config/config.h"
#include "copilot/token_manager.h"
#include "upstream/client.h"
#include "wire/copilot/catalog.h"

namespace cg::copilot {

struct ModelsSnapshot {
  wire::copilot::ModelCatalog catalog;
  std::string openai_json;  // pre-rendered GET /v1/models body
  // Models that list their endpoints without /chat/completions (reached from chat clients by
  // translation): usually none or a few, so the chat fast path checks only these.
  std::vector<const wire::copilot::ModelInfo*> not_on_chat;
  int64_t fetched_at_ms = 0;
  int64_t expires_at_ms = 0;
};
using ModelsPtr = std::shared_ptr<const ModelsSnapshot>;

struct ModelsOutcome {
  ModelsPtr models;
  ApiError error;
};

class ModelService {
 public:
  ModelService(net::any_io_executor control, upstream::Client& control_client, TokenManager& tokens,
               std::shared_ptr<const Config> cfg);
  // Any thread's coroutine.
  Task<ModelsOutcome> get();
  // Any thread: number of upstream /models fetches made (tests check coalescing).
  uint64_t fetches() const { return fetches_.load(std::memory_order_relaxed); }

 private:
  Task<ModelsOutcome> get_on_control();
  Task<ModelsOutcome> fetch();

  net::any_io_executor control_;
  upstream::Client& client_;
  TokenManager& tokens_;
  std::shared_ptr<const Config> cfg_;
  ModelsPtr cached_;
  bool fetching_ = false;
  std::shared_ptr<net::steady_timer> fetch_done_;
  ApiError last_error_;
  std::atomic<uint64_t> fetches_{0};
};

}  // namespace cg::copilot
