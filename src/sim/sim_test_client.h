// Test-only helpers for unit_sim: a tiny synchronous HTTP/1.1 client (one keep-alive connection),
// SSE body splitters and a gtest fixture running a Simulator. Used from the test thread only.
#pragma once
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "asio_impl/net.h"
#include "sim/simulator.h"

namespace cg::sim::testing {

struct Response {
  error_code ec;  // set when the response could not be read completely
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;                            // partial when ec is set
  boost::json::value json() const { return boost::json::parse(body); }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class Client {
 public:
  explicit Client(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  // Sends a request and reads the response.
  Response request(http::verb verb, const std::string& target, const std::string& body = {},
                   const Headers& headers = {}) {
    send(verb, target, body, headers);
    return read();
  }
  Response get(const std::string& target, const Headers& headers = {}) {
    return request(http::verb::get, target, {}, headers);
  }
  Response post(const std::string& target, const std::string& body, const Headers& headers = {}) {
    return request(http::verb::post, target, body, headers);
  }

  void send(http::verb verb, const std::string& target, const std::string& body,
            const Headers& headers) {
    http::request<http::string_body> req(verb, target, 11);
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers)
      req.set(k, v);
    if (!body.empty() || verb == http::verb::post) {
      if (req[http::field::content_type].empty())
        req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    http::write(socket_, req);
  }

  Response read() {
    Response r;
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    http::read(socket_, buffer_, parser, r.ec);
    r.status = static_cast<int>(parser.get().result_int());
    for (const auto& f : parser.get()) {
      std::string name(f.name_string());
      for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(f.value());
    }
    r.body = parser.get().body();
    return r;
  }

  // True when the server closed the connection (a read returns EOF or reset).
  bool closed_by_peer() {
    char c;
    error_code ec;
    socket_.read_some(net::buffer(&c, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

  tcp::socket& socket() { return socket_; }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

// The `data:` payloads of an SSE body, in order.
inline std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find("\n\n", pos);
    if (end == std::string::npos) end = body.size();
    std::string event = body.substr(pos, end - pos);
    if (event.rfind("data: ", 0) == 0) out.push_back(event.substr(6));
    pos = end + 2;
  }
  return out;
}

// One SSE event: its `event:` name (empty when none) and its `data:` payload.
struct SseEvent {
  std::string name;
  std::string data;
  boost::json::value json() const { return boost::json::parse(data); }
};

// The events of an SSE body, in order (`event:` and `data:` lines; one data line each).
inline std::vector<SseEvent> sse_events(const std::string& body) {
  std::vector<SseEvent> out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find("\n\n", pos);
    if (end == std::string::npos) end = body.size();
    SseEvent e;
    size_t line = pos;
    while (line < end) {
      size_t nl = body.find('\n', line);
      if (nl == std::string::npos || nl > end) nl = end;
      const std::string l = body.substr(line, nl - line);
      if (l.rfind("event: ", 0) == 0) e.name = l.substr(7);
      if (l.rfind("data: ", 0) == 0) e.data = l.substr(6);
      line = nl + 1;
    }
    if (!e.name.empty() || !e.data.empty()) out.push_back(std::move(e));
    pos = end + 2;
  }
  return out;
}

// A fixture that starts a Simulator and talks to it with Copilot tokens.
class SimFixture : public ::testing::Test {
 protected:
  void start(SimConfig cfg = {}) {
    sim_ = std::make_unique<Simulator>(std::move(cfg));
    sim_->start();
  }
  Client client() { return Client(sim_->port()); }
  std::string copilot_token(const std::string& github = "ghu_sim_default") {
    Client c = client();
    Response r = c.get("/copilot_internal/v2/token", {{"authorization", "token " + github}});
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(r.json().at("token").as_string());
  }
  static Headers auth(const std::string& token, Headers more = {}) {
    more.emplace_back("authorization", "Bearer " + token);
    return more;
  }
  std::unique_ptr<Simulator> sim_;
};

}  // namespace cg::sim::testing
