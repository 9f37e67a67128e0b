// Response: the status and header fields of one HTTP/1.1 response, in storage the upstream
// connection reuses. ResponseParser is Beast's HTTP/1 parser (limits, validation, chunked and
// length-delimited bodies) writing the head into a Response and handing the body, piece by piece
// and without a copy, to a BodySink, or appending it to a string. One parser reads one response,
// head and body. Worker thread only.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "asio_impl/net.h"
#include "h1/fields.h"

namespace cg::h1 {

class Response {
 public:
  int status() const { return status_; }
  unsigned version() const { return version_; }
  // Whether the connection may carry another request after this response's body.
  bool keep_alive() const { return keep_alive_; }
  std::string_view operator[](http::field id) const { return fields_[id]; }
  std::string_view operator[](std::string_view name) const { return fields_[name]; }
  const Fields& fields() const { return fields_; }
  void clear();

 private:
  friend class ResponseParser;
  Fields fields_;
  int status_ = 0;
  unsigned version_ = 11;
  bool keep_alive_ = true;
};

// Receives body bytes; the view is valid only during the call.
class BodySink {
 public:
  virtual void on_body(std::string_view bytes) = 0;

 protected:
  ~BodySink() = default;
};

// A BodySink calling a function object.
template <class F>
class FunctionSink final : public BodySink {
 public:
  explicit FunctionSink(F f) : f_(std::move(f)) {}
  void on_body(std::string_view bytes) override { f_(bytes); }

 private:
  F f_;
};

class ResponseParser : public http::basic_parser<false> {
 public:
  // `into` is cleared; it must outlive the parser. Without a body target the body is dropped.
  explicit ResponseParser(Response& into) : res_(into) { res_.clear(); }
  Response& get() { return res_; }
  // Where the body goes: appended to *s, or handed to *sink (nullptr: dropped). Until one is
  // chosen put() stops at the end of the head; afterwards it parses eagerly (every complete
  // chunk of the input in one call).
  void body_into(std::string* s) {
    body_string_ = s;
    body_sink_ = nullptr;
    eager(true);
  }
  void body_to(BodySink* sink) {
    body_sink_ = sink;
    body_string_ = nullptr;
    eager(true);
  }

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int,
                       error_code& ec) override;
  void on_response_impl(int code, beast::string_view reason, int version, error_code& ec) override;
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
  size_t deliver(beast::string_view body);

  Response& res_;
  std::string* body_string_ = nullptr;
  BodySink* body_sink_ = nullptr;
};

}  // namespace cg::h1
