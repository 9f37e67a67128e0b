// Fields: the header fields of one HTTP/1.1 message, copied back to back into one string and
// indexed by offsets, so a message parsed into storage that is reused (per connection) costs no
// allocation once warm. Beast's basic_fields instead allocates a node per field and keeps a
// sorted tree. Also holds the start line's strings. Worker thread only.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "asio_impl/net.h"

namespace cg::h1 {

class Fields {
 public:
  // The first value of a field, or empty when absent.
  std::string_view operator[](http::field id) const;
  std::string_view operator[](std::string_view name) const;  // case-insensitive
  // The same for a name Beast does not know (an extension like "x-copilot-account"), without
  // first looking it up among the known ones: only unknown fields are compared.
  std::string_view extension(std::string_view name) const;
  // Calls f(name, value) for every field in the order received.
  template <class F>
  void for_each(F&& f) const {
    for (const Field& x : fields_)
      f(text(x.name_at, x.name_len), text(x.value_at, x.value_len));
  }
  size_t size() const { return fields_.size(); }
  void clear() {
    text_.clear();
    fields_.clear();
  }

  // For parsers.
  void add(http::field id, std::string_view name, std::string_view value);
  struct Span {
    uint32_t at = 0, len = 0;
  };
  Span keep(std::string_view s) {
    const auto at = static_cast<uint32_t>(text_.size());
    text_.append(s);
    return Span{at, static_cast<uint32_t>(s.size())};
  }
  std::string_view view(Span s) const { return text(s.at, s.len); }

 private:
  struct Field {
    http::field id;
    uint32_t name_at, name_len, value_at, value_len;
  };
  std::string_view text(uint32_t at, uint32_t len) const {
    return std::string_view(text_.data() + at, len);
  }

  std::string text_;  // start-line strings, field names and values back to back
  std::vector<Field> fields_;
};

// Case-insensitive comparison of header field names (ASCII letters only differ in case).
bool field_name_equal(std::string_view a, std::string_view b);

}  // namespace cg::h1
