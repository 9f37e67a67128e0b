// Request: one parsed client request (method, target, header fields, body) kept in storage that
// the connection reuses, so once a connection is warm, parsing a request allocates nothing:
// the field names and values are copied back to back into one string and indexed by offsets
// (Beast's basic_fields allocates a node per field and keeps a sorted tree). RequestParser is
// Beast's HTTP/1 parser (limits, validation, chunked bodies) writing into a Request.
// Worker thread only.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "asio_impl/net.h"

namespace cg::server {

class Request {
 public:
  http::verb method() const { return method_; }
  std::string_view method_string() const { return text(method_at_, method_len_); }
  std::string_view target() const { return text(target_at_, target_len_); }
  unsigned version() const { return version_; }
  // Whether the client allows the connection to stay open after this request.
  bool keep_alive() const { return keep_alive_; }
  // The first value of a field, or empty when absent.
  std::string_view operator[](http::field id) const;
  std::string_view operator[](std::string_view name) const;  // case-insensitive
  // Calls f(name, value) for every field in the order received.
  template <class F>
  void for_each_field(F&& f) const {
    for (const Field& x : fields_)
      f(text(x.name_at, x.name_len), text(x.value_at, x.value_len));
  }
  size_t field_count() const { return fields_.size(); }
  std::string& body() { return body_; }
  const std::string& body() const { return body_; }
  // Forgets the request, keeping the storage for the next one.
  void clear();

 private:
  friend class RequestParser;
  struct Field {
    http::field id;
    uint32_t name_at, name_len, value_at, value_len;
  };
  std::string_view text(uint32_t at, uint32_t len) const {
    return std::string_view(text_.data() + at, len);
  }
  uint32_t append_text(std::string_view s) {
    const auto at = static_cast<uint32_t>(text_.size());
    text_.append(s);
    return at;
  }

  std::string text_;  // method, target, field names and values back to back
  std::vector<Field> fields_;
  std::string body_;
  http::verb method_ = http::verb::unknown;
  uint32_t method_at_ = 0, method_len_ = 0, target_at_ = 0, target_len_ = 0;
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

}  // namespace cg::server
