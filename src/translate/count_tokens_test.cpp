// Tests for count_input_tokens: exact o200k counts plus the documented overheads.
#include "translate/count_tokens.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tokenize/bpe.h"
#include "translate/json_util.h"

namespace cg::translate {
namespace {

int64_t o200k(std::string_view s) {
  return static_cast<int64_t>(tokenize::count_o200k(s));
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << 16 |
                       static_cast<uint32_t>(static_cast<uint8_t>(bytes[i + 1])) << 8 |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << 16;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << 16 |
                       static_cast<uint32_t>(static_cast<uint8_t>(bytes[i + 1])) << 8;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += '=';
  }
  return out;
}

void put_be16(std::string& s, uint32_t v) {
  s += static_cast<char>(v >> 8 & 0xFF);
  s += static_cast<char>(v & 0xFF);
}
void put_be32(std::string& s, uint32_t v) {
  put_be16(s, v >> 16);
  put_be16(s, v & 0xFFFF);
}
void put_le16(std::string& s, uint32_t v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>(v >> 8 & 0xFF);
}
void put_le24(std::string& s, uint32_t v) {
  put_le16(s, v & 0xFFFF);
  s += static_cast<char>(v >> 16 & 0xFF);
}

std::string png(uint32_t w, uint32_t h) {
  std::string s("\x89PNG\r\n\x1a\n", 8);
  put_be32(s, 13);
  s += "IHDR";
  put_be32(s, w);
  put_be32(s, h);
  s += std::string("\x08\x06\x00\x00\x00", 5);  // depth, color type, compression, filter, interlace
  put_be32(s, 0x12345678);                      // CRC (not checked)
  return s;
}

std::string gif(uint32_t w, uint32_t h) {
  std::string s("GIF89a");
  put_le16(s, w);
  put_le16(s, h);
  s += std::string("\xF7\x00\x00", 3);
  return s;
}

std::string webp_vp8x(uint32_t w, uint32_t h) {
  std::string s("RIFF");
  put_be32(s, 0);  // size (not checked)
  s += "WEBPVP8X";
  s += std::string("\x0A\x00\x00\x00", 4);  // chunk size 10
  s += std::string("\x10\x00\x00\x00", 4);  // flags + reserved
  put_le24(s, w - 1);
  put_le24(s, h - 1);
  return s;
}

std::string webp_vp8(uint32_t w, uint32_t h) {
  std::string s("RIFF");
  put_be32(s, 0);
  s += "WEBPVP8 ";
  s += std::string("\x20\x00\x00\x00", 4);  // chunk size
  s += std::string("\x50\x02\x00", 3);      // frame tag
  s += std::string("\x9d\x01\x2a", 3);      // start code
  put_le16(s, w | 0x4000);                  // the top two bits are the scale, not the width
  put_le16(s, h);
  return s;
}

// A baseline (or progressive) JPEG: SOI, an APP0 segment and a DHT before the frame header.
std::string jpeg(uint32_t w, uint32_t h, uint8_t sof = 0xC0) {
  std::string s("\xFF\xD8", 2);
  s += std::string("\xFF\xE0", 2);
  put_be16(s, 16);
  s += std::string("JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00", 14);
  s += std::string("\xFF\xC4", 2);  // DHT: its bytes must not be read as a size
  put_be16(s, 8);
  s += std::string("\x00\x01\x02\x03\x04\x05", 6);
  s += '\xFF';
  s += static_cast<char>(sof);
  put_be16(s, 17);
  s += '\x08';
  put_be16(s, h);
  put_be16(s, w);
  s += std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
  return s;
}

std::string data_url(std::string_view media, std::string_view bytes) {
  return "data:" + std::string(media) + ";base64," + base64(bytes);
}

Block text(std::string t) {
  Block b;
  b.text = std::move(t);
  return b;
}

Block image(std::string url) {
  Block b;
  b.kind = Block::Kind::kImage;
  b.image_url = std::move(url);
  return b;
}

Request user(std::vector<Block> blocks) {
  Request r;
  r.model = "m";
  r.messages.push_back(Message{Role::kUser, std::move(blocks)});
  return r;
}

// Tokens of one user message holding just this image.
int64_t image_tokens(std::string url) {
  return count_input_tokens(user({image(std::move(url))})) - 6;
}

TEST(CountTokens, KnownO200kCounts) {
  // Sanity of the reference itself.
  EXPECT_EQ(o200k(""), 0);
  EXPECT_EQ(o200k("hello world"), 2);
  EXPECT_EQ(o200k("Hello, world!"), 4);
}

TEST(CountTokens, EmptyRequestIsTheReplyPrimer) {
  EXPECT_EQ(count_input_tokens(Request{}), 3);
}

TEST(CountTokens, TextIsCountedExactlyPlusPerMessageOverhead) {
  const std::string a = "The quick brown fox jumps over the lazy dog.";
  const std::string b = "Überprüfe bitte den Code: `int main() { return 0; }` ✓";
  EXPECT_EQ(count_input_tokens(user({text(a)})), 3 + 3 + o200k(a));
  EXPECT_EQ(count_input_tokens(user({text(a), text(b)})), 3 + 3 + o200k(a) + o200k(b));
  Request two = user({text(a)});
  two.messages.push_back(Message{Role::kAssistant, {text(b)}});
  two.messages.insert(two.messages.begin(), Message{Role::kSystem, {text("be brief")}});
  EXPECT_EQ(count_input_tokens(two), 3 + 3 * 3 + o200k(a) + o200k(b) + o200k("be brief"));
  // Every message costs 3 even without content.
  Request empty = user({});
  empty.messages.push_back(Message{Role::kAssistant, {}});
  EXPECT_EQ(count_input_tokens(empty), 3 + 6);
}

TEST(CountTokens, GrowsWithText) {
  int64_t last = count_input_tokens(user({text("word")}));
  for (int n = 2; n <= 64; n *= 2) {
    std::string t;
    for (int i = 0; i < n; ++i)
      t += "word ";
    const int64_t now = count_input_tokens(user({text(t)}));
    EXPECT_GT(now, last) << n;
    last = now;
  }
}

TEST(CountTokens, ToolCallsResultsAndThinking) {
  Block call;
  call.kind = Block::Kind::kToolCall;
  call.id = "toolu_1";  // ids are not read by the model
  call.name = "get_weather";
  call.arguments = R"({"city":"Paris"})";
  Block result;
  result.kind = Block::Kind::kToolResult;
  result.id = "toolu_1";
  result.text = "Sunny, 24 degrees";
  Block think;
  think.kind = Block::Kind::kThinking;
  think.text = "The user wants the weather.";
  think.signature = "sig_0123456789abcdef";  // not counted
  Request r = user({text("weather in Paris?")});
  r.messages.push_back(Message{Role::kAssistant, {think, call}});
  r.messages.push_back(Message{Role::kUser, {result}});
  EXPECT_EQ(count_input_tokens(r), 3 + 3 * 3 + o200k("weather in Paris?") + o200k(think.text) +
                                       o200k("get_weather") + o200k(call.arguments) + 3 +
                                       o200k(result.text) + 3);
}

TEST(CountTokens, ToolResultPartsAreCounted) {
  Block result;
  result.kind = Block::Kind::kToolResult;
  result.id = "t";
  result.parts = {text("first part"), text("second part"),
                  image(data_url("image/gif", gif(75, 20)))};
  EXPECT_EQ(count_input_tokens(user({result})),
            3 + 3 + 3 + o200k("first part") + o200k("second part") + 2);
}

TEST(CountTokens, ToolsAddNameDescriptionSchemaAndOverhead) {
  Tool t;
  t.name = "get_weather";
  t.description = "Get the current weather for a city.";
  t.parameters = R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})";
  Request r = user({text("hi")});
  const int64_t base = count_input_tokens(r);
  r.tools.push_back(t);
  const int64_t with_tool = count_input_tokens(r);
  EXPECT_EQ(with_tool - base, 8 + o200k(t.name) + o200k(t.description) + o200k(t.parameters));
  // A tool without a schema: name, description and the overhead only.
  Tool bare;
  bare.name = "noop";
  r.tools.push_back(bare);
  EXPECT_EQ(count_input_tokens(r) - with_tool, 8 + o200k("noop"));
}

