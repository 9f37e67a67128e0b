// `copilot-gateway login` (GitHub device flow, then the account is saved) and `copilot-gateway
// accounts list | add | remove | enable | disable | set | quota | models`: the accounts database
// the gateway serves from (`status` and `refresh` ask the running gateway: accounts_live.cpp).
// Every other flag (--store, --github-url, --github-api-url, --https-proxy, --config, ...) is the
// gateway's own configuration. Tokens are never printed. Main thread.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "cli/account_cli.h"
#include "cli/commands.h"
#include "config/load.h"
#include "copilot/device_login.h"
#include "core/log.h"
#include "upstream/client.h"
#include "upstream/tls_context.h"

namespace cg::cli {
namespace {

namespace json = boost::json;

// The settable fields of an account, as flags. A field is changed only when its flag was given.
struct AccountFlags {
  std::string alias, account_type, ghe_domain, egress_proxy;
  int priority = 0, weight = 1, max_concurrency = 0, max_vision_concurrency = 0;
  CLI::Option *o_alias = nullptr, *o_type = nullptr, *o_domain = nullptr, *o_proxy = nullptr;
  CLI::Option *o_priority = nullptr, *o_weight = nullptr, *o_conc = nullptr, *o_vision = nullptr;

  void add_to(CLI::App& app) {
    o_alias = app.add_option("--alias", alias, "short name, for pinning (X-Copilot-Account)");
    o_type = app.add_option("--account-type", account_type, "individual | business | enterprise");
    o_domain = app.add_option("--ghe-domain", ghe_domain, "GHE.com domain (empty: github.com)");
    o_priority = app.add_option("--priority", priority, "lower is tried first (default 0)");
    o_weight = app.add_option("--weight", weight, "share of the load within its priority (>= 1)");
    o_conc = app.add_option("--max-concurrency", max_concurrency, "concurrent requests (0: any)");
    o_vision = app.add_option("--max-vision-concurrency", max_vision_concurrency,
                              "concurrent requests with images (0: any)");
    o_proxy = app.add_option("--egress-proxy", egress_proxy,
                             "http(s):// proxy for this account's upstream traffic");
  }

  // The given flags as an update; an error message for a bad account type.
  std::optional<std::string> to_update(store::AccountUpdate& u) const {
    if (o_alias->count()) u.alias = alias;
    if (o_type->count()) {
      auto t = store::parse_account_type(account_type);
      if (!t) return "--account-type must be individual, business or enterprise";
      u.account_type = *t;
    }
    if (o_domain->count()) u.ghe_domain = ghe_domain;
    if (o_priority->count()) u.priority = priority;
    if (o_weight->count()) u.weight = weight;
    if (o_conc->count()) u.max_concurrency = max_concurrency;
    if (o_vision->count()) u.max_vision_concurrency = max_vision_concurrency;
    if (o_proxy->count()) u.egress_proxy = egress_proxy;
    return std::nullopt;
  }
};

// Parses the command's own flags; what is left goes to the gateway configuration.
// Returns the exit code to stop with, or nullopt to go on with `cfg` filled.
std::optional<int> parse(CLI::App& app, const std::vector<std::string>& args, Config& cfg) {
  app.allow_extras();
  std::vector<std::string> rev(args.rbegin(), args.rend());
  try {
    app.parse(rev);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auto loaded = load_config(app.remaining(true), process_env());
  if (!loaded) {
    std::cerr << "copilot-gateway: " << loaded.error().message << std::endl;
    return loaded.error().type == kHelpType ? 0 : 2;
  }
  cfg = std::move(*loaded);
  // The store's info lines (opened, migrated) are not for a CLI user.
  log::set_level(cfg.log.level == "debug" ? log::Level::kDebug : log::Level::kWarn);
  return std::nullopt;
}

// A JSON number that prints as an integer when it is one (300, not 3E2).
json::value number(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v))) return static_cast<int64_t>(v);
  return v;
}

// A token from a flag value, or from standard input when the value is "-".
std::string read_token(std::string value) {
  if (value != "-") return value;
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  return line;
}

