// ApiError: a client-facing failure (HTTP status + error type/code/message), rendered by wire/
// in the caller's own API format. Pure value type; any thread.
#pragma once
#include <string>

namespace cg {

struct ApiError {
  int status = 500;
  std::string type;         // OpenAI error.type, e.g. "invalid_request_error"
  std::string code;         // OpenAI error.code, e.g. "invalid_api_key"; empty = null
  std::string message;      // human-readable; never contains secrets
  std::string param;        // offending field; empty = null
  std::string retry_after;  // value for a retry-after header; empty = none

  static ApiError bad_request(std::string message, std::string code = {}, std::string param = {}) {
    return {400, "invalid_request_error", std::move(code), std::move(message), std::move(param),
            {}};
  }
  static ApiError unauthorized(std::string message) {
    return {401, "invalid_request_error", "invalid_api_key", std::move(message), {}, {}};
  }
  static ApiError not_found(std::string message, std::string code = "not_found") {
    return {404, "invalid_request_error", std::move(code), std::move(message), {}, {}};
  }
  static ApiError method_not_allowed(std::string message) {
    return {405, "invalid_request_error", "method_not_allowed", std::move(message), {}, {}};
  }
  static ApiError too_large(std::string message) {
    return {413, "invalid_request_error", "request_too_large", std::move(message), {}, {}};
  }
  static ApiError bad_gateway(std::string message) {
    return {502, "server_error", "upstream_unreachable", std::move(message), {}, {}};
  }
  static ApiError gateway_timeout(std::string message) {
    return {504, "server_error", "upstream_timeout", std::move(message), {}, {}};
  }
  static ApiError unavailable(std::string message) {
    return {503, "server_error", "service_unavailable", std::move(message), {}, {}};
  }
  static ApiError internal(std::string message) {
    return {500, "server_error", "internal_error", std::move(message), {}, {}};
  }
};

}  // namespace cg
