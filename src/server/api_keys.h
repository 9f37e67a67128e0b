// ApiKeys: the client keys accepted by the gateway, kept as SHA-256 digests and compared in
// constant time (no early exit on the first mismatching byte or key). Immutable after
// construction; any thread.
#pragma once
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace cg::server {

class ApiKeys {
 public:
  explicit ApiKeys(const std::vector<std::string>& keys);
  bool enabled() const { return !digests_.empty(); }
  bool accepts(std::string_view presented) const;

 private:
  std::vector<std::array<unsigned char, 32>> digests_;
};

// The key a client presented: `Authorization: Bearer <key>` or `x-api-key: <key>`.
std::string_view presented_key(std::string_view authorization, std::string_view x_api_key);

}  // namespace cg::server
