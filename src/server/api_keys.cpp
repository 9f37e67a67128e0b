// See api_keys.h.
#include "server/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>
#include <optional>
#include <stdexcept>

namespace cg::server {

namespace {

// OpenSSL 3's one-shot SHA256() looks the algorithm up in the provider tables (locks, string
// compares) on every call. The implementation is fetched once and each thread keeps its own
// digest context.
const EVP_MD* sha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

std::optional<std::array<unsigned char, 32>> digest(std::string_view s) {
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  std::array<unsigned char, 32> d{};
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), s.data(), s.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), d.data(), &len) != 1 || len != d.size()) {
    return std::nullopt;
  }
  return d;
}

}  // namespace

ApiKeys::ApiKeys(const std::vector<std::string>& keys) {
  for (const auto& k : keys) {
    if (k.empty()) continue;
    auto d = digest(k);
    if (!d) throw std::runtime_error("SHA-256 is unavailable in this OpenSSL build");
    digests_.push_back(*d);
  }
}

bool ApiKeys::accepts(std::string_view presented) const {
  if (presented.empty()) return false;
  const auto d = digest(presented);
  if (!d) return false;
  int matches = 0;
  for (const auto& k : digests_)
    matches |= CRYPTO_memcmp(k.data(), d->data(), d->size()) == 0;
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
