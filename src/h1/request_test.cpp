// Tests for Request/RequestParser: fields by id and by name (case-insensitive, repeated fields),
// bodies by Content-Length and chunked, keep-alive rules, limits, and storage reuse.
#include "h1/request.h"

#include <gtest/gtest.h>

#include <string>

namespace cg::h1 {
namespace {

// Parses `wire` completely (all bytes at once); returns the parser's error.
error_code parse(Request& req, std::string_view wire, uint64_t body_limit = 1 << 20) {
  RequestParser p(req);
  p.body_limit(body_limit);
  p.header_limit(8 * 1024);
  error_code ec;
  size_t used = 0;
  while (used < wire.size() && !p.is_done()) {
    const size_t n = p.put(net::buffer(wire.data() + used, wire.size() - used), ec);
    used += n;
    if (ec) return ec;
    if (n == 0) break;
  }
  return p.is_done() ? error_code{} : http::error::need_more;
}

TEST(Request, FieldsByIdAndByNameAndBody) {
  Request req;
  const std::string wire =
      "POST /v1/chat/completions?x=1 HTTP/1.1\r\n"
      "Host: localhost\r\n"
      "Authorization: Bearer k1\r\n"
      "X-Api-Key: k2\r\n"
      "x-stainless-lang: js\r\n"
      "X-Stainless-Lang: second\r\n"
      "Content-Length: 7\r\n"
      "\r\n"
      "{\"a\":1}";
  ASSERT_FALSE(parse(req, wire));
  EXPECT_EQ(req.method(), http::verb::post);
  EXPECT_EQ(req.method_string(), "POST");
  EXPECT_EQ(req.target(), "/v1/chat/completions?x=1");
  EXPECT_EQ(req.version(), 11u);
  EXPECT_TRUE(req.keep_alive());
  EXPECT_EQ(req[http::field::authorization], "Bearer k1");
  EXPECT_EQ(req["authorization"], "Bearer k1");
  EXPECT_EQ(req["x-api-key"], "k2");
  EXPECT_EQ(req["X-API-KEY"], "k2");
  EXPECT_EQ(req["x-stainless-lang"], "js");  // the first of repeated fields
  EXPECT_EQ(req["x-missing"], "");
  EXPECT_EQ(req[http::field::expect], "");
  EXPECT_EQ(req.fields().size(), 6u);
  EXPECT_EQ(req.body(), "{\"a\":1}");
  std::string names;
  req.fields().for_each([&](std::string_view n, std::string_view) { names.append(n).append(","); });
  EXPECT_EQ(names,
            "Host,Authorization,X-Api-Key,x-stainless-lang,X-Stainless-Lang,Content-Length,");
}

TEST(Request, NameLookupDoesNotMatchNonLettersByCase) {
  Request req;
  ASSERT_FALSE(parse(req, "GET / HTTP/1.1\r\nx-a_b: 1\r\n\r\n"));
  EXPECT_EQ(req["x-a_b"], "1");
  EXPECT_EQ(req["X-A_B"], "1");
  EXPECT_EQ(req["x-a\x7f"
                "b"],
            "");  // '_' | 0x20 == 0x7f: not a case variant
}

TEST(Request, ChunkedBody) {
  Request req;
  ASSERT_FALSE(parse(req,
                     "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"));
  EXPECT_EQ(req.body(), "abcdefg");
}

TEST(Request, KeepAliveRules) {
  Request req;
  ASSERT_FALSE(parse(req, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
  EXPECT_FALSE(req.keep_alive());
  ASSERT_FALSE(parse(req, "GET / HTTP/1.0\r\n\r\n"));
  EXPECT_FALSE(req.keep_alive());
  EXPECT_EQ(req.version(), 10u);
  ASSERT_FALSE(parse(req, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_TRUE(req.keep_alive());
}

TEST(Request, LimitsAndMalformedInput) {
  Request req;
  EXPECT_EQ(parse(req, "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n", 10),
            http::error::body_limit);
  EXPECT_TRUE(parse(req, "GET / HTTP/1.1\r\nBad Header\r\n\r\n"));
  EXPECT_TRUE(parse(req, "GET / HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n"));
}

TEST(Request, StorageIsReusedAcrossRequests) {
  Request req;
  const std::string wire =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer k\r\n"
      "Content-Length: 2\r\n\r\n{}";
  ASSERT_FALSE(parse(req, wire));
  const char* body_storage = req.body().data();
  const size_t body_capacity = req.body().capacity();
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(parse(req, wire));
    EXPECT_EQ(req.body(), "{}");
    EXPECT_EQ(req[http::field::host], "h");
  }
  EXPECT_EQ(req.body().data(), body_storage);
  EXPECT_EQ(req.body().capacity(), body_capacity);
}

}  // namespace
}  // namespace cg::h1
