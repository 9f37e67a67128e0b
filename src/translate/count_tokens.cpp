// See count_tokens.h.
#include "translate/count_tokens.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "tokenize/bpe.h"
#include "translate/json_util.h"

namespace cg::translate {

namespace {

constexpr int64_t kMaxImageTokens = 1600;
constexpr int64_t kClaudeToolPrompt = 346;
constexpr double kClaudeFactor = 1.15;

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Decodes up to `max` bytes from the start of a base64 text.
std::string decode_prefix(std::string_view b64, size_t max) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : b64) {
    const int v = b64_value(c);
    if (v < 0) break;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
      if (out.size() >= max) break;
    }
  }
  return out;
}

uint32_t be16(std::string_view s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 8) |
         static_cast<uint8_t>(s[at + 1]);
}
uint32_t be32(std::string_view s, size_t at) {
  return (be16(s, at) << 16) | be16(s, at + 2);
}
uint32_t le16(std::string_view s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 8) |
         static_cast<uint8_t>(s[at]);
}

// Width and height from the first bytes of an image, when the format is known.
bool image_size(std::string_view d, uint32_t& w, uint32_t& h) {
  if (d.size() >= 24 && d.substr(0, 8) == "\x89PNG\r\n\x1a\n") {
    w = be32(d, 16);
    h = be32(d, 20);
    return true;
  }
  if (d.size() >= 10 && (d.substr(0, 6) == "GIF87a" || d.substr(0, 6) == "GIF89a")) {
    w = le16(d, 6);
    h = le16(d, 8);
    return true;
  }
  if (d.size() >= 30 && d.substr(0, 4) == "RIFF" && d.substr(8, 4) == "WEBP") {
    if (d.substr(12, 4) == "VP8X") {
      w = 1 + (static_cast<uint8_t>(d[24]) | static_cast<uint8_t>(d[25]) << 8 |
               static_cast<uint8_t>(d[26]) << 16);
      h = 1 + (static_cast<uint8_t>(d[27]) | static_cast<uint8_t>(d[28]) << 8 |
               static_cast<uint8_t>(d[29]) << 16);
      return true;
    }
    if (d.substr(12, 4) == "VP8 ") {
      w = le16(d, 26) & 0x3FFF;
      h = le16(d, 28) & 0x3FFF;
      return true;
    }
    return false;
  }
  if (d.size() >= 4 && static_cast<uint8_t>(d[0]) == 0xFF && static_cast<uint8_t>(d[1]) == 0xD8) {
    size_t i = 2;
    while (i + 9 < d.size()) {
      if (static_cast<uint8_t>(d[i]) != 0xFF) return false;
      const uint8_t marker = static_cast<uint8_t>(d[i + 1]);
      const uint32_t len = be16(d, i + 2);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        h = be16(d, i + 5);
        w = be16(d, i + 7);
        return true;
      }
      i += 2 + len;
    }
  }
  return false;
}

int64_t image_tokens(const Block& b) {
  const std::string_view url = b.image_url;
  const size_t comma = url.find(',');
  if (!url.starts_with("data:") || comma == std::string_view::npos) return kMaxImageTokens;
  // JPEG headers can carry large metadata segments before the frame header.
  const std::string head = decode_prefix(url.substr(comma + 1), 64 * 1024);
  uint32_t w = 0, h = 0;
  if (!image_size(head, w, h) || w == 0 || h == 0) return kMaxImageTokens;
  const double tokens = static_cast<double>(w) * static_cast<double>(h) / 750.0;
  return std::clamp<int64_t>(static_cast<int64_t>(std::ceil(tokens)), 1, kMaxImageTokens);
}

// The tokens of escaped text (Block::text, Tool::description): counted on its plain form.
size_t escaped_text_tokens(std::string_view escaped) {
  if (escaped.find('\\') == std::string_view::npos) return tokenize::count_o200k(escaped);
  return tokenize::count_o200k(json_unescaped(escaped));
}

int64_t block_tokens(const Block& b) {
  switch (b.kind) {
    case Block::Kind::kText:
    case Block::Kind::kThinking:
      return static_cast<int64_t>(escaped_text_tokens(b.text));
    case Block::Kind::kImage:
      return image_tokens(b);
    case Block::Kind::kToolCall:
      return static_cast<int64_t>(tokenize::count_o200k(b.name) +
                                  tokenize::count_o200k(b.arguments)) +
             3;
    case Block::Kind::kToolResult: {
      int64_t n = static_cast<int64_t>(escaped_text_tokens(b.text)) + 3;
      for (const Block& p : b.parts)
        n += block_tokens(p);
      return n;
    }
    case Block::Kind::kRedactedThinking:
    case Block::Kind::kReasoning:
      return static_cast<int64_t>(escaped_text_tokens(b.text));
  }
  return 0;
}

}  // namespace

int64_t count_input_tokens(const Request& r, CountOptions opts) {
  int64_t n = 3;  // the reply primer
  for (const Message& m : r.messages) {
    n += 3;
    for (const Block& b : m.content)
      n += block_tokens(b);
  }
  for (const Tool& t : r.tools) {
    n += 8 +
         static_cast<int64_t>(tokenize::count_o200k(t.name) + escaped_text_tokens(t.description));
    n += static_cast<int64_t>(tokenize::count_o200k(t.parameters));
  }
  if (opts.claude) {
    n = static_cast<int64_t>(std::ceil(static_cast<double>(n) * kClaudeFactor));
    if (!r.tools.empty()) n += kClaudeToolPrompt;
  }
  return n;
}

}  // namespace cg::translate
