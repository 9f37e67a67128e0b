// See errors.h. Pure. Upstream error bodies are parsed with Boost.JSON: this is the error path,
// not the per-request hot path.
#include "wire/openai/errors.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/json_escape.h"

namespace cg::wire::openai {
namespace {

constexpr size_t kMaxUpstreamText = 1000;

void append_nullable(std::string& out, const std::string& s) {
  if (s.empty())
    out.append("null");
  else
    append_json_string(out, s);
}

bool starts_with_ci(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[at + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '=' || c == ';' || c == ':' || c == '+' || c == '/';
}

size_t token_run(std::string_view s, size_t at) {
  size_t e = at;
  while (e < s.size() && is_token_char(s[e]))
    ++e;
  return e - at;
}

// Cuts to at most `max` bytes without splitting a UTF-8 sequence.
std::string_view truncate_utf8(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
    --n;
  return s.substr(0, n);
}

std::string to_text(const boost::json::value* v) {
  if (v == nullptr || v->is_null()) return {};
  if (const auto* s = v->if_string()) return std::string(s->data(), s->size());
  return boost::json::serialize(*v);
}

std::string clean(std::string_view text) {
  return redact_secrets(truncate_utf8(text, kMaxUpstreamText));
}

}  // namespace

std::string redact_secrets(std::string_view s) {
  static constexpr std::string_view kAfterWord[] = {"bearer ", "token "};
  static constexpr std::string_view kPrefixes[] = {"gho_", "ghu_",        "ghp_", "ghs_",
                                                   "ghr_", "github_pat_", "tid=", "sk-"};
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    bool word_start = i == 0 || !is_token_char(s[i - 1]);
    size_t secret = 0;  // length of a secret starting at i (after any kept keyword)
    size_t keep = 0;    // keyword bytes kept before the secret
    if (word_start) {
      for (std::string_view w : kAfterWord) {
        if (starts_with_ci(s, i, w)) {
          size_t run = token_run(s, i + w.size());
          if (run >= 12) {
            keep = w.size();
            secret = run;
          }
          break;
        }
      }
      if (secret == 0) {
        for (std::string_view p : kPrefixes) {
          if (starts_with_ci(s, i, p) && token_run(s, i) >= p.size() + 8) {
            secret = token_run(s, i);
            break;
          }
        }
      }
    }
    if (secret > 0) {
      out.append(s.substr(i, keep));
      out.append("[redacted]");
      i += keep + secret;
    } else {
      out.push_back(s[i]);
      ++i;
    }
  }
  return out;
}

std::string error_body(const ApiError& e) {
  std::string out;
  out.reserve(64 + e.message.size() + e.type.size() + e.param.size() + e.code.size());
  out.append("{\"error\":{\"message\":");
  append_json_string(out, e.message);
  out.append(",\"type\":");
  append_json_string(out, e.type.empty() ? std::string_view("server_error") : e.type);
  out.append(",\"param\":");
  append_nullable(out, e.param);
  out.append(",\"code\":");
  append_nullable(out, e.code);
  out.append("}}");
  return out;
}

std::string error_event(const ApiError& e) {
  std::string out = "data: ";
  out.append(error_body(e));
  out.append("\n\n");
  return out;
}

ApiError upstream_error(int status, std::string_view body) {
  ApiError e;
  e.status = status;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  const boost::json::object* obj = ec ? nullptr : v.if_object();
  if (obj != nullptr) {
    const boost::json::object* src = obj;
    if (const auto* err = obj->if_contains("error")) {
      if (const auto* inner = err->if_object())
        src = inner;
      else if (err->is_string())
        e.message = clean(to_text(err));
    }
    if (e.message.empty()) e.message = clean(to_text(src->if_contains("message")));
    if (src != obj || obj->if_contains("message")) {
      e.type = clean(to_text(src->if_contains("type")));
      e.code = clean(to_text(src->if_contains("code")));
      e.param = clean(to_text(src->if_contains("param")));
    }
    // GitHub's flat errors carry "status" as a string: not an error type.
    if (e.type == "error") e.type.clear();
  }
  if (e.message.empty() && obj == nullptr) {
    std::string_view text = body;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
      text.remove_suffix(1);
    e.message = clean(text);
  }
  if (e.message.empty()) e.message = "Upstream request failed with HTTP " + std::to_string(status);
  if (e.type.empty()) e.type = status >= 500 ? "server_error" : "invalid_request_error";
  return e;
}

}  // namespace cg::wire::openai
