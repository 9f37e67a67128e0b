// See errors.h.
#include "wire/anthropic/errors.h"

#include "core/json_escape.h"

namespace cg::wire::anthropic {

namespace {

void append_error_object(std::string& out, const ApiError& e) {
  out.append(R"({"type":")");
  out.append(error_type(e.status));
  out.append(R"(","message":)");
  std::string message = e.message;
  if (!e.code.empty() && e.status >= 400 && e.status < 500 && e.status != 401 &&
      message.find(e.code) == std::string::npos) {
    // Anthropic errors have no code field: keep the upstream's code visible in the message.
    message += " (" + e.code + ")";
  }
  append_json_string(out, message);
  out.push_back('}');
}

}  // namespace

std::string_view error_type(int status) {
  switch (status) {
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    case 504:
      return "timeout_error";
    default:
      break;
  }
  return status >= 500 ? "api_error" : "invalid_request_error";
}

std::string error_body(const ApiError& e, std::string_view request_id) {
  std::string out;
  out.reserve(128 + e.message.size());
  out.append(R"({"type":"error","error":)");
  append_error_object(out, e);
  if (!request_id.empty()) {
    out.append(R"(,"request_id":)");
    append_json_string(out, request_id);
  }
  out.push_back('}');
  return out;
}

std::string error_event(const ApiError& e) {
  std::string out("event: error\ndata: {\"type\":\"error\",\"error\":");
  append_error_object(out, e);
  out.append("}\n\n");
  return out;
}

}  // namespace cg::wire::anthropic
