// See http_reply.h.
#include "sim/http_reply.h"

#include <charconv>

#include "core/ids.h"
#include "core/json_escape.h"

namespace cg::sim {
namespace {

void append_int(std::string& out, uint64_t v, int base = 10) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, base);
  out.append(buf, end);
}

void append_status_line(std::string& out, int status) {
  out += "HTTP/1.1 ";
  append_int(out, static_cast<uint64_t>(status));
  out += ' ';
  out += reason_phrase(status);
  out += "\r\nserver: copilot-sim\r\n";
}

}  // namespace

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 529:
      return "Overloaded";
    default:
      return "Status";
  }
}

void append_response(std::string& out, int status, std::string_view content_type,
                     std::string_view body, bool keep_alive, std::string_view extra_headers) {
  append_status_line(out, status);
  out += "content-type: ";
  out += content_type;
  out += "\r\ncontent-length: ";
  append_int(out, body.size());
  out += keep_alive ? "\r\n" : "\r\nconnection: close\r\n";
  out += extra_headers;
  out += "\r\n";
  out += body;
}

void append_stream_head(std::string& out, bool keep_alive, std::string_view extra_headers) {
  append_status_line(out, 200);
  out +=
      "content-type: text/event-stream\r\ncache-control: no-cache\r\n"
      "transfer-encoding: chunked\r\n";
  if (!keep_alive) out += "connection: close\r\n";
  out += extra_headers;
  out += "\r\n";
}

void append_chunk(std::string& out, std::string_view data) {
  if (data.empty()) return;
  append_int(out, data.size(), 16);
  out += "\r\n";
  out += data;
  out += "\r\n";
}

void append_openai_error(std::string& out, std::string_view message, std::string_view type,
                         std::string_view code, std::string_view param) {
  out += "{\"error\":{\"message\":";
  append_json_string(out, message);
  out += ",\"type\":";
  append_json_string(out, type);
  out += ",\"code\":";
  if (code.empty()) {
    out += "null";
  } else {
    append_json_string(out, code);
  }
  out += ",\"param\":";
  if (param.empty()) {
    out += "null";
  } else {
    append_json_string(out, param);
  }
  out += "}}";
}

void append_anthropic_error(std::string& out, std::string_view type, std::string_view message) {
  out += "{\"type\":\"error\",\"error\":{\"type\":";
  append_json_string(out, type);
  out += ",\"message\":";
  append_json_string(out, message);
  out += "},\"request_id\":";
  append_json_string(out, new_token_id("req_", 24));
  out += '}';
}

std::string_view anthropic_error_type(int status) {
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
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

}  // namespace cg::sim
