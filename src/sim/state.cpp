// See state.h. All public methods lock mu_; nothing here does I/O.
#include "sim/state.h"

#include <algorithm>
#include <ctime>

#include "core/ids.h"
#include "core/json_escape.h"

namespace cg::sim {
namespace {

int64_t unix_now() {
  return static_cast<int64_t>(std::time(nullptr));
}

void append_field(std::string& out, std::string_view name, uint64_t v) {
  append_json_string(out, name);
  out += ':';
  out += std::to_string(v);
  out += ',';
}

void append_amount(std::string& out, std::string_view name, double v) {
  append_json_string(out, name);
  out += ':';
  append_hundredths(out, to_cents(v));
  out += ',';
}

std::vector<Quota> configured_quotas(const std::vector<SimAccount>& accounts) {
  std::vector<Quota> out;
  out.reserve(accounts.size());
  for (const SimAccount& a : accounts)
    out.push_back(configured_quota(a));
  return out;
}

}  // namespace

std::string_view endpoint_path(Endpoint e) {
  switch (e) {
    case Endpoint::kChatCompletions:
      return "/chat/completions";
    case Endpoint::kResponses:
      return "/responses";
    case Endpoint::kMessages:
      return "/v1/messages";
    case Endpoint::kEmbeddings:
      return "/embeddings";
  }
  return {};
}

State::State(SimConfig cfg)
    : cfg_(std::move(cfg)),
      stats_(cfg_.accounts.size()),
      quotas_(configured_quotas(cfg_.accounts)) {}

// ---- GitHub side ----

State::DeviceCode State::new_device_code() {
  DeviceCode d;
  d.device_code = new_token_id("", 40);
  std::string user = new_token_id("", 8);
  for (char& c : user)
    c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  d.user_code = user.substr(0, 4) + "-" + user.substr(4);
  d.interval = cfg_.device_interval_s;
  std::lock_guard lock(mu_);
  devices_.emplace(d.device_code, Device{});
  return d;
}

State::PollResult State::poll_device(std::string_view device_code) {
  std::lock_guard lock(mu_);
  PollResult r;
  auto it = devices_.find(device_code);
  if (it == devices_.end()) {
    r.error = "expired_token";
    return r;
  }
  int poll = ++it->second.polls;  // 1-based
  const std::string& outcome = cfg_.device_outcome;
  if (outcome == "slow_down_once") {
    if (poll == 1) {
      r.error = "slow_down";
      r.interval = cfg_.device_interval_s + 5;
      return r;
    }
    --poll;  // the slow_down poll does not count towards approval
  }
  if (poll <= cfg_.device_approve_after_polls) {
    r.error = "authorization_pending";
    return r;
  }
  if (outcome == "deny") {
    r.error = "access_denied";
  } else if (outcome == "expire" || (outcome == "expire_once" && !device_expired_once_)) {
    r.error = "expired_token";
    device_expired_once_ = true;
  } else {
    r.access_token = cfg_.accounts.empty() ? std::string() : cfg_.accounts.front().github_token;
  }
  devices_.erase(it);
  return r;
}

std::optional<State::IssuedToken> State::exchange(std::string_view github_token) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < cfg_.accounts.size(); ++i) {
    const SimAccount& a = cfg_.accounts[i];
    if (a.github_token != github_token) continue;
    IssuedToken t;
    t.expires_at = unix_now() + cfg_.token_lifetime_s;
    t.refresh_in = cfg_.refresh_in_s;
    t.sku = a.sku;
    t.token = new_token_id("tid=", 32) + ";exp=" + std::to_string(t.expires_at) + ";sku=" + a.sku +
              ";proxy-ep=proxy.individual.githubcopilot.com;st=dotcom;chat=1;8kp=1" +
              new_token_id(":", 64);
    tokens_[t.token] =
        Token{static_cast<int>(i), Clock::now() + std::chrono::seconds(cfg_.token_lifetime_s)};
    ++stats_[i].token_exchanges;
    return t;
  }
  return std::nullopt;
}

std::optional<State::AccountView> State::account_by_github(std::string_view github_token) const {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < cfg_.accounts.size(); ++i)
    if (cfg_.accounts[i].github_token == github_token)
      return AccountView{cfg_.accounts[i], quotas_[i]};
  return std::nullopt;
}

