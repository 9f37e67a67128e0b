// ApiKeys: the client keys accepted by the gateway. Each is kept only as a 128-bit digest made
// with two SipHash-2-4 keys drawn at random when the process starts, and a presented key is
// digested the same way and compared against every stored digest without an early exit, so
// the time taken says nothing about how much of a key matched, nor which key it was.
// (SipHash with a secret key is enough for this and costs ~1/10 of a SHA-256 per request.)
// Immutable after construction; any thread.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/siphash.h"

namespace cg::server {

class ApiKeys {
 public:
  explicit ApiKeys(const std::vector<std::string>& keys);
  bool enabled() const { return !digests_.empty(); }
  bool accepts(std::string_view presented) const;

 private:
  using Digest = std::array<uint64_t, 2>;
  Digest digest(std::string_view key) const;

  SipKey first_, second_;
  std::vector<Digest> digests_;
};

// The key a client presented: `Authorization: Bearer <key>` or `x-api-key: <key>`.
std::string_view presented_key(std::string_view authorization, std::string_view x_api_key);

}  // namespace cg::server
