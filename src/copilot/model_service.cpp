// See model_service.h. Runs on the control executor.
#include "copilot/model_service.h"

#include "copilot/model_routing.h"
#include "copilot/token_exchange.h"
#include "core/log.h"
#include "wire/openai/models.h"

namespace cg::copilot {

ModelService::ModelService(net::any_io_executor control, upstream::Client& control_client,
                           TokenManager& tokens, std::shared_ptr<const Config> cfg)
    : control_(control), client_(control_client), tokens_(tokens), cfg_(std::move(cfg)) {}

Task<ModelsOutcome> ModelService::get() {
  co_return co_await net::co_spawn(control_, get_on_control(), net::use_awaitable);
}

Task<ModelsOutcome> ModelService::get_on_control() {
  const int64_t now = unix_now_ms();
  if (cached_ && cached_->expires_at_ms > now) co_return ModelsOutcome{cached_, {}};
  if (fetching_) {
    auto done = fetch_done_;
    co_await done->async_wait(use_nothrow);
  } else {
    fetching_ = true;
    fetch_done_ =
        std::make_shared<net::steady_timer>(control_, net::steady_timer::time_point::max());
    ModelsOutcome out = co_await fetch();
    if (out.models) {
      cached_ = out.models;
      last_error_ = {};
    } else {
      last_error_ = out.error;
    }
    fetching_ = false;
    fetch_done_->cancel();
    fetch_done_.reset();
  }
  if (cached_) co_return ModelsOutcome{cached_, {}};  // fresh, or the last good one
  co_return ModelsOutcome{nullptr, last_error_};
}

Task<ModelsOutcome> ModelService::fetch() {
  fetches_.fetch_add(1, std::memory_order_relaxed);
  TokenPtr rejected;
  for (int attempt = 0; attempt < 2; ++attempt) {
    TokenOutcome tok = co_await tokens_.acquire(rejected);
    if (!tok.ok()) co_return ModelsOutcome{nullptr, tok.error};
    CatalogOutcome got =
        co_await fetch_catalog(client_, tok.token->api, cfg_->upstream, tok.token->token.token,
                               cfg_->upstream.connect_timeout + cfg_->upstream.first_byte_timeout);
    if (got.status == 401 && attempt == 0) {
      rejected = tok.token;
      continue;
    }
    if (!got.catalog) co_return ModelsOutcome{nullptr, std::move(got.error)};
    std::optional<wire::copilot::ModelCatalog>& catalog = got.catalog;
    auto snap = std::make_shared<ModelsSnapshot>();
    const int64_t now = unix_now_ms();
    snap->catalog = std::move(*catalog);
    snap->openai_json = wire::openai::render_models(snap->catalog, now / 1000);
    for (const wire::copilot::ModelInfo& m : snap->catalog.models) {
      if (!m.supported_endpoints.empty() && !offers(m, "/chat/completions"))
        snap->not_on_chat.push_back(&m);
    }
    snap->fetched_at_ms = now;
    snap->expires_at_ms = now + cfg_->upstream.models_ttl.count();
    log::Line(log::Level::kDebug, "model catalog fetched")
        .num("models", static_cast<int64_t>(snap->catalog.models.size()));
    co_return ModelsOutcome{std::move(snap), {}};
  }
  co_return ModelsOutcome{nullptr,
                          ApiError::bad_gateway("The upstream rejected the Copilot token.")};
}

}  // namespace cg::copilot
