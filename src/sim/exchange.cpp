// See exchange.h. Pure helpers over a parsed request.
#include "sim/exchange.h"

#include <boost/json.hpp>
#include <cctype>
#include <optional>

namespace cg::sim {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Looks `name` up in "a=1&b=2".
std::optional<std::string> form_param(std::string_view form, std::string_view name) {
  while (!form.empty()) {
    const size_t amp = form.find('&');
    const std::string_view pair = form.substr(0, amp);
    form = amp == std::string_view::npos ? std::string_view{} : form.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (url_decode(pair.substr(0, eq)) != name) continue;
    return eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace

std::string_view auth_credential(const Request& req) {
  std::string_view v = req[http::field::authorization];
  const size_t sp = v.find(' ');
  if (sp == std::string_view::npos) return {};
  const std::string_view scheme = v.substr(0, sp);
  if (!iequals(scheme, "bearer") && !iequals(scheme, "token")) return {};
  v.remove_prefix(sp + 1);
  while (!v.empty() && v.front() == ' ')
    v.remove_prefix(1);
  return v;
}

std::string body_param(const Request& req, std::string_view name) {
  const std::string_view body = req.body();
  const size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '{') {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(body, ec);
    if (!ec && v.is_object()) {
      if (const boost::json::value* p = v.get_object().if_contains(name)) {
        if (p->is_string()) return std::string(p->get_string());
        return boost::json::serialize(*p);
      }
    }
  } else if (auto p = form_param(body, name)) {
    return *p;
  }
  const std::string_view target = req.target();
  const size_t q = target.find('?');
  if (q != std::string_view::npos) {
    if (auto p = form_param(target.substr(q + 1), name)) return *p;
  }
  return {};
}

std::string_view target_path(const Request& req) {
  std::string_view t = req.target();
  const size_t q = t.find('?');
  return q == std::string_view::npos ? t : t.substr(0, q);
}

}  // namespace cg::sim