// Adds (or, for a login already stored, updates the token of) an account verified with GitHub.
int save_account(store::AccountStore& s, store::Account a, const copilot::CopilotUser& user,
                 const store::AccountUpdate& flags) {
  a.github_login = user.login.empty() ? a.github_login : user.login;
  a.plan = user.plan;
  flags.apply_to(a);
  auto existing = s.find_by_login(a.github_login, a.ghe_domain);
  if (existing && *existing) {
    store::AccountUpdate u = flags;
    u.github_token = a.github_token;
    u.plan = a.plan;
    auto r = s.update((*existing)->id, u);
    if (!r) {
      std::cerr << "copilot-gateway: " << r.error().message << std::endl;
      return 1;
    }
    save_quota(s, r->id, user);
    std::cout << "Updated account " << r->id << " (" << r->github_login << "): new token saved."
              << std::endl;
    return 0;
  }
  auto r = s.add(a);
  if (!r) {
    std::cerr << "copilot-gateway: " << r.error().message << std::endl;
    return 1;
  }
  save_quota(s, r->id, user);
  std::cout << "Added account " << r->id << " (" << r->github_login
            << (r->plan.empty() ? "" : ", plan " + r->plan) << ")." << std::endl;
  return 0;
}

}  // namespace

int cmd_login(const std::vector<std::string>& args) {
  CLI::App app("copilot-gateway login: sign in to GitHub with the device flow and save the account",
               "copilot-gateway login");
  AccountFlags flags;
  flags.add_to(app);
  Config cfg;
  if (auto code = parse(app, args, cfg)) return *code;
  store::AccountUpdate update;
  if (auto err = flags.to_update(update)) {
    std::cerr << "copilot-gateway: " << *err << std::endl;
    return 2;
  }
  auto store = open_account_store(cfg);
  if (!store) return 1;
  const GitHubUrls urls = github_urls(cfg, flags.ghe_domain);
  auto web = upstream::Target::parse(urls.web);
  if (!web) {
    std::cerr << "copilot-gateway: " << web.error().message << std::endl;
    return 2;
  }
  copilot::DeviceLoginOptions opt;
  opt.github = *web;
  opt.headers = cfg.upstream;
  copilot::DeviceLoginEvents ev;
  ev.on_code = [](const copilot::DeviceCode& c) {
    std::cout << "\nOpen " << c.verification_uri << " and enter the code:  " << c.user_code
              << "\n(it expires in " << c.expires_in_s / 60 << " minutes)\n"
              << "Waiting for you to approve" << std::flush;
  };
  ev.on_wait = [](int polls, int64_t) {
    if (polls > 0) std::cout << '.' << std::flush;
  };
  ev.on_restart = [](std::string_view why) {
    std::cout << "\n" << why << "; new code:" << std::flush;
  };
  auto token = run_blocking([&]() -> Task<Result<std::string>> {
    const upstream::ClientOptions o = client_options(cfg, flags.egress_proxy);
    upstream::Client client(co_await net::this_coro::executor, upstream::make_tls_context(o), o);
    co_return co_await copilot::device_login(client, opt, ev);
  }());
  std::cout << std::endl;
  if (!token) {
    std::cerr << "copilot-gateway: " << token.error().message << std::endl;
    return 1;
  }
  auto user = verify_github_token(cfg, flags.ghe_domain, *token, flags.egress_proxy);
  if (!user) {
    std::cerr << "copilot-gateway: signed in, but " << user.error().message << std::endl;
    return 1;
  }
  store::Account a;
  a.github_token = *token;
  return save_account(*store, std::move(a), *user, update);
}