// ---- Copilot side ----

State::AuthResult State::authorize_locked(std::string_view bearer) {
  AuthResult r;
  if (bearer.empty()) {
    r.auth = Auth::kMissing;
    return r;
  }
  if (!cfg_.static_copilot_token.empty() && bearer == cfg_.static_copilot_token &&
      !cfg_.accounts.empty()) {
    r.account = 0;
  } else {
    auto it = tokens_.find(bearer);
    if (it == tokens_.end()) {
      r.auth = Auth::kUnknown;
      return r;
    }
    r.account = it->second.account;
    if (it->second.revoked) {
      r.auth = Auth::kRevoked;
      return r;
    }
    if (Clock::now() >= it->second.expires) {
      r.auth = Auth::kExpired;
      return r;
    }
  }
  r.fault = cfg_.accounts[r.account].fault;
  r.auth = r.fault.revoke_token ? Auth::kRevoked : Auth::kOk;
  return r;
}

State::AuthResult State::on_completion(const CompletionInfo& info) {
  std::lock_guard lock(mu_);
  AuthResult r = authorize_locked(info.bearer);
  if (r.account < 0) return r;
  Stats& s = stats_[r.account];
  if (r.auth != Auth::kOk) {
    ++s.unauthorized;
    return r;
  }
  if (!charge_locked(info, r)) {
    ++s.quota_rejections;
    r.quota_exceeded = true;
    return r;
  }
  ++s.completions;
  ++s.by_endpoint[static_cast<size_t>(info.endpoint)];
  if (info.initiator == "user") ++s.initiator_user;
  if (info.initiator == "agent") ++s.initiator_agent;
  if (info.vision) ++s.vision_requests;
  s.last_copilot_token.assign(info.bearer);  // assign() reuses capacity: no churn
  s.last_header_block.assign(info.header_block);
  s.last_body.assign(info.body);
  return r;
}

bool State::charge_locked(const CompletionInfo& info, AuthResult& r) {
  Quota& q = quotas_[r.account];
  const int status = info.fault_status >= 0 ? info.fault_status : r.fault.status;
  // A faulted answer is free; so is a request marked X-Initiator: agent (tool-loop turns,
  // sub-agents: copilot-upstream.md §6, only user turns use premium requests).
  const Cents cost = status > 0 || info.initiator == "agent" ? 0 : to_cents(info.premium);
  const bool ok = cost <= 0 || charge(q, cost);
  if (ok) stats_[r.account].premium_used += std::max<Cents>(cost, 0);
  r.quota = q;
  return ok;
}

State::AuthResult State::on_models(std::string_view bearer) {
  std::lock_guard lock(mu_);
  AuthResult r = authorize_locked(bearer);
  if (r.account < 0) return r;
  if (r.auth != Auth::kOk) {
    ++stats_[r.account].unauthorized;
  } else {
    stats_[r.account].last_copilot_token.assign(bearer);
  }
  return r;
}

void State::on_cancelled_stream(int account) {
  std::lock_guard lock(mu_);
  if (account >= 0 && static_cast<size_t>(account) < stats_.size())
    ++stats_[account].cancelled_streams;
}

// ---- control ----

int State::account_by_login_locked(std::string_view login) const {
  for (size_t i = 0; i < cfg_.accounts.size(); ++i)
    if (cfg_.accounts[i].login == login) return static_cast<int>(i);
  return -1;
}

AccountStats State::to_public(const Stats& s, const Quota& q) {
  AccountStats a;
  a.token_exchanges = s.token_exchanges;
  a.completions = s.completions;
  a.initiator_user = s.initiator_user;
  a.initiator_agent = s.initiator_agent;
  a.vision_requests = s.vision_requests;
  a.unauthorized = s.unauthorized;
  a.cancelled_streams = s.cancelled_streams;
  a.premium_used = from_cents(s.premium_used);
  a.premium_remaining = from_cents(q.remaining);
  a.overage_count = from_cents(q.overage);
  a.quota_rejections = s.quota_rejections;
  a.last_copilot_token = s.last_copilot_token;
  a.last_body = s.last_body;
  for (size_t i = 0; i < kEndpointCount; ++i)
    a.by_endpoint[std::string(endpoint_path(static_cast<Endpoint>(i)))] = s.by_endpoint[i];
  std::string_view block = s.last_header_block;
  while (!block.empty()) {
    const size_t nl = block.find('\n');
    const std::string_view line = block.substr(0, nl);
    block = nl == std::string_view::npos ? std::string_view{} : block.substr(nl + 1);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string& v = a.last_headers[std::string(line.substr(0, colon))];
    if (!v.empty()) v += ", ";  // repeated header: combine like HTTP does
    v.append(line.substr(colon + 1));
  }
  return a;
}