TEST(CountTokens, PngGifJpegWebpSizes) {
  EXPECT_EQ(image_tokens(data_url("image/png", png(100, 75))), 10);           // 7500 / 750
  EXPECT_EQ(image_tokens(data_url("image/png", png(751, 1))), 2);             // rounded up
  EXPECT_EQ(image_tokens(data_url("image/png", png(1, 1))), 1);               // at least 1
  EXPECT_EQ(image_tokens(data_url("image/gif", gif(30, 25))), 1);             // 750 / 750
  EXPECT_EQ(image_tokens(data_url("image/gif", gif(300, 250))), 100);         // little-endian
  EXPECT_EQ(image_tokens(data_url("image/jpeg", jpeg(200, 150))), 40);        // after APP0 and DHT
  EXPECT_EQ(image_tokens(data_url("image/jpeg", jpeg(300, 100, 0xC2))), 40);  // progressive
  EXPECT_EQ(image_tokens(data_url("image/webp", webp_vp8x(300, 250))), 100);
  EXPECT_EQ(image_tokens(data_url("image/webp", webp_vp8(150, 100))), 20);
  // The media type in the URL does not matter, the bytes do.
  EXPECT_EQ(image_tokens(data_url("image/jpeg", png(100, 75))), 10);
}

TEST(CountTokens, LargeImagesAreCapped) {
  EXPECT_EQ(image_tokens(data_url("image/png", png(4000, 3000))), 1600);
  EXPECT_EQ(image_tokens(data_url("image/png", png(1200, 1000))), 1600);  // exactly 1600
  EXPECT_EQ(image_tokens(data_url("image/png", png(1200, 999))), 1599);
  EXPECT_EQ(image_tokens(data_url("image/webp", webp_vp8x(1 << 24, 1 << 24))), 1600);
}

