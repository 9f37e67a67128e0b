// Fuzz target: the HTTP/1.1 parsers (h1::RequestParser, h1::ResponseParser) on arbitrary bytes,
// driven the way the server and the upstream client drive them (h1::put_buffered over a
// flat_buffer: the head first, then the body; the end of the input is the end of the stream).
// An input starting with "HTTP/" is parsed as a response, anything else as a request. The bytes
// arrive whole, split in two at a point derived from the input, and one byte at a time.
// Properties: no crash, leak or UB; the same outcome (error or not, complete or not) and, when
// complete, the same message (start line, fields in order, body, keep-alive) whatever the split.
// (A Boost 1.81 Beast assert that byte-by-byte chunked bodies trip wrongly is let through by
// boost_assert.cpp; see fuzz/README.md, "Known issues".)
#include <string>
#include <utility>
#include <vector>

#include "fuzz_util.h"
#include "h1/read.h"
#include "h1/request.h"
#include "h1/response.h"

namespace {

using cg::error_code;
namespace http = cg::http;
namespace net = cg::net;

struct Outcome {
  bool error = false;
  bool complete = false;
  std::string start_line;  // method + target + version, or status + version
  bool keep_alive = false;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
};

std::string describe(const Outcome& o) {
  std::string s = o.error ? "error" : o.complete ? "complete" : "incomplete";
  s += " [" + o.start_line + "] keep_alive=" + (o.keep_alive ? "1" : "0") + "\n";
  for (const auto& [n, v] : o.fields)
    s += n + ": " + v + "\n";
  return s + "body(" + std::to_string(o.body.size()) + ")=" + o.body + "\n";
}

void append(cg::beast::flat_buffer& buffer, std::string_view bytes) {
  const size_t n = net::buffer_copy(buffer.prepare(bytes.size()), net::buffer(bytes));
  buffer.commit(n);
}

// Feeds `pieces` to `parser`; `on_head` runs once the head is complete (before the body).
template <class Parser, class OnHead>
Outcome drive(Parser& parser, const std::vector<std::string_view>& pieces, OnHead on_head) {
  Outcome out;
  cg::beast::flat_buffer buffer;
  bool head_only = true;
  auto step = [&]() -> bool {  // false: stop (error or complete)
    for (;;) {
      const error_code ec = cg::h1::put_buffered(buffer, parser, head_only);
      if (ec) {
        out.error = true;
        return false;
      }
      if (head_only && parser.is_header_done()) {
        head_only = false;
        on_head();
        continue;  // the body bytes already buffered
      }
      if (parser.is_done()) {
        out.complete = true;
        return false;
      }
      return true;
    }
  };
  bool going = true;
  for (std::string_view p : pieces) {
    append(buffer, p);
    if (!(going = step())) break;
  }
  if (going && (parser.got_some() || buffer.size() > 0)) {  // end of stream
    error_code ec;
    parser.put_eof(ec);
    if (ec)
      out.error = true;
    else if (parser.is_done())
      out.complete = true;
  }
  return out;
}

Outcome parse_request(const std::vector<std::string_view>& pieces) {
  cg::h1::Request req;
  cg::h1::RequestParser parser(req);
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  Outcome out = drive(parser, pieces, [] {});
  if (out.complete) {
    out.start_line = std::string(req.method_string()) + " " + std::string(req.target()) + " " +
                     std::to_string(req.version()) + " " +
                     std::to_string(static_cast<int>(req.method()));
    out.keep_alive = req.keep_alive();
    req.fields().for_each([&](std::string_view n, std::string_view v) {
      out.fields.emplace_back(std::string(n), std::string(v));
    });
    out.body = req.body();
    // Lookups agree with the list: a field's first value, case-insensitively.
    for (const auto& [n, v] : out.fields) {
      for (const auto& [n2, v2] : out.fields) {
        if (cg::h1::field_name_equal(n, n2)) {
          CG_FUZZ_CHECK(req[n] == v2, describe(out));
          break;
        }
      }
    }
  }
  return out;
}

Outcome parse_response(const std::vector<std::string_view>& pieces) {
  cg::h1::Response res;
  cg::h1::ResponseParser parser(res);
  parser.header_limit(64 * 1024);
  parser.body_limit(64 * 1024);
  std::string body;
  Outcome out = drive(parser, pieces, [&] { parser.body_into(&body); });
  if (out.complete) {
    out.start_line = std::to_string(res.status()) + " " + std::to_string(res.version());
    out.keep_alive = res.keep_alive();
    res.fields().for_each([&](std::string_view n, std::string_view v) {
      out.fields.emplace_back(std::string(n), std::string(v));
    });
    out.body = body;
  }
  return out;
}

void expect_same(const Outcome& a, const Outcome& b, std::string_view input) {
  const std::string detail =
      "input:\n" + std::string(input) + "\nwhole: " + describe(a) + "split: " + describe(b);
  CG_FUZZ_CHECK(a.error == b.error && a.complete == b.complete, detail);
  if (!a.complete) return;
  CG_FUZZ_CHECK(a.start_line == b.start_line && a.keep_alive == b.keep_alive, detail);
  CG_FUZZ_CHECK(a.fields == b.fields && a.body == b.body, detail);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 128 * 1024) return 0;
  const std::string_view input = cg::fuzz::as_text(data, size);
  const bool response = input.starts_with("HTTP/");
  auto parse = [&](const std::vector<std::string_view>& pieces) {
    return response ? parse_response(pieces) : parse_request(pieces);
  };
  const Outcome whole = parse({input});
  uint64_t h = 1469598103934665603ull;  // FNV-1a picks the split point
  for (unsigned char c : input)
    h = (h ^ c) * 1099511628211ull;
  const size_t at = size ? h % (size + 1) : 0;
  expect_same(whole, parse({input.substr(0, at), input.substr(at)}), input);
  if (size <= 4096) {
    std::vector<std::string_view> bytes;
    for (size_t i = 0; i < size; ++i)
      bytes.push_back(input.substr(i, 1));
    expect_same(whole, parse(bytes), input);
  }
  return 0;
}
