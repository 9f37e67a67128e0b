// State: everything the simulator remembers across requests — accounts and their faults, premium
// quotas, issued Copilot tokens, pending device codes and per-account statistics. Shared by all
// worker threads and the test hooks; every method takes one internal mutex (fine for a simulator).
#pragma once
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/quota.h"
#include "sim/simulator.h"

namespace cg::sim {

// The Copilot API endpoints that count as completions in the stats.
enum class Endpoint { kChatCompletions, kResponses, kMessages, kEmbeddings };
inline constexpr size_t kEndpointCount = 4;
// "/chat/completions", "/responses", "/v1/messages", "/embeddings".
std::string_view endpoint_path(Endpoint e);

class State {
 public:
  explicit State(SimConfig cfg);

  // Set once before the workers start; read-only afterwards.
  void set_base_url(std::string url) { base_url_ = std::move(url); }
  const std::string& base_url() const { return base_url_; }
  // endpoints.api in token responses.
  const std::string& api_base_url() const {
    return cfg_.api_base_url.empty() ? base_url_ : cfg_.api_base_url;
  }
  int default_stream_chunks() const { return cfg_.default_stream_chunks; }

  // ---- GitHub side ----
  struct DeviceCode {
    std::string device_code, user_code;
    int interval = 5;
  };
  DeviceCode new_device_code();
  // One poll of /login/oauth/access_token: either `error` (+ `interval` for slow_down) or
  // `access_token`.
  struct PollResult {
    std::string error;
    int interval = 0;
    std::string access_token;
  };
  PollResult poll_device(std::string_view device_code);

  struct IssuedToken {
    std::string token;
    int64_t expires_at = 0;
    int refresh_in = 0;
    std::string sku;
  };
  // Issues a new Copilot token for the account owning `github_token`; nullopt if unknown.
  std::optional<IssuedToken> exchange(std::string_view github_token);
  // A copy of the account owning `github_token` and its live premium quota.
  struct AccountView {
    SimAccount account;  // its quota fields: what reset_stats() restores (configured or set)
    Quota quota;         // live
  };
  std::optional<AccountView> account_by_github(std::string_view github_token) const;

  // ---- Copilot side ----
  enum class Auth { kOk, kMissing, kUnknown, kExpired, kRevoked };
  struct AuthResult {
    Auth auth = Auth::kUnknown;
    int account = -1;
    Fault fault;  // the account's configured fault (when kOk)
    // Completions only: the request is refused for want of premium quota (answer 402; it is
    // counted in quota_rejections only), and the account's quota after this request.
    bool quota_exceeded = false;
    Quota quota;
  };
  struct CompletionInfo {
    Endpoint endpoint = Endpoint::kChatCompletions;
    std::string_view bearer;
    std::string_view initiator;     // X-Initiator value
    bool vision = false;            // Copilot-Vision-Request: true
    std::string_view header_block;  // "name:value\n" lines, lower-cased names
    std::string_view body;
    // The model's billing.multiplier when the request is valid (0: free model, or the request
    // fails validation), and the fault status the request itself asks for (x-sim-fault header or
    // directives; -1 = none, the account's fault applies). Only a request that is answered (no
    // fault status > 0) is charged.
    double premium = 0;
    int fault_status = -1;
  };
  // Authorizes a completion, charges its premium cost and records it (or the 401, or the quota
  // refusal) in the account's stats.
  AuthResult on_completion(const CompletionInfo& info);
  // Authorizes GET /models and records the bearer.
  AuthResult on_models(std::string_view bearer);
  void on_cancelled_stream(int account);

  // ---- control ----
  AccountStats stats(std::string_view login) const;
  std::string stats_json() const;  // {"accounts":{<login>:{...}}} without last_body
  void reset_stats();  // and every quota back to the account's configured (or last set) values
  bool set_fault(std::string_view login, const Fault& f);  // false: unknown login
  void revoke_tokens(std::string_view login);
  void set_token_lifetime(int lifetime_s, int refresh_in_s);
  // false: unknown login or quota_update_error(u) is not empty.
  bool set_quota(std::string_view login, const QuotaUpdate& u);

 private:
  using Clock = std::chrono::steady_clock;
  struct Stats {  // AccountStats with the header map kept as one reusable text block
    uint64_t token_exchanges = 0, completions = 0, initiator_user = 0, initiator_agent = 0,
             vision_requests = 0, unauthorized = 0, cancelled_streams = 0, quota_rejections = 0;
    Cents premium_used = 0;
    uint64_t by_endpoint[kEndpointCount] = {};
    std::string last_copilot_token, last_header_block, last_body;
  };
  struct Token {
    int account = 0;
    Clock::time_point expires;
    bool revoked = false;
  };
  struct Device {
    int polls = 0;
  };

  AuthResult authorize_locked(std::string_view bearer);
  // Charges the premium cost of an authorized completion (see CompletionInfo) and sets r.quota;
  // false when the quota refuses it (nothing charged).
  bool charge_locked(const CompletionInfo& info, AuthResult& r);
  int account_by_login_locked(std::string_view login) const;
  static AccountStats to_public(const Stats& s, const Quota& q);

  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  SimConfig cfg_;
  std::string base_url_;
  mutable std::mutex mu_;
  std::vector<Stats> stats_;
  std::vector<Quota> quotas_;  // live, per account; cfg_.accounts holds what reset_stats restores
  StringMap<Token> tokens_;
  StringMap<Device> devices_;
  bool device_expired_once_ = false;  // device_outcome "expire_once": a code has expired
};

}  // namespace cg::sim
