// `copilot-gateway accounts status` and `accounts refresh <account>`: what the RUNNING gateway
// knows about its pool (health, Copilot token, premium quota, load), read from its admin endpoint
// (GET /admin/accounts, POST /admin/accounts/{ref}/refresh). Tokens are never printed (the
// gateway never sends them). Main thread.
#include <iomanip>
#include <iostream>
#include <sstream>

#include <boost/json.hpp>

#include "cli/account_cli.h"
#include "cli/gateway_client.h"

namespace cg::cli {

namespace {

namespace json = boost::json;

std::string text(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_null()) return "";
  return json::serialize(v);
}

std::string amount(const json::value& v) {
  const double d = v.is_double() ? v.as_double() : v.is_int64() ? double(v.as_int64()) : 0;
  std::ostringstream o;
  o << std::fixed << std::setprecision(d == static_cast<int64_t>(d) ? 0 : 1) << d;
  return o.str();
}

void print_account(const json::object& a) {
  const std::string alias = text(a.at("alias"));
  const std::string login = text(a.at("login"));
  std::cout << text(a.at("id"));
  if (!alias.empty()) std::cout << "  " << alias;
  if (!login.empty() && login != alias) std::cout << "  (" << login << ")";
  const std::string plan = text(a.at("plan"));
  if (!plan.empty()) std::cout << "  plan " << plan;
  std::cout << "\n  health:    " << text(a.at("health_detail"));
  if (a.at("consecutive_failures").as_int64() > 0)
    std::cout << " (" << a.at("consecutive_failures").as_int64() << " failures in a row)";
  const json::object& t = a.at("token").as_object();
  std::cout << "\n  token:     " << text(t.at("state"));
  if (!t.at("expires_at").is_null()) std::cout << ", expires " << text(t.at("expires_at"));
  if (!t.at("refresh_at").is_null()) std::cout << ", refresh at " << text(t.at("refresh_at"));
  if (!text(t.at("last_error")).empty()) std::cout << "; last error: " << text(t.at("last_error"));
  const json::object& q = a.at("quota").as_object();
  std::cout << "\n  premium:   ";
  if (!q.at("known").as_bool()) {
    std::cout << "unknown yet";
  } else if (q.at("unlimited").as_bool()) {
    std::cout << "unlimited";
  } else {
    std::cout << amount(q.at("remaining")) << " of " << amount(q.at("entitlement")) << " left";
    if (!q.at("reset").is_null())
      std::cout << ", resets " << text(q.at("reset"))
                << (q.at("reset_assumed").as_bool() ? " (assumed)" : "") << " ("
                << amount(q.at("per_day")) << "/day)";
    if (q.at("overage_permitted").as_bool()) std::cout << ", overage permitted";
  }
  if (!q.at("premium_blocked_until").is_null())
    std::cout << "; out of premium routing until " << text(q.at("premium_blocked_until"));
  std::cout << "\n  load:      " << a.at("in_flight").as_int64() << " in flight ("
            << a.at("in_flight_vision").as_int64() << " vision)";
  std::cout << "; tier " << a.at("tier").as_int64() << ", weight " << a.at("weight").as_int64();
  if (a.at("max_concurrent").as_int64() > 0)
    std::cout << ", cap " << a.at("max_concurrent").as_int64();
  if (a.at("max_concurrent_vision").as_int64() > 0)
    std::cout << ", vision cap " << a.at("max_concurrent_vision").as_int64();
  if (a.at("egress_proxy").as_bool()) std::cout << ", egress proxy";
  std::cout << "\n";
}

// Prints the gateway's answer (or its error) as text or JSON; the exit code.
int show(const Result<GatewayAnswer>& got, bool as_json) {
  if (!got) {
    std::cerr << "copilot-gateway: " << got.error().message << std::endl;
    return 1;
  }
  if (got->status == 401) {
    std::cerr << "copilot-gateway: the gateway refused the API key (set API_KEY or --api-key to "
                 "one of its keys)"
              << std::endl;
    return 1;
  }
  json::error_code ec;
  json::value v = json::parse(got->body, ec);
  if (got->status != 200 || ec || !v.is_object()) {
    std::string message = got->body.substr(0, 500);
    if (!ec && v.is_object() && v.as_object().contains("error")) {
      const json::value& e = v.as_object().at("error");
      if (e.is_object() && e.as_object().contains("message"))
        message = text(e.as_object().at("message"));
    }
    std::cerr << "copilot-gateway: the gateway answered " << got->status << ": " << message
              << std::endl;
    return 1;
  }
  if (as_json) {
    std::cout << got->body << std::endl;
    return 0;
  }
  const json::object& root = v.as_object();
  const json::array& list = root.at("accounts").as_array();
  std::cout << list.size() << (list.size() == 1 ? " account" : " accounts") << ", strategy "
            << text(root.at("strategy"));
  if (root.at("queue_waiting").as_int64() > 0)
    std::cout << ", " << root.at("queue_waiting").as_int64() << " requests waiting for a slot";
  std::cout << "\n";
  for (const json::value& a : list) {
    std::cout << "\n";
    print_account(a.as_object());
  }
  return 0;
}

std::string url_escape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace

void tell_gateway_enabled(const Config& cfg, const std::string& url, int64_t id, bool enabled) {
  const std::string base = gateway_url(cfg, url);
  auto got =
      call_gateway(cfg, base, http::verb::post,
                   "/admin/accounts/" + std::to_string(id) + (enabled ? "/enable" : "/disable"));
  if (!got) {
    std::cout << "No gateway answers at " << base << "; the change applies when it starts."
              << std::endl;
  } else if (got->status == 200) {
    std::cout << "The running gateway at " << base
              << (enabled ? " put it back into rotation." : " took it out of rotation.")
              << std::endl;
  } else if (got->status == 404) {
    std::cout << "The running gateway at " << base
              << (enabled ? " does not serve it yet: it joins at the gateway's next start."
                          : " does not serve it.")
              << std::endl;
  } else {
    std::cout << "The running gateway at " << base << " answered " << got->status
              << "; the change applies at its next start." << std::endl;
  }
}

int accounts_status(const Config& cfg, const std::string& url, bool as_json) {
  return show(call_gateway(cfg, gateway_url(cfg, url), http::verb::get, "/admin/accounts"),
              as_json);
}

int accounts_refresh(const Config& cfg, const std::string& url, const std::string& ref,
                     bool as_json) {
  return show(call_gateway(cfg, gateway_url(cfg, url), http::verb::post,
                           "/admin/accounts/" + url_escape(ref) + "/refresh"),
              as_json);
}

}  // namespace cg::cli
