// InlineBytes<N>: up to N bytes kept inside the owning object (no heap allocation), for short
// byte strings a hot path remembers per stream. Plain value; no thread rules of its own.
#pragma once
#include <cstddef>
#include <cstring>
#include <string_view>

namespace cg {

template <size_t N>
class InlineBytes {
 public:
  // Keeps `s`; false (and empty) when it is longer than N.
  bool assign(std::string_view s) {
    if (s.size() > N) {
      size_ = 0;
      return false;
    }
    std::memcpy(bytes_, s.data(), s.size());
    size_ = s.size();
    return true;
  }
  void clear() { size_ = 0; }
  std::string_view view() const { return {bytes_, size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  char bytes_[N];
  size_t size_ = 0;
};

}  // namespace cg
