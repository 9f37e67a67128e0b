// Account type names, AccountUpdate and the field checks shared by every store implementation.
// Pure; any thread.
#include "store/account.h"

#include <cmath>

namespace cg::store {

namespace {

constexpr size_t kMaxNameBytes = 255;
constexpr size_t kMaxAliasBytes = 64;
constexpr size_t kMaxTextBytes = 4096;  // plan, last_error, disabled_reason, egress_proxy

bool has_space_or_control(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// A name shown in logs, headers and the admin UI: printable, no spaces, bounded.
Status check_name(std::string_view field, std::string_view value, size_t max_bytes) {
  if (value.size() > max_bytes) {
    return invalid_argument(std::string(field) + " is longer than " + std::to_string(max_bytes) +
                            " bytes");
  }
  if (has_space_or_control(value)) {
    return invalid_argument(std::string(field) +
                            " must not contain whitespace or control characters");
  }
  return {};
}

Status check_text(std::string_view field, std::string_view value) {
  if (value.size() > kMaxTextBytes) {
    return invalid_argument(std::string(field) + " is longer than " +
                            std::to_string(kMaxTextBytes) + " bytes");
  }
  if (has_control(value)) {
    return invalid_argument(std::string(field) + " must not contain control characters");
  }
  return {};
}

bool is_host_name(std::string_view s) {
  for (unsigned char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return !s.empty() && s.front() != '.' && s.back() != '.';
}

}  // namespace

std::string_view account_type_name(AccountType type) {
  switch (type) {
    case AccountType::kIndividual:
      return "individual";
    case AccountType::kBusiness:
      return "business";
    case AccountType::kEnterprise:
      return "enterprise";
  }
  return "individual";
}

std::optional<AccountType> parse_account_type(std::string_view name) {
  if (name == "individual") return AccountType::kIndividual;
  if (name == "business") return AccountType::kBusiness;
  if (name == "enterprise") return AccountType::kEnterprise;
  return std::nullopt;
}

bool AccountUpdate::empty() const {
  return !github_login && !alias && !github_token && !account_type && !ghe_domain && !plan &&
         !priority && !weight && !max_concurrency && !max_vision_concurrency && !egress_proxy;
}

void AccountUpdate::apply_to(Account& a) const {
  if (github_login) a.github_login = *github_login;
  if (alias) a.alias = *alias;
  if (github_token) a.github_token = *github_token;
  if (account_type) a.account_type = *account_type;
  if (ghe_domain) a.ghe_domain = *ghe_domain;
  if (plan) a.plan = *plan;
  if (priority) a.priority = *priority;
  if (weight) a.weight = *weight;
  if (max_concurrency) a.max_concurrency = *max_concurrency;
  if (max_vision_concurrency) a.max_vision_concurrency = *max_vision_concurrency;
  if (egress_proxy) a.egress_proxy = *egress_proxy;
}

Status validate_account(const Account& a) {
  if (a.github_login.empty()) return invalid_argument("github_login is required");
  if (auto s = check_name("github_login", a.github_login, kMaxNameBytes); !s) return s;
  if (auto s = check_name("alias", a.alias, kMaxAliasBytes); !s) return s;
  if (a.github_token.empty()) return invalid_argument("github_token is required");
  if (a.github_token.size() > kMaxTextBytes) {
    return invalid_argument("github_token is longer than " + std::to_string(kMaxTextBytes) +
                            " bytes");
  }
  if (has_space_or_control(a.github_token)) {
    return invalid_argument("github_token must not contain whitespace or control characters");
  }
  if (auto s = check_name("ghe_domain", a.ghe_domain, kMaxNameBytes); !s) return s;
  if (!a.ghe_domain.empty() && !is_host_name(a.ghe_domain)) {
    return invalid_argument("ghe_domain must be a bare host name such as octocorp.ghe.com");
  }
  if (auto s = check_name("plan", a.plan, kMaxNameBytes); !s) return s;
  if (a.weight < 1) return invalid_argument("weight must be at least 1");
  if (a.max_concurrency < 0) return invalid_argument("max_concurrency must be 0 or more");
  if (a.max_vision_concurrency < 0) {
    return invalid_argument("max_vision_concurrency must be 0 or more");
  }
  if (!a.egress_proxy.empty()) {
    const std::string_view p = a.egress_proxy;
    if (p.size() > kMaxTextBytes || has_space_or_control(p) ||
        !(p.starts_with("http://") || p.starts_with("https://"))) {
      return invalid_argument("egress_proxy must be an http:// or https:// URL");
    }
  }
  if (auto s = check_text("last_error", a.last_error); !s) return s;
  if (auto s = check_text("disabled_reason", a.disabled_reason); !s) return s;
  return {};
}

std::string sanitize_note(std::string_view text) {
  if (text.size() > kMaxTextBytes) {
    size_t n = kMaxTextBytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
      --n;  // text[n] continues a sequence: cut before its lead byte
    text = text.substr(0, n);
  }
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

Status validate_quota(const QuotaSnapshot& q) {
  if (!std::isfinite(q.premium_remaining)) {
    return invalid_argument("premium_remaining must be a finite number");
  }
  const std::string_view d = q.reset_date;
  if (!d.empty()) {
    bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-';
    for (size_t i = 0; ok && i < d.size(); ++i) {
      if (i != 4 && i != 7) ok = d[i] >= '0' && d[i] <= '9';
    }
    if (!ok) return invalid_argument("reset_date must be YYYY-MM-DD");
  }
  return {};
}

}  // namespace cg::store