TEST(CountTokens, UnreadableImagesCountAsTheCap) {
  EXPECT_EQ(image_tokens("https://example.com/cat.png"), 1600);
  EXPECT_EQ(image_tokens("data:image/png;base64"), 1600);  // no comma
  EXPECT_EQ(image_tokens("data:image/png;base64,"), 1600);
  EXPECT_EQ(image_tokens(data_url("image/png", "not an image at all, just text")), 1600);
  EXPECT_EQ(image_tokens(data_url("image/png", png(100, 75).substr(0, 20))), 1600);  // truncated
  EXPECT_EQ(image_tokens(data_url("image/png", png(0, 75))), 1600);                  // zero size
  EXPECT_EQ(image_tokens(data_url("image/gif", gif(0, 0))), 1600);
  std::string riff = webp_vp8x(10, 10);
  riff.replace(12, 4, "ALPH");
  EXPECT_EQ(image_tokens(data_url("image/webp", riff)), 1600);
  // A JPEG whose segments never reach a frame header.
  EXPECT_EQ(image_tokens(data_url("image/jpeg", jpeg(200, 150).substr(0, 30))), 1600);
}

TEST(CountTokens, ClaudeFactorAndToolPrompt) {
  Request r = user({text("The quick brown fox jumps over the lazy dog.")});
  const int64_t plain = count_input_tokens(r);
  CountOptions claude;
  claude.claude = true;
  EXPECT_EQ(count_input_tokens(r, claude), (plain * 115 + 99) / 100);  // ceil(plain * 1.15)
  EXPECT_GT(count_input_tokens(r, claude), plain);

  Tool t;
  t.name = "search";
  t.description = "Search the web.";
  r.tools.push_back(t);
  const int64_t plain_tools = count_input_tokens(r);
  EXPECT_EQ(count_input_tokens(r, claude), (plain_tools * 115 + 99) / 100 + 346);
  // The default options are the OpenAI count.
  EXPECT_EQ(count_input_tokens(r, CountOptions{}), plain_tools);
}

}  // namespace
}  // namespace cg::translate
