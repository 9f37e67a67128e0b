// ModelService: the upstream model catalog of every pool account, fetched with each account's
// Copilot token (in parallel) and merged: the union of the models, each with the accounts that list
// it. Cached for a TTL, with concurrent misses coalesced into one round of upstream calls and the
// last good catalog kept when a refresh fails. Lives on the control thread; get() may be awaited
// from any thread.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "asio_impl/net.h"
#include "config/config.h"
#include "copilot/token_exchange.h"
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

  // What account selection needs of a model: its premium multiplier and the pool accounts that
  // offer it (bit i = account i). An account whose catalog could not be fetched counts as
  // offering every model; a model missing from the catalog gets {0, every account}.
  struct Route {
    double multiplier = 0;
    uint64_t accounts = ~uint64_t{0};
  };
  std::vector<Route> routes;                           // parallel to catalog.models
  std::unordered_map<std::string_view, size_t> by_id;  // model id -> index (views into catalog)
  Route route(std::string_view model_id) const {
    auto it = by_id.find(model_id);
    return it == by_id.end() ? Route{} : routes[it->second];
  }
};
using ModelsPtr = std::shared_ptr<const ModelsSnapshot>;

struct ModelsOutcome {
  ModelsPtr models;
  ApiError error;
};

// One account's way to its catalog: its token manager and the client that reaches it (its egress).
struct CatalogSource {
  TokenManager* tokens = nullptr;
  upstream::Client* client = nullptr;
};

class ModelService {
 public:
  // `sources` in pool order (index i = account i; at most 64).
  ModelService(net::any_io_executor control, std::vector<CatalogSource> sources,
               std::shared_ptr<const Config> cfg);
  // Any thread's coroutine.
  Task<ModelsOutcome> get();
  // Any thread: number of upstream /models fetches made (tests check coalescing).
  uint64_t fetches() const { return fetches_.load(std::memory_order_relaxed); }

 private:
  Task<ModelsOutcome> get_on_control();
  Task<ModelsOutcome> fetch();
  Task<CatalogOutcome> fetch_one(const CatalogSource& source);

  net::any_io_executor control_;
  std::vector<CatalogSource> sources_;
  std::shared_ptr<const Config> cfg_;
  ModelsPtr cached_;
  bool fetching_ = false;
  std::shared_ptr<net::steady_timer> fetch_done_;
  ApiError last_error_;
  std::atomic<uint64_t> fetches_{0};
};

}  // namespace cg::copilot
