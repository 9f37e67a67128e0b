// See harness.h.
#include "harness.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

namespace cg::test {

namespace {

Config test_config(const sim::Simulator& sim) {
  Config c;
  c.server.host = "127.0.0.1";
  c.server.port = 0;
  c.server.workers = 2;
  c.server.shutdown_grace = std::chrono::seconds(10);
  c.upstream.github_api_url = sim.base_url();
  c.upstream.connect_timeout = std::chrono::seconds(2);
  c.upstream.first_byte_timeout = std::chrono::seconds(10);
  c.upstream.idle_timeout = std::chrono::seconds(10);
  c.auth.github_token = "ghu_sim_default";
  c.auth.api_keys = {kApiKey};
  c.auth.retry_initial = std::chrono::milliseconds(20);
  c.auth.retry_max = std::chrono::milliseconds(200);
  c.auth.retry_attempts = 3;
  c.log.access_log = false;
  return c;
}

}  // namespace

std::unique_ptr<Env> start_env(const std::function<void(sim::SimConfig&)>& tweak_sim,
                               const std::function<void(Config&)>& tweak_cfg) {
  auto env = std::make_unique<Env>();
  sim::SimConfig sc;
  if (tweak_sim) tweak_sim(sc);
  env->sim = std::make_unique<sim::Simulator>(sc);
  env->sim->start();
  Config c = test_config(*env->sim);
  if (tweak_cfg) tweak_cfg(c);
  env->cfg = std::make_shared<const Config>(std::move(c));
  env->gw = std::make_unique<server::Gateway>(env->cfg);
  env->gw->start();
  return env;
}

sim::SimAccount sim_account(std::string login) {
  sim::SimAccount a;
  a.github_token = "ghu_" + login;
  a.login = std::move(login);
  return a;
}

std::unique_ptr<Env> start_pool_env(
    std::vector<sim::SimAccount> accounts, const std::function<void(Config&)>& tweak_cfg,
    const std::function<void(std::vector<accounts::ServedAccount>&)>& tweak_accounts,
    const std::function<void(sim::SimConfig&)>& tweak_sim) {
  auto env = std::make_unique<Env>();
  sim::SimConfig sc;
  sc.accounts = accounts;
  if (tweak_sim) tweak_sim(sc);
  env->sim = std::make_unique<sim::Simulator>(sc);
  env->sim->start();
  Config c = test_config(*env->sim);
  c.auth.github_token.clear();
  if (tweak_cfg) tweak_cfg(c);
  std::vector<accounts::ServedAccount> served;
  for (const sim::SimAccount& a : accounts) {
    accounts::ServedAccount s;
    s.pool.id = a.login;
    s.pool.alias = a.login;
    s.credentials.label = a.login;
    s.credentials.github_token = a.github_token;
    s.credentials.github_api_url = c.upstream.github_api_url;
    s.credentials.account_type = "individual";
    s.login = a.login;
    served.push_back(std::move(s));
  }
  if (tweak_accounts) tweak_accounts(served);
  env->cfg = std::make_shared<const Config>(std::move(c));
  env->gw = std::make_unique<server::Gateway>(env->cfg, std::move(served));
  env->gw->start();
  return env;
}

Response request(uint16_t port, http::verb method, std::string target, std::string body,
                 std::vector<std::pair<std::string, std::string>> headers, bool with_key) {
  net::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (with_key) req.set(http::field::authorization, std::string("Bearer ") + kApiKey);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  for (auto& [k, v] : headers)
    req.set(k, v);
  req.body() = std::move(body);
  req.prepare_payload();
  http::write(s, req);
  beast::flat_buffer buf;
  http::response_parser<http::string_body> p;
  p.body_limit(64 << 20);
  error_code ec;
  http::read(s, buf, p, ec);
  Response r;
  if (ec) {
    r.status = -1;
    r.body = ec.message();
    return r;
  }
  r.status = p.get().result_int();
  r.headers = p.get().base();
  r.body = std::move(p.get().body());
  return r;
}

std::string chat_body(std::string_view model, std::string_view user_text, bool stream,
                      std::string_view extra) {
  std::string b = "{\"model\":\"" + std::string(model) +
                  "\",\"messages\":[{\"role\":\"user\","
                  "\"content\":\"" +
                  std::string(user_text) + "\"}]";
  if (stream) b += ",\"stream\":true";
  if (!extra.empty()) b += "," + std::string(extra);
  b += "}";
  return b;
}

std::vector<std::string> sse_data(std::string_view body) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find("\n\n", pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view ev = body.substr(pos, end - pos);
    size_t line = 0;
    while (line < ev.size()) {
      size_t nl = ev.find('\n', line);
      if (nl == std::string_view::npos) nl = ev.size();
      std::string_view l = ev.substr(line, nl - line);
      if (l.substr(0, 6) == "data: ") out.emplace_back(l.substr(6));
      line = nl + 1;
    }
    pos = end + 2;
  }
  return out;
}

std::vector<NamedEvent> named_sse_events(std::string_view body) {
  std::vector<NamedEvent> out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find("\n\n", pos);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view ev = body.substr(pos, end - pos);
    pos = end + 2;
    NamedEvent e;
    bool has_data = false;
    size_t line = 0;
    while (line < ev.size()) {
      size_t nl = ev.find('\n', line);
      if (nl == std::string_view::npos) nl = ev.size();
      const std::string_view l = ev.substr(line, nl - line);
      line = nl + 1;
      if (l.starts_with("event: ")) e.name = std::string(l.substr(7));
      if (l.starts_with("data: ")) {
        try {
          e.data = boost::json::parse(l.substr(6)).as_object();
          has_data = true;
        } catch (const std::exception&) {
          ADD_FAILURE() << "bad data line: " << l;
        }
      }
    }
    if (has_data) out.push_back(std::move(e));
  }
  return out;
}

StreamClient::StreamClient(uint16_t port, const std::string& body, std::string path) {
  socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{http::verb::post, path, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::authorization, std::string("Bearer ") + kApiKey);
  req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  http::write(socket_, req);
  parser_.body_limit(boost::none);
  http::read_header(socket_, buffer_, parser_);
  status_ = parser_.get().result_int();
}

bool StreamClient::read_some() {
  const size_t before = received_.size();
  while (!parser_.is_done()) {
    char buf[4096];
    parser_.get().body().data = buf;
    parser_.get().body().size = sizeof buf;
    error_code ec;
    http::read_some(socket_, buffer_, parser_, ec);
    if (ec == http::error::need_buffer) ec = {};
    received_.append(buf, sizeof buf - parser_.get().body().size);
    if (ec) return false;
    if (received_.size() > before &&
        received_.find("\n\n", before > 1 ? before - 1 : 0) != std::string::npos)
      return true;
  }
  return false;
}

void StreamClient::close() {
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

}  // namespace cg::test
