// See fields.h. Worker thread only.
#include "h1/fields.h"

namespace cg::h1 {

bool field_name_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x == y) continue;
    const unsigned char lx = x | 0x20;  // letters only differ in case by this bit
    if (lx != (y | 0x20) || lx < 'a' || lx > 'z') return false;
  }
  return true;
}

std::string_view Fields::operator[](http::field id) const {
  for (const Field& f : fields_)
    if (f.id == id) return text(f.value_at, f.value_len);
  return {};
}

std::string_view Fields::operator[](std::string_view name) const {
  const http::field id = http::string_to_field(name);
  if (id != http::field::unknown) return (*this)[id];
  for (const Field& f : fields_)
    if (f.id == http::field::unknown && field_name_equal(text(f.name_at, f.name_len), name))
      return text(f.value_at, f.value_len);
  return {};
}

std::string_view Fields::extension(std::string_view name) const {
  for (const Field& f : fields_)
    if (f.id == http::field::unknown && f.name_len == name.size() &&
        field_name_equal(text(f.name_at, f.name_len), name))
      return text(f.value_at, f.value_len);
  return {};
}

void Fields::add(http::field id, std::string_view name, std::string_view value) {
  const Span n = keep(name);
  const Span v = keep(value);
  fields_.push_back(Field{id, n.at, n.len, v.at, v.len});
}

}  // namespace cg::h1
