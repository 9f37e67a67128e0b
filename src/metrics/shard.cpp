// See shard.h. Owner thread only.
#include "metrics/shard.h"

#include <charconv>

namespace cg::metrics {
namespace {

// Formats an HTTP status into `buf` without allocating.
std::string_view status_text(int status, char (&buf)[12]) {
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, status);
  return {buf, static_cast<size_t>(end - buf)};
}

std::string_view bool_text(bool b) {
  return b ? "true" : "false";
}

}  // namespace

void Shard::request_done(std::string_view method, std::string_view path, int status,
                         double seconds) {
  char buf[12];
  requests_.get({method, path, status_text(status, buf)}).add(1);
  request_durations_.get({method, path}).observe(seconds, kRequestDurationBuckets);
}

void Shard::chat_completion_done(std::string_view model, bool stream, int status, double seconds) {
  char buf[12];
  chat_completions_.get({model, bool_text(stream), status_text(status, buf)}).add(1);
  chat_durations_.get({model, bool_text(stream)}).observe(seconds, kChatDurationBuckets);
}

void Shard::upstream_request(std::string_view endpoint, int status) {
  char buf[12];
  upstream_requests_.get({endpoint, status_text(status, buf)}).add(1);
}

}  // namespace cg::metrics
