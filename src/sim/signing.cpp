// See signing.h. SipHash-2-4 keys drawn once from std::random_device: two make a 128-bit tag,
// a third a keystream that hides the text inside sealed reasoning (not real encryption; enough
// that nobody reads or edits the blob by accident).
#include "sim/signing.h"

#include <array>
#include <cstdint>
#include <optional>
#include <random>

#include "core/siphash.h"
#include "sim/base64.h"

namespace cg::sim {
namespace {

constexpr size_t kTagSize = 16;

struct Keys {
  SipKey a, b, stream;
  Keys() {
    std::random_device rd;
    auto word = [&] { return static_cast<uint64_t>(rd()) << 32 ^ rd(); };
    a = {word(), word()};
    b = {word(), word()};
    stream = {word(), word()};
  }
};

const Keys& keys() {
  static const Keys k;
  return k;
}

// The tag over `data` as 16 raw bytes (little-endian halves).
std::array<unsigned char, kTagSize> tag(std::string_view data) {
  const uint64_t h[2] = {siphash24(keys().a, data), siphash24(keys().b, data)};
  std::array<unsigned char, kTagSize> out{};
  for (size_t i = 0; i < kTagSize; ++i)
    out[i] = static_cast<unsigned char>(h[i / 8] >> (8 * (i % 8)));
  return out;
}

std::string reasoning_data(std::string_view item_id, std::string_view text) {
  std::string data(item_id);
  data += '\0';
  data += text;
  return data;
}

// XORs `bytes` with a keystream derived from `item_id` (applying it twice restores them).
void apply_keystream(std::string_view item_id, std::string& bytes) {
  std::string block(item_id);
  block += '\0';
  const size_t counter_at = block.size();
  uint64_t word = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i % 8 == 0) {
      block.resize(counter_at);
      block += std::to_string(i / 8);
      word = siphash24(keys().stream, block);
    }
    bytes[i] = static_cast<char>(bytes[i] ^ static_cast<char>(word >> (8 * (i % 8))));
  }
}

}  // namespace

std::string sign_thinking(std::string_view thinking) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sig_";
  for (unsigned char c : tag(thinking)) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool verify_thinking(std::string_view thinking, std::string_view signature) {
  return signature == sign_thinking(thinking);
}

std::string seal_reasoning(std::string_view item_id, std::string_view text) {
  const auto t = tag(reasoning_data(item_id, text));
  std::string payload(text);
  apply_keystream(item_id, payload);
  payload.append(reinterpret_cast<const char*>(t.data()), t.size());
  std::string out;
  append_base64(out, payload);
  return out;
}

bool verify_reasoning(std::string_view item_id, std::string_view sealed) {
  std::optional<std::string> payload = decode_base64(sealed);
  if (!payload || payload->size() < kTagSize) return false;
  std::string text = payload->substr(0, payload->size() - kTagSize);
  apply_keystream(item_id, text);
  const auto t = tag(reasoning_data(item_id, text));
  return std::string_view(payload->data() + text.size(), kTagSize) ==
         std::string_view(reinterpret_cast<const char*>(t.data()), t.size());
}

}  // namespace cg::sim
