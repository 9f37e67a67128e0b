// See request.h. Worker thread only.
#include "h1/request.h"

namespace cg::h1 {

void Request::clear() {
  fields_.clear();
  body_.clear();
  method_ = http::verb::unknown;
  method_str_ = target_ = {};
  version_ = 11;
  keep_alive_ = true;
}

void RequestParser::on_request_impl(http::verb method, beast::string_view method_str,
                                    beast::string_view target, int version, error_code&) {
  req_.method_ = method;
  req_.method_str_ = req_.fields_.keep(std::string_view(method_str));
  req_.target_ = req_.fields_.keep(std::string_view(target));
  req_.version_ = static_cast<unsigned>(version);
}

void RequestParser::on_response_impl(int, beast::string_view, int, error_code& ec) {
  ec = http::error::bad_version;  // never called for a request parser
}

void RequestParser::on_field_impl(http::field id, beast::string_view name, beast::string_view value,
                                  error_code&) {
  req_.fields_.add(id, std::string_view(name), std::string_view(value));
}

void RequestParser::on_header_impl(error_code&) {
  req_.keep_alive_ = keep_alive();
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                      error_code&) {
  if (content_length && *content_length < (std::uint64_t{1} << 32))
    req_.body_.reserve(static_cast<size_t>(*content_length));
}

std::size_t RequestParser::on_body_impl(beast::string_view body, error_code&) {
  req_.body_.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, beast::string_view body, error_code&) {
  req_.body_.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace cg::h1
