// See quota_poller.h. Control thread.
#include "accounts/quota_poller.h"

#include "core/log.h"
#include "pool/dates.h"
#include "upstream/target.h"

namespace cg::accounts {

std::optional<pool::QuotaSnapshot> pool_quota_from_user(const copilot::CopilotUser& user) {
  if (!user.premium) return std::nullopt;
  const copilot::QuotaBucket& b = *user.premium;
  pool::QuotaSnapshot s;
  s.unlimited = b.unlimited || b.entitlement < 0;
  s.entitlement = s.unlimited ? -1 : b.entitlement;
  s.remaining = b.remaining;
  s.percent_remaining = b.percent_remaining;
  s.overage_permitted = b.overage_permitted;
  if (!user.quota_reset_date.empty())
    s.reset_ms = pool::parse_date_ms(user.quota_reset_date).value_or(0);
  return s;
}

std::optional<store::QuotaSnapshot> stored_quota_from_user(int64_t store_id,
                                                           const copilot::CopilotUser& user,
                                                           int64_t now_ms) {
  if (!user.premium) return std::nullopt;
  store::QuotaSnapshot q;
  q.account_id = store_id;
  q.unlimited = user.premium->unlimited;
  q.premium_entitlement = q.unlimited ? -1 : static_cast<int64_t>(user.premium->entitlement + 0.5);
  q.premium_remaining = q.unlimited ? 0 : user.premium->remaining;
  q.overage_permitted = user.premium->overage_permitted;
  q.reset_date = user.quota_reset_date.substr(0, 10);
  q.fetched_at = now_ms;
  return q;
}

QuotaPoller::QuotaPoller(net::any_io_executor control, std::shared_ptr<const Config> cfg,
                         SharedPool& pool, std::vector<Account> accounts,
                         store::AccountStore* store)
    : control_(control),
      cfg_(std::move(cfg)),
      pool_(pool),
      accounts_(std::move(accounts)),
      store_(store),
      timer_(control) {}

void QuotaPoller::start() {
  net::co_spawn(control_, loop(), net::detached);
}

void QuotaPoller::stop() {
  net::post(control_, [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

Task<bool> QuotaPoller::poll_now(pool::AccountIndex i) {
  const Account* a = nullptr;
  for (const Account& x : accounts_)
    if (x.index == i) a = &x;
  if (a == nullptr || a->github_token.empty() || a->client == nullptr) co_return false;
  auto api = upstream::Target::parse(a->github_api_url);
  if (!api) co_return false;
  const UpstreamConfig& up = cfg_->upstream;
  auto user = co_await copilot::fetch_copilot_user(*a->client, *api, up, a->github_token,
                                                   up.connect_timeout + up.first_byte_timeout);
  ++polls_;
  if (!user) {
    log::Line(log::Level::kWarn, "quota poll failed")
        .str("account", a->label)
        .str("error", user.error().message);
    co_return false;
  }
  if (auto q = pool_quota_from_user(*user)) pool_.apply_quota(i, *q);
  if (store_ != nullptr && a->store_id != 0) {
    if (auto q = stored_quota_from_user(a->store_id, *user, now_ms())) {
      if (auto st = store_->put_quota(*q); !st)
        log::Line(log::Level::kWarn, "quota not stored")
            .str("account", a->label)
            .str("error", st.error().message);
    }
  }
  co_return true;
}

Task<void> QuotaPoller::loop() {
  while (!stopped_) {
    for (const Account& a : accounts_) {
      if (a.github_token.empty()) continue;
      net::co_spawn(control_, poll_now(a.index), net::detached);
    }
    timer_.expires_after(cfg_->pool.quota_poll);
    co_await timer_.async_wait(use_nothrow);
  }
}

}  // namespace cg::accounts
