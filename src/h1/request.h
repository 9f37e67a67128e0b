// Request: one parsed client request (method, target, header fields, body) kept in storage that
// the connection reuses, so parsing a request allocates nothing once the connection is warm.
// RequestParser is Beast's HTTP/1 parser (limits, validation, chunked bodies) writing into a
// Request. Worker thread only.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "asio_impl/net.h"
#include "h1/fields.h"

namespace cg::h1 {

class Request {
 public:
  http::verb method() const { return method_; }
  std::string_view method_string() const { return fields_.view(method_str_); }
  std::string_view target() const { return fields_.view(target_); }
  unsigned version() const { return version_; }
  // Whether the client allows the connection to stay open after this request.
  bool keep_alive() const { return keep_alive_; }
  std::string_view operator[](http::field id) const { return fields_[id]; }
  std::string_view operator[](std::string_view name) const { return fields_[name]; }
  const Fields& fields() const { return fields_; }
  std::string& body() { return body_; }
  const std::string& body() const { return body_; }
  // Forgets the request, keeping the storage for the next one.
  void clear();

 private:
  friend class RequestParser;
  Fields fields_;
  std::string body_;
  http::verb method_ = http::verb::unknown;
  Fields::Span method_str_, target_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
};

class RequestParser : public http::basic_parser<true> {
 public:
  // `into` is cleared; it must outlive the parser.
  explicit RequestParser(Request& into) : req_(into) { req_.clear(); }
  Request& get() { return req_; }

 private:
  void on_request_impl(http::verb method, beast::string_view method_str, beast::string_view target,
                       int version, error_code& ec) override;
  void on_response_impl(int, beast::string_view, int, error_code& ec) override;
  void on_field_impl(http::field id, beast::string_view name, beast::string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  std::size_t on_body_impl(beast::string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, beast::string_view extensions,
                            error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, beast::string_view body,
                                 error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  Request& req_;
};

}  // namespace cg::h1
