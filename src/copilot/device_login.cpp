// See device_login.h. The Client's thread.
#include "copilot/device_login.h"

#include "upstream/request.h"

namespace cg::copilot {
namespace {

http::request<http::string_body> github_post(const DeviceLoginOptions& opt, std::string_view path,
                                             std::string body) {
  http::request<http::string_body> req{http::verb::post, opt.github.path(path), 11};
  req.set(http::field::accept, "application/json");
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, opt.headers.user_agent);
  req.set("editor-version", opt.headers.editor_version);
  req.set("editor-plugin-version", opt.headers.editor_plugin_version);
  req.body() = std::move(body);
  return req;
}

}  // namespace

Task<Result<std::string>> device_login(upstream::Client& client, const DeviceLoginOptions& opt,
                                       const DeviceLoginEvents& events) {
  const auto t0 = std::chrono::steady_clock::now();
  const int64_t unit = std::max<int64_t>(opt.second.count(), 1);
  // Protocol time (ms of GitHub's seconds) since the start.
  auto now = [&] {
    const auto real =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    return real * 1000 / unit;
  };
  net::steady_timer timer(co_await net::this_coro::executor);
  DevicePoller poller(opt.max_restarts);
  for (;;) {
    auto res = co_await upstream::request(
        client, opt.github,
        github_post(opt, "/login/device/code", device_code_request_body(opt.client_id, opt.scope)),
        opt.timeout);
    if (!res) co_return std::move(res).error();
    if (res->status != 200)
      co_return device_flow_error("asking for a device code: GitHub answered HTTP " +
                                  std::to_string(res->status));
    auto code = parse_device_code(res->body);
    if (!code) co_return std::move(code).error();
    if (events.on_code) events.on_code(*code);
    PollStep step = poller.start(*code, now());
    while (step.kind == PollStep::kWait) {
      if (events.on_wait) events.on_wait(poller.polls(), step.wait_ms);
      timer.expires_after(std::chrono::milliseconds(step.wait_ms * unit / 1000));
      co_await timer.async_wait(use_nothrow);
      auto poll = co_await upstream::request(
          client, opt.github,
          github_post(opt, "/login/oauth/access_token",
                      token_poll_request_body(opt.client_id, code->device_code)),
          opt.timeout);
      if (!poll) {
        step = poller.on_transport_error(poll.error().message, now());
      } else if (poll->status >= 500 || poll->status == 429) {
        step = poller.on_transport_error("HTTP " + std::to_string(poll->status), now());
      } else {
        step = poller.on_answer(parse_poll_answer(poll->status, poll->body), now());
      }
    }
    if (step.kind == PollStep::kDone) co_return std::move(step.access_token);
    if (step.kind == PollStep::kFail) co_return device_flow_error(step.message);
    if (events.on_restart) events.on_restart(step.message);  // kRestart: a new code
  }
}

}  // namespace cg::copilot