namespace {

std::string quota_text(store::AccountStore& s, int64_t id) {
  auto q = s.get_quota(id);
  if (!q || !*q) return "?";
  if ((*q)->unlimited) return "unlimited";
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << (*q)->premium_remaining << "/"
    << (*q)->premium_entitlement;
  if (!(*q)->reset_date.empty()) o << " until " << (*q)->reset_date;
  return o.str();
}

int accounts_list(store::AccountStore& s, bool as_json) {
  auto all = s.list();
  if (!all) {
    std::cerr << "copilot-gateway: " << all.error().message << std::endl;
    return 1;
  }
  if (as_json) {
    json::array arr;
    for (const store::Account& a : *all) {
      json::object o{{"id", a.id},
                     {"login", a.github_login},
                     {"alias", a.alias},
                     {"account_type", store::account_type_name(a.account_type)},
                     {"ghe_domain", a.ghe_domain},
                     {"plan", a.plan},
                     {"enabled", a.enabled},
                     {"priority", a.priority},
                     {"weight", a.weight},
                     {"max_concurrency", a.max_concurrency},
                     {"max_vision_concurrency", a.max_vision_concurrency},
                     {"egress_proxy", !a.egress_proxy.empty()},
                     {"last_error", a.last_error},
                     {"disabled_reason", a.disabled_reason}};
      if (auto q = s.get_quota(a.id); q && *q) {
        o["premium"] = json::object{{"entitlement", (*q)->premium_entitlement},
                                    {"remaining", number((*q)->premium_remaining)},
                                    {"unlimited", (*q)->unlimited},
                                    {"reset_date", (*q)->reset_date}};
      }
      arr.push_back(std::move(o));
    }
    std::cout << json::serialize(arr) << std::endl;
    return 0;
  }
  if (all->empty()) {
    std::cout << "No accounts. Add one with `copilot-gateway login` or `copilot-gateway accounts "
                 "add --token -`."
              << std::endl;
    return 0;
  }
  std::printf("%-4s %-12s %-20s %-10s %-15s %-8s %4s %4s %5s  %s\n", "ID", "ALIAS", "LOGIN", "TYPE",
              "PLAN", "STATE", "PRIO", "WGHT", "CAP", "PREMIUM");
  for (const store::Account& a : *all) {
    std::string login = a.github_login + (a.ghe_domain.empty() ? "" : "@" + a.ghe_domain);
    std::string cap = a.max_concurrency > 0 ? std::to_string(a.max_concurrency) : "-";
    std::printf("%-4lld %-12s %-20s %-10s %-15s %-8s %4d %4d %5s  %s\n",
                static_cast<long long>(a.id), a.alias.empty() ? "-" : a.alias.c_str(),
                login.c_str(), std::string(store::account_type_name(a.account_type)).c_str(),
                a.plan.empty() ? "?" : a.plan.c_str(), a.enabled ? "enabled" : "disabled",
                a.priority, a.weight, cap.c_str(), quota_text(s, a.id).c_str());
    if (!a.enabled && !a.disabled_reason.empty())
      std::printf("     disabled: %s\n", a.disabled_reason.c_str());
    if (!a.last_error.empty()) std::printf("     last error: %s\n", a.last_error.c_str());
  }
  return 0;
}

// The account `ref` names, or every account when it is empty; nullopt (after saying why) when
// there is none or the store failed.
std::optional<std::vector<store::Account>> accounts_of(store::AccountStore& s,
                                                       const std::string& ref) {
  std::vector<store::Account> accounts;
  if (!ref.empty()) {
    auto a = find_account(s, ref);
    if (!a) return std::nullopt;
    accounts.push_back(std::move(*a));
  } else if (auto all = s.list()) {
    accounts = std::move(*all);
  } else {
    std::cerr << "copilot-gateway: " << all.error().message << std::endl;
    return std::nullopt;
  }
  return accounts;
}

// `accounts models [ref]`: per account, the catalog its Copilot token sees.
int accounts_models(const Config& cfg, store::AccountStore& s, const std::string& ref) {
  auto accounts = accounts_of(s, ref);
  if (!accounts) return 1;
  int failures = 0;
  for (const store::Account& a : *accounts) {
    std::printf("%s#%lld %s (%s)%s\n", accounts->size() > 1 ? "\n" : "",
                static_cast<long long>(a.id), a.github_login.c_str(),
                a.plan.empty() ? "plan unknown" : a.plan.c_str(), a.enabled ? "" : ", disabled");
    auto catalog = fetch_account_catalog(cfg, a);
    if (!catalog) {
      ++failures;
      std::printf("  error: %s\n", catalog.error().message.c_str());
      continue;
    }
    std::printf("  %-28s %-12s %10s  %s\n", "MODEL", "VENDOR", "PREMIUM ×", "ENDPOINTS");
    for (const wire::copilot::ModelInfo& m : catalog->models) {
      std::string endpoints;
      for (const std::string& e : m.supported_endpoints)
        endpoints += (endpoints.empty() ? "" : " ") + e;
      char mult[16];
      std::snprintf(mult, sizeof mult, "%g", m.multiplier);
      std::printf("  %-28s %-12s %10s  %s\n", m.id.c_str(), m.vendor.c_str(),
                  m.multiplier > 0 ? mult : "included",
                  m.type == "embeddings" ? "/embeddings"
                  : endpoints.empty()    ? "-"
                                         : endpoints.c_str());
    }
  }
  return failures == 0 ? 0 : 1;
}

// `accounts quota [ref]`: copilot_internal/user for each account, printed and saved.
int accounts_quota(const Config& cfg, store::AccountStore& s, const std::string& ref) {
  auto found = accounts_of(s, ref);
  if (!found) return 1;
  std::vector<store::Account>& accounts = *found;
  int failures = 0;
  std::printf("%-4s %-20s %-15s %12s %12s %8s  %s\n", "ID", "LOGIN", "PLAN", "REMAINING",
              "ENTITLEMENT", "USED %", "RESETS");
  for (const store::Account& a : accounts) {
    auto user = verify_github_token(cfg, a.ghe_domain, a.github_token, a.egress_proxy);
    if (!user) {
      ++failures;
      std::printf("%-4lld %-20s error: %s\n", static_cast<long long>(a.id), a.github_login.c_str(),
                  user.error().message.c_str());
      (void)s.record_error(a.id, user.error().message);
      continue;
    }
    save_quota(s, a.id, *user);
    if (!user->plan.empty() && user->plan != a.plan) {
      store::AccountUpdate u;
      u.plan = user->plan;
      (void)s.update(a.id, u);
    }
    const auto& p = user->premium;
    char remaining[32] = "-", entitlement[32] = "-", used[16] = "-";
    if (p && p->unlimited) {
      std::snprintf(remaining, sizeof remaining, "unlimited");
    } else if (p) {
      std::snprintf(remaining, sizeof remaining, "%.1f", p->remaining);
      std::snprintf(entitlement, sizeof entitlement, "%.0f", p->entitlement);
      std::snprintf(used, sizeof used, "%.1f", 100.0 - p->percent_remaining);
    }
    std::printf("%-4lld %-20s %-15s %12s %12s %8s  %s\n", static_cast<long long>(a.id),
                a.github_login.c_str(), user->plan.c_str(), remaining, entitlement, used,
                user->quota_reset_date.empty() ? "-" : user->quota_reset_date.c_str());
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

int cmd_accounts(const std::vector<std::string>& args) {
  CLI::App app("copilot-gateway accounts: the GitHub Copilot accounts the gateway serves from",
               "copilot-gateway accounts");
  app.require_subcommand(1);
  bool as_json = false;
  CLI::App* list = app.add_subcommand("list", "list the accounts (tokens are never shown)");
  list->add_flag("--json", as_json, "as JSON");
  CLI::App* add = app.add_subcommand("add", "add an account from a GitHub OAuth token");
  std::string token, login;
  bool no_verify = false;
  add->add_option("--token", token, "GitHub OAuth token (gho_/ghu_...); '-' reads it from stdin")
      ->required();
  add->add_option("--login", login, "GitHub login (needed with --no-verify)");
  add->add_flag("--no-verify", no_verify, "do not ask GitHub who the token belongs to");
  AccountFlags add_flags;
  add_flags.add_to(*add);
  std::string ref, reason;
  CLI::App* remove = app.add_subcommand("remove", "remove an account (by id, alias or login)");
  remove->add_option("account", ref)->required();
  std::string url;
  CLI::App* enable =
      app.add_subcommand("enable", "put an account back into rotation (the running gateway's too)");
  enable->add_option("account", ref)->required();
  enable->add_option("--url", url, "the running gateway's base URL (default: host:port)");
  CLI::App* disable =
      app.add_subcommand("disable", "take an account out of rotation (the running gateway's too)");
  disable->add_option("account", ref)->required();
  disable->add_option("--url", url, "the running gateway's base URL (default: host:port)");
  disable->add_option("--reason", reason, "shown in `accounts list` and `status`");
  CLI::App* quota = app.add_subcommand(
      "quota", "ask GitHub for each account's premium quota now (and remember it)");
  quota->add_option("account", ref, "only this account (id, alias or login)");
  CLI::App* models = app.add_subcommand(
      "models", "the models each account can use (Copilot token exchange, then /models)");
  models->add_option("account", ref, "only this account (id, alias or login)");
  CLI::App* set = app.add_subcommand("set", "change an account's settings");
  set->add_option("account", ref)->required();
  AccountFlags set_flags;
  set_flags.add_to(*set);
  CLI::App* status = app.add_subcommand(
      "status", "the running gateway's pool: health, Copilot token, premium quota, load");
  status->add_flag("--json", as_json, "as JSON");
  status->add_option("--url", url, "the gateway's base URL (default: the configured host:port)");
  CLI::App* refresh = app.add_subcommand(
      "refresh", "make the running gateway get a new Copilot token and quota for an account now");
  refresh->add_option("account", ref, "id or alias in the gateway's pool")->required();
  refresh->add_flag("--json", as_json, "as JSON");
  refresh->add_option("--url", url, "the gateway's base URL (default: the configured host:port)");
  for (CLI::App* sub : {list, add, remove, enable, disable, set, status, refresh})
    sub->allow_extras();

  Config cfg;
  if (auto code = parse(app, args, cfg)) return *code;
  // The live commands ask the running gateway, not the database.
  if (status->parsed()) return accounts_status(cfg, url, as_json);
  if (refresh->parsed()) return accounts_refresh(cfg, url, ref, as_json);
  auto store = open_account_store(cfg);
  if (!store) return 1;

  if (list->parsed()) return accounts_list(*store, as_json);
  if (add->parsed()) {
    store::AccountUpdate flags;
    if (auto err = add_flags.to_update(flags)) {
      std::cerr << "copilot-gateway: " << *err << std::endl;
      return 2;
    }
    store::Account a;
    a.github_token = read_token(token);
    if (a.github_token.empty()) {
      std::cerr << "copilot-gateway: empty token" << std::endl;
      return 2;
    }
    copilot::CopilotUser user;
    if (no_verify) {
      if (login.empty()) {
        std::cerr << "copilot-gateway: --no-verify needs --login" << std::endl;
        return 2;
      }
      user.login = login;
    } else {
      auto who =
          verify_github_token(cfg, add_flags.ghe_domain, a.github_token, add_flags.egress_proxy);
      if (!who) {
        std::cerr << "copilot-gateway: the token was not accepted: " << who.error().message
                  << std::endl;
        return 1;
      }
      user = std::move(*who);
      if (!login.empty() && user.login != login) {
        std::cerr << "copilot-gateway: the token belongs to " << user.login << ", not " << login
                  << std::endl;
        return 1;
      }
    }
    return save_account(*store, std::move(a), user, flags);
  }
  if (quota->parsed()) return accounts_quota(cfg, *store, ref);
  if (models->parsed()) return accounts_models(cfg, *store, ref);
  auto account = find_account(*store, ref);
  if (!account) return 1;
  if (remove->parsed()) {
    if (auto st = store->remove(account->id); !st) {
      std::cerr << "copilot-gateway: " << st.error().message << std::endl;
      return 1;
    }
    std::cout << "Removed account " << account->id << " (" << account->github_login << ")."
              << std::endl;
    return 0;
  }
  if (enable->parsed() || disable->parsed()) {
    const bool on = enable->parsed();
    if (auto st = store->set_enabled(account->id, on, on ? "" : reason); !st) {
      std::cerr << "copilot-gateway: " << st.error().message << std::endl;
      return 1;
    }
    std::cout << (on ? "Enabled" : "Disabled") << " account " << account->id << " ("
              << account->github_login << ")." << std::endl;
    tell_gateway_enabled(cfg, url, account->id, on);
    return 0;
  }
  store::AccountUpdate u;
  if (auto err = set_flags.to_update(u)) {
    std::cerr << "copilot-gateway: " << *err << std::endl;
    return 2;
  }
  if (u.empty()) {
    std::cerr << "copilot-gateway: nothing to change (see `accounts set --help`)" << std::endl;
    return 2;
  }
  auto r = store->update(account->id, u);
  if (!r) {
    std::cerr << "copilot-gateway: " << r.error().message << std::endl;
    return 1;
  }
  std::cout << "Updated account " << r->id << " (" << r->github_login << ")." << std::endl;
  return 0;
}

}  // namespace cg::cli
