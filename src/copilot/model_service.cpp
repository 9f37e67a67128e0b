// See model_service.h. Runs on the control executor.
#include "copilot/model_service.h"

#include "copilot/model_routing.h"
#include "copilot/token_exchange.h"
#include "core/log.h"
#include "wire/openai/models.h"

namespace cg::copilot {

ModelService::ModelService(net::any_io_executor control, std::vector<CatalogSource> sources,
                           std::shared_ptr<const Config> cfg)
    : control_(control), sources_(std::move(sources)), cfg_(std::move(cfg)) {}

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

Task<CatalogOutcome> ModelService::fetch_one(const CatalogSource& source) {
  const UpstreamConfig& up = cfg_->upstream;
  TokenPtr rejected;
  for (int attempt = 0; attempt < 2; ++attempt) {
    TokenOutcome tok = co_await source.tokens->acquire(rejected);
    if (!tok.ok()) co_return CatalogOutcome{std::nullopt, tok.error, 0};
    CatalogOutcome got =
        co_await fetch_catalog(*source.client, tok.token->api, up, tok.token->token.token,
                               up.connect_timeout + up.first_byte_timeout);
    if (got.status == 401 && attempt == 0) {
      rejected = tok.token;
      continue;
    }
    co_return got;
  }
  co_return CatalogOutcome{std::nullopt,
                           ApiError::bad_gateway("The upstream rejected the Copilot token."), 401};
}

Task<ModelsOutcome> ModelService::fetch() {
  fetches_.fetch_add(1, std::memory_order_relaxed);
  // Every account's catalog at once; the round ends when the last answer (or error) is in.
  const size_t n = sources_.size();
  if (n == 0) co_return ModelsOutcome{nullptr, ApiError::unavailable("No account is configured.")};
  auto results = std::make_shared<std::vector<CatalogOutcome>>(n);
  auto pending = std::make_shared<size_t>(n);
  auto done = std::make_shared<net::steady_timer>(control_, net::steady_timer::time_point::max());
  for (size_t i = 0; i < n; ++i) {
    net::co_spawn(
        control_,
        [this, i, results]() -> Task<void> { (*results)[i] = co_await fetch_one(sources_[i]); },
        [pending, done](std::exception_ptr) {
          if (--*pending == 0) done->cancel();
        });
  }
  co_await done->async_wait(use_nothrow);

  auto snap = std::make_shared<ModelsSnapshot>();
  uint64_t unknown = 0;  // accounts without a catalog: they may offer anything
  const ApiError* first_error = nullptr;
  std::vector<uint64_t> offered;
  for (size_t i = 0; i < n; ++i) {
    CatalogOutcome& got = (*results)[i];
    const uint64_t bit = i < 64 ? uint64_t{1} << i : 0;
    if (!got.catalog) {
      unknown |= bit;
      if (!first_error) first_error = &got.error;
      log::Line(log::Level::kWarn, "model catalog fetch failed")
          .str("account", sources_[i].tokens->account().label)
          .str("error", got.error.message);
      continue;
    }
    for (wire::copilot::ModelInfo& m : got.catalog->models) {
      size_t at = 0;
      while (at < snap->catalog.models.size() && snap->catalog.models[at].id != m.id)
        ++at;
      if (at == snap->catalog.models.size()) {
        snap->catalog.models.push_back(std::move(m));
        offered.push_back(0);
      }
      offered[at] |= bit;
    }
  }
  if (unknown == (n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1))
    co_return ModelsOutcome{nullptr, first_error ? *first_error : ApiError{}};
  const int64_t now = unix_now_ms();
  snap->openai_json = wire::openai::render_models(snap->catalog, now / 1000);
  snap->routes.reserve(snap->catalog.models.size());
  for (size_t k = 0; k < snap->catalog.models.size(); ++k) {
    const wire::copilot::ModelInfo& m = snap->catalog.models[k];
    if (!m.supported_endpoints.empty() && !offers(m, "/chat/completions"))
      snap->not_on_chat.push_back(&m);
    snap->routes.push_back({m.multiplier, offered[k] | unknown});
    snap->by_id.emplace(m.id, k);
  }
  snap->fetched_at_ms = now;
  snap->expires_at_ms = now + cfg_->upstream.models_ttl.count();
  log::Line(log::Level::kDebug, "model catalog fetched")
      .num("models", static_cast<int64_t>(snap->catalog.models.size()))
      .num("accounts", static_cast<int64_t>(n));
  co_return ModelsOutcome{std::move(snap), {}};
}

}  // namespace cg::copilot
