// See api_keys.h.
#include "server/api_keys.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace cg::server {

namespace {

SipKey random_sip_key() {
  uint64_t words[2] = {0, 0};
  if (RAND_bytes(reinterpret_cast<unsigned char*>(words), sizeof words) != 1)
    throw std::runtime_error("no randomness available for the API key digests");
  return SipKey{words[0], words[1]};
}

}  // namespace

ApiKeys::ApiKeys(const std::vector<std::string>& keys)
    : first_(random_sip_key()), second_(random_sip_key()) {
  for (const auto& k : keys)
    if (!k.empty()) digests_.push_back(digest(k));
}

ApiKeys::Digest ApiKeys::digest(std::string_view key) const {
  return Digest{siphash24(first_, key), siphash24(second_, key)};
}

bool ApiKeys::accepts(std::string_view presented) const {
  if (presented.empty()) return false;
  const Digest d = digest(presented);
  uint64_t matches = 0;
  for (const Digest& k : digests_)
    matches |= static_cast<uint64_t>(((k[0] ^ d[0]) | (k[1] ^ d[1])) == 0);
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
