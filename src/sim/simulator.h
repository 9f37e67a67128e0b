// Simulator: an in-process stand-in for github.com / api.github.com AND the Copilot API on one
// port, used by tests, `demo` mode and benchmarks so nothing touches the internet.
// Public methods are thread-safe (any thread); the simulator runs its own worker threads.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cg::sim {

struct Fault {                  // all zero = no fault
  int status = 0;               // answer completions with this HTTP status (+ OpenAI error body)
  int retry_after_s = 0;        // add `retry-after: N` to a fault response when > 0
  int first_byte_delay_ms = 0;  // wait before sending the response headers
  int chunk_delay_ms = 0;       // wait between SSE events of a stream
  int drop_after_chunks = -1;   // >=0: close the TCP connection after this many SSE events
  bool revoke_token = false;    // answer 401 as if the Copilot token had been revoked
};

struct SimAccount {
  std::string github_token = "ghu_sim_default";  // GitHub OAuth token that identifies the account
  std::string login = "sim-user";
  std::string copilot_plan =
      "individual_pro";  // free|individual|individual_pro|business|enterprise
  std::string sku = "monthly_subscriber";
  // Premium quota (see README "Premium quota"): what the account starts with and returns to on
  // reset_stats(). Requests to models with billing.multiplier > 0 use it up.
  int premium_entitlement = 300;
  double premium_remaining = 300;
  bool premium_unlimited = false;  // never runs out; header ent=-1, rem=100.0
  bool overage_permitted = false;  // past the allowance requests go on and count as overage
  // YYYY-MM-DD (or a full ISO 8601 UTC time); empty = the first day of next month (UTC) when the
  // simulator is created, as Copilot's monthly allowance does (default_reset_date()).
  std::string quota_reset_date;
  Fault fault;  // applied to every completion request of this account
};

// A change to an account's premium quota (Simulator::set_quota, POST /_sim/quota). Unset fields
// stay as they are. The values also become what reset_stats() returns the account to.
struct QuotaUpdate {
  std::optional<double> remaining;  // >= 0
  std::optional<int> entitlement;   // >= 0
  std::optional<bool> unlimited;
  std::optional<bool> overage_permitted;
  std::optional<std::string> reset_date;  // YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ
};

struct SimConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0 = ephemeral
  int threads = 1;
  std::vector<SimAccount> accounts = {SimAccount{}};
  int token_lifetime_s = 1800;  // Copilot token expires_at = now + this
  int refresh_in_s = 1500;      // refresh_in in the token response
  int device_approve_after_polls =
      2;                      // device flow: authorization_pending this many times, then ok
  int device_interval_s = 5;  // `interval` returned by /login/device/code
  // approve | slow_down_once | expire | expire_once (the first code expires, later ones are
  // approved) | deny
  std::string device_outcome = "approve";
  std::string api_base_url;        // endpoints.api in the token response; empty = own base URL
  int default_stream_chunks = 20;  // content deltas per streamed answer unless the prompt says so
  // When set, this bearer is always accepted as a Copilot token of the first account.
  std::string static_copilot_token;
};

struct AccountStats {            // per account, since start or reset()
  uint64_t token_exchanges = 0;  // successful GET /copilot_internal/v2/token
  // authorized POST /chat/completions, /responses, /v1/messages, /embeddings (quota 402s aside)
  uint64_t completions = 0;
  uint64_t initiator_user = 0, initiator_agent = 0;  // by X-Initiator header value
  uint64_t vision_requests = 0;                      // Copilot-Vision-Request: true
  uint64_t unauthorized = 0;       // 401s answered (bad/expired/revoked Copilot token)
  uint64_t cancelled_streams = 0;  // streams whose client disconnected before the end
  std::string last_copilot_token;  // bearer used by the last completion/models call
  std::map<std::string, std::string> last_headers;  // lower-cased names, last completion
  std::string last_body;                            // body of the last completion request
  // `completions` by path: "/chat/completions", "/responses", "/v1/messages", "/embeddings"
  // (every key present).
  std::map<std::string, uint64_t> by_endpoint;
  // Premium quota: multipliers charged (overage included; unlimited accounts too), the live
  // remaining allowance (unlimited accounts never use it up), the part charged past the
  // allowance, and the requests refused with 402 quota_exceeded (not counted in `completions`).
  double premium_used = 0;
  double premium_remaining = 0;
  double overage_count = 0;
  uint64_t quota_rejections = 0;
};

// The first day of the month after today (UTC), YYYY-MM-DD.
std::string default_reset_date();

class State;
class Worker;

class Simulator {
 public:
  explicit Simulator(SimConfig cfg);
  ~Simulator();  // stops
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  void start();  // binds (throws std::runtime_error on failure), starts threads
  void stop();   // closes listeners and connections, joins threads; idempotent
  uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  // Thread-safe test hooks.
  AccountStats stats(std::string_view login) const;
  void reset_stats();  // also puts every premium quota back to its configured (or last set) values
  void set_fault(std::string_view login, Fault f);
  void revoke_tokens(std::string_view login);  // every Copilot token issued so far becomes invalid
  void set_token_lifetime(int lifetime_s, int refresh_in_s);
  // Changes the account's premium quota; false for an unknown login or an invalid value.
  bool set_quota(std::string_view login, const QuotaUpdate& u);

 private:
  SimConfig cfg_;
  std::shared_ptr<State> state_;
  std::vector<std::unique_ptr<Worker>> workers_;
  uint16_t port_ = 0;
  bool started_ = false;
};

}  // namespace cg::sim