AccountStats State::stats(std::string_view login) const {
  std::lock_guard lock(mu_);
  const int i = account_by_login_locked(login);
  return i < 0 ? AccountStats{} : to_public(stats_[i], quotas_[i]);
}

std::string State::stats_json() const {
  std::lock_guard lock(mu_);
  std::string out = "{\"accounts\":{";
  for (size_t i = 0; i < cfg_.accounts.size(); ++i) {
    const AccountStats a = to_public(stats_[i], quotas_[i]);
    if (i > 0) out += ',';
    append_json_string(out, cfg_.accounts[i].login);
    out += ":{";
    append_field(out, "token_exchanges", a.token_exchanges);
    append_field(out, "completions", a.completions);
    append_field(out, "initiator_user", a.initiator_user);
    append_field(out, "initiator_agent", a.initiator_agent);
    append_field(out, "vision_requests", a.vision_requests);
    append_field(out, "unauthorized", a.unauthorized);
    append_field(out, "cancelled_streams", a.cancelled_streams);
    append_amount(out, "premium_used", a.premium_used);
    append_amount(out, "premium_remaining", a.premium_remaining);
    append_amount(out, "overage_count", a.overage_count);
    append_field(out, "quota_rejections", a.quota_rejections);
    out += "\"by_endpoint\":{";
    bool first_endpoint = true;
    for (const auto& [path, n] : a.by_endpoint) {
      if (!first_endpoint) out += ',';
      first_endpoint = false;
      append_json_string(out, path);
      out += ':';
      out += std::to_string(n);
    }
    out += "},\"last_copilot_token\":";
    append_json_string(out, a.last_copilot_token);
    out += ",\"last_headers\":{";
    bool first = true;
    for (const auto& [k, v] : a.last_headers) {
      if (!first) out += ',';
      first = false;
      append_json_string(out, k);
      out += ':';
      append_json_string(out, v);
    }
    out += "}}";
  }
  out += "}}";
  return out;
}

void State::reset_stats() {
  std::lock_guard lock(mu_);
  for (Stats& s : stats_)
    s = Stats{};
  quotas_ = configured_quotas(cfg_.accounts);
}

bool State::set_fault(std::string_view login, const Fault& f) {
  std::lock_guard lock(mu_);
  const int i = account_by_login_locked(login);
  if (i < 0) return false;
  cfg_.accounts[i].fault = f;
  return true;
}

void State::revoke_tokens(std::string_view login) {
  std::lock_guard lock(mu_);
  const int i = account_by_login_locked(login);
  for (auto& [token, t] : tokens_)
    if (t.account == i) t.revoked = true;
}

void State::set_token_lifetime(int lifetime_s, int refresh_in_s) {
  std::lock_guard lock(mu_);
  cfg_.token_lifetime_s = lifetime_s;
  cfg_.refresh_in_s = refresh_in_s;
}

bool State::set_quota(std::string_view login, const QuotaUpdate& u) {
  if (!quota_update_error(u).empty()) return false;
  std::lock_guard lock(mu_);
  const int i = account_by_login_locked(login);
  if (i < 0) return false;
  SimAccount& a = cfg_.accounts[i];  // what reset_stats() restores
  if (u.remaining) a.premium_remaining = *u.remaining;
  if (u.entitlement) a.premium_entitlement = *u.entitlement;
  if (u.unlimited) a.premium_unlimited = *u.unlimited;
  if (u.overage_permitted) a.overage_permitted = *u.overage_permitted;
  if (u.reset_date) a.quota_reset_date = *u.reset_date;
  apply(quotas_[i], u);
  return true;
}

}  // namespace cg::sim
