// See response.h. Worker thread only.
#include "h1/response.h"

namespace cg::h1 {

void Response::clear() {
  fields_.clear();
  status_ = 0;
  version_ = 11;
  keep_alive_ = true;
}

void ResponseParser::on_request_impl(http::verb, beast::string_view, beast::string_view, int,
                                     error_code& ec) {
  ec = http::error::bad_version;  // never called for a response parser
}

void ResponseParser::on_response_impl(int code, beast::string_view, int version, error_code&) {
  res_.status_ = code;
  res_.version_ = static_cast<unsigned>(version);
}

void ResponseParser::on_field_impl(http::field id, beast::string_view name,
                                   beast::string_view value, error_code&) {
  res_.fields_.add(id, std::string_view(name), std::string_view(value));
}

void ResponseParser::on_header_impl(error_code&) {
  res_.keep_alive_ = keep_alive();
}

void ResponseParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                       error_code&) {
  if (body_string_ && content_length && *content_length < (std::uint64_t{1} << 32))
    body_string_->reserve(body_string_->size() + static_cast<size_t>(*content_length));
}

size_t ResponseParser::deliver(beast::string_view body) {
  if (body_string_) {
    body_string_->append(body.data(), body.size());
  } else if (body_sink_) {
    body_sink_->on_body(std::string_view(body.data(), body.size()));
  }
  return body.size();
}

std::size_t ResponseParser::on_body_impl(beast::string_view body, error_code&) {
  return deliver(body);
}

void ResponseParser::on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) {}

std::size_t ResponseParser::on_chunk_body_impl(std::uint64_t, beast::string_view body,
                                               error_code&) {
  return deliver(body);
}

void ResponseParser::on_finish_impl(error_code&) {}

}  // namespace cg::h1
