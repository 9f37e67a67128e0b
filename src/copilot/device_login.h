// device_login(): GitHub's device flow over the network (the rules are DevicePoller's, in
// device_flow.h): asks for a code, shows it through the caller's callbacks, polls until the user
// approves, starts over with a new code when one expires, and returns the GitHub OAuth token.
// Runs on the Client's thread (the CLI runs it on its own io_context).
#pragma once
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "asio_impl/net.h"
#include "config/config.h"
#include "copilot/device_flow.h"
#include "core/result.h"
#include "upstream/client.h"
#include "upstream/target.h"

namespace cg::copilot {

struct DeviceLoginOptions {
  // https://github.com, or https://<domain> for GHE.com: /login/device/code and
  // /login/oauth/access_token live there.
  upstream::Target github;
  std::string client_id{kDeviceClientId};
  std::string scope{kDeviceScope};
  UpstreamConfig headers;                    // user agent and editor headers GitHub sees
  std::chrono::milliseconds timeout{15000};  // per HTTP exchange
  // The length of one protocol second: the interval and expiry GitHub gives are multiplied by
  // it (tests shorten it; 1 s otherwise).
  std::chrono::milliseconds second{1000};
  int max_restarts = 3;
};

struct DeviceLoginEvents {
  std::function<void(const DeviceCode&)> on_code;  // show the code (again after a restart)
  std::function<void(int polls, int64_t interval_ms)> on_wait;  // before each wait
  std::function<void(std::string_view why)> on_restart;         // a new code is being fetched
};

// The GitHub OAuth token (a secret: never logged). Errors: 502 device_flow_failed naming why
// (denied, expired too often, GitHub's error), or the transport's error.
Task<Result<std::string>> device_login(upstream::Client& client, const DeviceLoginOptions& opt,
                                       const DeviceLoginEvents& events);

}  // namespace cg::copilot
