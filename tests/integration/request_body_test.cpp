// Request bodies as clients really send them: in pieces, pipelined after one another, or cut
// short. A body of known length is read straight into the request (h1::read_sized_body); these
// check that it arrives whole, that bytes after it belong to the next request, and that a client
// that stops mid-body costs nothing but its connection.
#include <gtest/gtest.h>

#include <thread>

#include "harness.h"

namespace cg::test {
namespace {

std::string request_text(const std::string& body) {
  return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
         std::string(kApiKey) +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

struct Raw {
  net::io_context io;
  tcp::socket s{io};
  beast::flat_buffer buf;
  explicit Raw(uint16_t port) {
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }
  void send(std::string_view bytes) { net::write(s, net::buffer(bytes)); }
  http::response<http::string_body> read() {
    http::response<http::string_body> res;
    http::read(s, buf, res);
    return res;
  }
};

// A ~100 KB user text whose marker at the very end only reaches the model if every byte did.
std::string large_body(const std::string& marker) {
  return chat_body("gpt-4.1", std::string(100 * 1024, 'a') + " " + marker);
}

}  // namespace

TEST(RequestBody, ArrivingInPiecesIsReadWhole) {
  auto env = start_env();
  Raw c(env->port());
  const std::string text = request_text(large_body("end-marker-7"));
  const size_t head = text.find("\r\n\r\n") + 4;
  // The head with a few body bytes, then the rest in uneven pieces with pauses between them.
  const size_t cuts[] = {head + 10, head + 5000, head + 5001, text.size() - 3, text.size()};
  size_t at = 0;
  for (size_t cut : cuts) {
    c.send(std::string_view(text).substr(at, cut - at));
    at = cut;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto res = c.read();
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_NE(res.body().find("end-marker-7"), std::string::npos);
}

TEST(RequestBody, PipelinedRequestsAfterABodyAreServedInOrder) {
  auto env = start_env();
  Raw c(env->port());
  // Three requests in one write: a large body, a small one, a large one.
  c.send(request_text(large_body("first-1")) + request_text(chat_body("gpt-4.1", "second-2")) +
         request_text(large_body("third-3")));
  for (const char* marker : {"first-1", "second-2", "third-3"}) {
    auto res = c.read();
    ASSERT_EQ(res.result_int(), 200) << marker << ": " << res.body();
    EXPECT_NE(res.body().find(marker), std::string::npos) << res.body();
  }
}

TEST(RequestBody, CutShortClosesOnlyThatConnection) {
  auto env = start_env();
  {
    Raw c(env->port());
    const std::string text = request_text(large_body("never"));
    c.send(std::string_view(text).substr(0, text.find("\r\n\r\n") + 4 + 1000));
    c.s.shutdown(tcp::socket::shutdown_send);
    // No answer: the gateway closes the connection.
    beast::error_code ec;
    http::response<http::string_body> res;
    http::read(c.s, c.buf, res, ec);
    EXPECT_TRUE(ec) << res.result_int();
  }
  Raw next(env->port());
  next.send(request_text(chat_body("gpt-4.1", "still-fine")));
  auto res = next.read();
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_NE(res.body().find("still-fine"), std::string::npos);
}

}  // namespace cg::test
