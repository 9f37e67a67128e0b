// QuotaPoller: re-reads each account's premium quota from GitHub's copilot_internal/user on a
// schedule (at start, then every pool.quota_poll) and on demand, gives it to the shared pool and
// keeps it in the store. Response headers keep the pool current between polls; this corrects
// drift and learns the reset date. Also the conversions of copilot_internal/user's answer into the
// pool's and the store's quota records.
// Thread contract: construct, start(), poll_now() and the loop run on the control thread; stop()
// from any thread.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "accounts/shared_pool.h"
#include "asio_impl/net.h"
#include "config/config.h"
#include "copilot/copilot_user.h"
#include "pool/quota.h"
#include "store/account_store.h"
#include "upstream/client.h"

namespace cg::accounts {

// nullopt when the answer has no premium quota.
std::optional<pool::QuotaSnapshot> pool_quota_from_user(const copilot::CopilotUser& user);
std::optional<store::QuotaSnapshot> stored_quota_from_user(int64_t store_id,
                                                           const copilot::CopilotUser& user,
                                                           int64_t now_ms);

class QuotaPoller {
 public:
  struct Account {
    pool::AccountIndex index = pool::kNoAccount;
    std::string label;           // alias or id, for logs
    std::string github_token;    // SECRET; empty = nothing to poll (static Copilot token)
    std::string github_api_url;  // api.github.com or api.<GHE domain>
    int64_t store_id = 0;        // 0 = not stored
    upstream::Client* client = nullptr;
  };

  QuotaPoller(net::any_io_executor control, std::shared_ptr<const Config> cfg, SharedPool& pool,
              std::vector<Account> accounts, store::AccountStore* store);
  void start();
  void stop();
  // Polls account `i` (pool index) now; false when it could not be read.
  Task<bool> poll_now(pool::AccountIndex i);
  uint64_t polls() const { return polls_; }

 private:
  Task<void> loop();

  net::any_io_executor control_;
  std::shared_ptr<const Config> cfg_;
  SharedPool& pool_;
  std::vector<Account> accounts_;
  store::AccountStore* store_;
  net::steady_timer timer_;
  bool stopped_ = false;
  uint64_t polls_ = 0;
};

}  // namespace cg::accounts
