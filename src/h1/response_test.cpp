// Tests for Response/ResponseParser: status and fields, bodies by Content-Length, chunked and
// until EOF, delivered into a string or to a sink without a copy, keep-alive, limits, reuse.
#include "h1/response.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cg::h1 {
namespace {

// Feeds `wire` in pieces of `step` bytes, like reads from a socket; returns the parser's error.
error_code feed(ResponseParser& p, std::string_view wire, size_t step, bool eof = false) {
  std::string pending;
  for (size_t at = 0; at < wire.size() && !p.is_done(); at += step) {
    pending.append(wire.substr(at, step));
    while (!pending.empty() && !p.is_done()) {
      error_code ec;
      const size_t used = p.put(net::buffer(pending), ec);
      pending.erase(0, used);
      if (ec == http::error::need_more) break;
      if (ec) return ec;
    }
  }
  if (eof && !p.is_done()) {
    error_code ec;
    p.put_eof(ec);
    if (ec) return ec;
  }
  return p.is_done() ? error_code{} : http::error::need_more;
}

TEST(Response, ContentLengthBodyIntoString) {
  Response res;
  ResponseParser p(res);
  std::string body;
  p.body_into(&body);
  ASSERT_FALSE(feed(p,
                    "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
                    "Retry-After: 7\r\nX-Quota-Snapshot-Chat: ent=0\r\nContent-Length: 11\r\n\r\n"
                    "{\"error\":1}",
                    5));
  EXPECT_EQ(res.status(), 429);
  EXPECT_EQ(res[http::field::retry_after], "7");
  EXPECT_EQ(res["retry-after"], "7");
  EXPECT_EQ(res["x-quota-snapshot-chat"], "ent=0");
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_TRUE(res.keep_alive());
  EXPECT_EQ(body, "{\"error\":1}");
}

TEST(Response, ChunkedBodyToSinkArrivesWholeAndInOrder) {
  Response res;
  ResponseParser p(res);
  std::string got;
  int pieces = 0;
  FunctionSink sink([&](std::string_view b) {
    got.append(b);
    ++pieces;
  });
  p.body_to(&sink);
  const std::string wire =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
      "f\r\ndata: {\"a\":1}\n\n\r\n"
      "f\r\ndata: {\"b\":2}\n\n\r\n"
      "e\r\ndata: [DONE]\n\n\r\n"
      "0\r\n\r\n";
  ASSERT_FALSE(feed(p, wire, 7));
  EXPECT_EQ(res.status(), 200);
  EXPECT_EQ(got, "data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n");
  EXPECT_GE(pieces, 3);
}

TEST(Response, PutStopsAtTheHeadUntilABodyTargetIsChosen) {
  Response res;
  ResponseParser p(res);
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd";
  // Header only: stops at the end of the head.
  error_code ec;
  const size_t used = p.put(net::buffer(wire), ec);
  ASSERT_FALSE(ec);
  ASSERT_TRUE(p.is_header_done());
  EXPECT_FALSE(p.is_done());
  std::string body;
  p.body_into(&body);
  ASSERT_FALSE(feed(p, std::string_view(wire).substr(used), 100));
  EXPECT_EQ(body, "abcd");
}

TEST(Response, KeepAliveRules) {
  {
    Response res;
    ResponseParser p(res);
    ASSERT_FALSE(feed(p, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 64));
    EXPECT_FALSE(res.keep_alive());
  }
  {
    Response res;
    ResponseParser p(res);
    std::string body;
    p.body_into(&body);
    ASSERT_FALSE(feed(p, "HTTP/1.1 200 OK\r\n\r\nuntil the end", 4, true));
    EXPECT_FALSE(res.keep_alive());  // body delimited by the end of the connection
    EXPECT_EQ(body, "until the end");
  }
}

TEST(Response, BodyLimitAndMalformedHead) {
  Response res;
  {
    ResponseParser p(res);
    p.body_limit(3);
    std::string body;
    p.body_into(&body);
    EXPECT_EQ(feed(p, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 64),
              http::error::body_limit);
  }
  {
    ResponseParser p(res);
    EXPECT_TRUE(feed(p, "HTTP/1.1 abc\r\n\r\n", 64));
  }
}

TEST(Response, StorageIsClearedForTheNextResponse) {
  Response res;
  {
    ResponseParser p(res);
    ASSERT_FALSE(feed(p, "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 0\r\n\r\n", 64));
  }
  ResponseParser p(res);
  ASSERT_FALSE(feed(p, "HTTP/1.1 204 No Content\r\n\r\n", 64));
  EXPECT_EQ(res.status(), 204);
  EXPECT_EQ(res["x-a"], "");
  EXPECT_EQ(res.fields().size(), 0u);
}

}  // namespace
}  // namespace cg::h1
