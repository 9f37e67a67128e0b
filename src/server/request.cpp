// See request.h. Worker thread only.
#include "server/request.h"

namespace cg::server {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x == y) continue;
    const unsigned char lx = x | 0x20;  // letters only differ in case by this bit
    if (lx != (y | 0x20) || lx < 'a' || lx > 'z') return false;
  }
  return true;
}

}  // namespace

std::string_view Request::operator[](http::field id) const {
  for (const Field& f : fields_)
    if (f.id == id) return text(f.value_at, f.value_len);
  return {};
}

std::string_view Request::operator[](std::string_view name) const {
  const http::field id = http::string_to_field(name);
  if (id != http::field::unknown) return (*this)[id];
  for (const Field& f : fields_)
    if (f.id == http::field::unknown && iequal(text(f.name_at, f.name_len), name))
      return text(f.value_at, f.value_len);
  return {};
}

void Request::clear() {
  text_.clear();
  fields_.clear();
  body_.clear();
  method_ = http::verb::unknown;
  method_at_ = method_len_ = target_at_ = target_len_ = 0;
  version_ = 11;
  keep_alive_ = true;
}

void RequestParser::on_request_impl(http::verb method, beast::string_view method_str,
                                    beast::string_view target, int version, error_code&) {
  req_.method_ = method;
  req_.method_at_ = req_.append_text(std::string_view(method_str));
  req_.method_len_ = static_cast<uint32_t>(method_str.size());
  req_.target_at_ = req_.append_text(std::string_view(target));
  req_.target_len_ = static_cast<uint32_t>(target.size());
  req_.version_ = static_cast<unsigned>(version);
}

void RequestParser::on_response_impl(int, beast::string_view, int, error_code& ec) {
  ec = http::error::bad_version;  // never called for a request parser
}

void RequestParser::on_field_impl(http::field id, beast::string_view name, beast::string_view value,
                                  error_code&) {
  const uint32_t name_at = req_.append_text(std::string_view(name));
  const uint32_t value_at = req_.append_text(std::string_view(value));
  req_.fields_.push_back(Request::Field{id, name_at, static_cast<uint32_t>(name.size()), value_at,
                                        static_cast<uint32_t>(value.size())});
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

}  // namespace cg::server
