// Integration-test harness: the simulator and the gateway in this process on ephemeral ports,
// and a small blocking HTTP client. Test thread only (the servers run their own threads).
#pragma once
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "accounts/served_account.h"
#include "asio_impl/net.h"
#include "config/config.h"
#include "server/gateway.h"
#include "sim/simulator.h"

namespace cg::test {

inline constexpr const char* kApiKey = "test-key-0123456789";
inline constexpr const char* kSimLogin = "sim-user";

struct Env {
  std::unique_ptr<sim::Simulator> sim;
  std::unique_ptr<server::Gateway> gw;
  std::shared_ptr<const Config> cfg;
  uint16_t port() const { return gw->port(); }
};

// Starts a simulator (after `tweak_sim`) and a gateway pointed at it (after `tweak_cfg`), with
// one API key (kApiKey) and 2 workers.
std::unique_ptr<Env> start_env(const std::function<void(sim::SimConfig&)>& tweak_sim = {},
                               const std::function<void(Config&)>& tweak_cfg = {});

// A pool of simulator accounts: the simulator gets `accounts` (after `tweak_sim`), and the gateway
// serves from each of them as a stored account would be (id = the login, alias = the login, the
// account's GitHub token; no GITHUB_TOKEN account), after `tweak_accounts` (priority, weight, caps,
// ...) and `tweak_cfg`. The served order is the order of `accounts` (pool index i = accounts[i]).
std::unique_ptr<Env> start_pool_env(
    std::vector<sim::SimAccount> accounts, const std::function<void(Config&)>& tweak_cfg = {},
    const std::function<void(std::vector<accounts::ServedAccount>&)>& tweak_accounts = {},
    const std::function<void(sim::SimConfig&)>& tweak_sim = {});
// A simulator account with login `login` and GitHub token "ghu_" + login.
sim::SimAccount sim_account(std::string login);

struct Response {
  int status = 0;
  http::fields headers;
  std::string body;
  std::string header(std::string_view name) const { return std::string(headers[name]); }
};

// One blocking request on a fresh connection. `headers` are name/value pairs.
Response request(uint16_t port, http::verb method, std::string target, std::string body = {},
                 std::vector<std::pair<std::string, std::string>> headers = {},
                 bool with_key = true);

inline Response post_chat(uint16_t port, const std::string& body,
                          std::string path = "/v1/chat/completions") {
  return request(port, http::verb::post, std::move(path), body);
}

// A chat body with one user message (JSON-escaped by the caller when needed).
std::string chat_body(std::string_view model, std::string_view user_text, bool stream = false,
                      std::string_view extra = {});

// SSE "data:" payloads of a complete stream body, in order.
std::vector<std::string> sse_data(std::string_view body);

// The `event:` name and `data:` object of each event of an SSE body (events without data are
// skipped); a data line that is not a JSON object fails the test.
struct NamedEvent {
  std::string name;
  boost::json::object data;
};
std::vector<NamedEvent> named_sse_events(std::string_view body);

// A streaming reader: send a request, then read the body piece by piece.
class StreamClient {
 public:
  StreamClient(uint16_t port, const std::string& body, std::string path = "/v1/chat/completions");
  int status() const { return status_; }
  // Reads until at least one more complete SSE event is available or the stream ends; returns
  // false at the end of the stream.
  bool read_some();
  const std::string& received() const { return received_; }
  void close();

 private:
  net::io_context io_;
  tcp::socket socket_{io_};
  beast::flat_buffer buffer_;
  http::response_parser<http::buffer_body> parser_;
  std::string received_;
  int status_ = 0;
};

// Polls `cond` every 10 ms up to `limit`.
bool eventually(const std::function<bool()>& cond,
                std::chrono::milliseconds limit = std::chrono::seconds(5));

}  // namespace cg::test
