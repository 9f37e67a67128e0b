// See request_scan.h. Pure; any thread.
#include "translate/request_scan.h"

namespace cg::translate {

std::string FieldPath::str() const {
  std::string s = parent ? parent->str() + "." : std::string();
  s.append(name);
  if (index != kNoIndex) s.append(".").append(std::to_string(index));
  return s;
}

std::string FieldPath::operator+(std::string_view suffix) const {
  return str().append(suffix);
}

std::string FieldPath::member(std::string_view key) const {
  return str().append(".").append(key);
}

}  // namespace cg::translate
