// See api_keys.h.
#include "server/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace cg::server {

namespace {
std::array<unsigned char, 32> digest(std::string_view s) {
  std::array<unsigned char, 32> d{};
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d.data());
  return d;
}
}  // namespace

ApiKeys::ApiKeys(const std::vector<std::string>& keys) {
  for (const auto& k : keys)
    if (!k.empty()) digests_.push_back(digest(k));
}

bool ApiKeys::accepts(std::string_view presented) const {
  if (presented.empty()) return false;
  const auto d = digest(presented);
  int matches = 0;
  for (const auto& k : digests_) matches |= CRYPTO_memcmp(k.data(), d.data(), d.size()) == 0;
  return matches != 0;
}

std::string_view presented_key(std::string_view authorization, std::string_view x_api_key) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() > kBearer.size()) {
    std::string_view scheme = authorization.substr(0, kBearer.size());
    bool is_bearer = true;
    for (size_t i = 0; i < kBearer.size(); ++i)
      if ((scheme[i] | 0x20) != (kBearer[i] | 0x20)) is_bearer = false;
    if (is_bearer) return authorization.substr(kBearer.size());
  }
  return x_api_key;
}

}  // namespace cg::server
