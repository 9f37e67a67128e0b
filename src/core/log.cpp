// See log.h. Any thread: the only shared state is the level (relaxed atomic) and the test sink
// (set while no other thread logs).
#include "core/log.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>

#include "core/json_escape.h"

namespace cg::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::function<void(std::string_view)>* g_sink = nullptr;  // owned; see set_sink_for_tests

struct ThreadBuffer {
  std::string text;
  bool in_use = false;
  bool batching = false;
  std::string pending;  // batched whole lines, each with its newline
  void (*on_first_pending)(void*) = nullptr;
  void* on_first_pending_arg = nullptr;
  // Cache of the formatted "YYYY-MM-DDTHH:MM:SS" for the current second.
  time_t cached_second = -1;
  char cached_prefix[20] = {};
};

ThreadBuffer& thread_buffer() {
  thread_local ThreadBuffer tb;
  return tb;
}

void append_timestamp(std::string& out, ThreadBuffer& tb) {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  if (now.tv_sec != tb.cached_second) {
    tm parts{};
    gmtime_r(&now.tv_sec, &parts);
    strftime(tb.cached_prefix, sizeof tb.cached_prefix, "%Y-%m-%dT%H:%M:%S", &parts);
    tb.cached_second = now.tv_sec;
  }
  out.append(tb.cached_prefix, 19);
  const int ms = static_cast<int>(now.tv_nsec / 1'000'000);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + ms / 100));
  out.push_back(static_cast<char>('0' + ms / 10 % 10));
  out.push_back(static_cast<char>('0' + ms % 10));
  out.push_back('Z');
}

void write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere to report a failing stderr
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

}  // namespace

void set_level(Level level) {
  g_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

Level level() {
  return static_cast<Level>(g_level.load(std::memory_order_relaxed));
}

bool enabled(Level l) {
  return static_cast<int>(l) >= g_level.load(std::memory_order_relaxed);
}

std::optional<Level> parse_level(std::string_view name) {
  std::string lower(name);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "debug") return Level::kDebug;
  if (lower == "info") return Level::kInfo;
  if (lower == "warn" || lower == "warning") return Level::kWarn;
  if (lower == "error") return Level::kError;
  return std::nullopt;
}

std::string_view level_name(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

void set_thread_batching(bool on, void (*on_first_pending)(void*), void* arg) {
  ThreadBuffer& tb = thread_buffer();
  if (!on) flush_thread();
  tb.batching = on;
  tb.on_first_pending = on ? on_first_pending : nullptr;
  tb.on_first_pending_arg = on ? arg : nullptr;
  if (on) tb.pending.reserve(kBatchBytes);
}

bool flush_thread() {
  ThreadBuffer& tb = thread_buffer();
  if (tb.pending.empty()) return false;
  write_all(STDERR_FILENO, tb.pending.data(), tb.pending.size());
  tb.pending.clear();
  return true;
}

bool thread_has_pending() {
  return !thread_buffer().pending.empty();
}

Line::Line(Level l, std::string_view msg) : level_(l) {
  if (!enabled(l)) return;
  ThreadBuffer& tb = thread_buffer();
  if (tb.in_use) {
    buf_ = &nested_;  // rare: a Line built while another is open on this thread
  } else {
    tb.in_use = true;
    owns_thread_buffer_ = true;
    buf_ = &tb.text;
    buf_->clear();
  }
  buf_->append("{\"ts\":\"");
  append_timestamp(*buf_, tb);
  buf_->append("\",\"level\":\"");
  buf_->append(level_name(l));
  buf_->append("\",\"msg\":");
  append_json_string(*buf_, msg);
}

Line::~Line() {
  if (!buf_) return;
  buf_->push_back('}');
  if (g_sink != nullptr) {
    (*g_sink)(*buf_);
  } else {
    buf_->push_back('\n');
    ThreadBuffer& tb = thread_buffer();
    const bool batch = tb.batching && level_ < Level::kWarn && buf_->size() < kBatchBytes;
    if (!batch || tb.pending.size() + buf_->size() > kBatchBytes) flush_thread();
    if (batch) {
      const bool was_empty = tb.pending.empty();
      tb.pending.append(*buf_);
      if (was_empty && tb.on_first_pending) tb.on_first_pending(tb.on_first_pending_arg);
    } else {
      write_all(STDERR_FILENO, buf_->data(), buf_->size());
    }
  }
  if (owns_thread_buffer_) {
    if (buf_->capacity() > 64 * 1024) std::string().swap(*buf_);  // don't pin a huge line
    thread_buffer().in_use = false;
  }
}

namespace {

// Plain printable ASCII without quotes or backslashes: copied into JSON as it is.
[[maybe_unused]] bool plain_json_text(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c != '"' && c != '\\' && u >= 0x20 && u < 0x7f;
  });
}

// `"s"` without escaping. REQUIRES: plain_json_text(s).
void append_plain_quoted(std::string& out, std::string_view s) {
  const size_t at = out.size();
  out.append(s.size() + 2, '"');
  std::memcpy(out.data() + at + 1, s.data(), s.size());
}

}  // namespace

void Line::key(std::string_view k) {
  // Keys are identifiers written in the source (see log.h): no escaping needed.
  assert(plain_json_text(k));
  const size_t at = buf_->size();
  buf_->append(k.size() + 4, ':');  // ,"key": in one append (this runs ~14 times a request)
  char* out = buf_->data() + at;
  out[0] = ',';
  out[1] = '"';
  std::memcpy(out + 2, k.data(), k.size());
  out[k.size() + 2] = '"';
}

Line& Line::str(std::string_view k, std::string_view value) {
  if (!buf_) return *this;
  key(k);
  append_json_string(*buf_, value);
  return *this;
}

Line& Line::token(std::string_view k, std::string_view value) {
  if (!buf_) return *this;
  assert(plain_json_text(value));
  key(k);
  append_plain_quoted(*buf_, value);
  return *this;
}

Line& Line::num(std::string_view k, int64_t value) {
  if (!buf_) return *this;
  key(k);
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, value);
  buf_->append(tmp, static_cast<size_t>(end - tmp));
  return *this;
}

Line& Line::real(std::string_view k, double value) {
  if (!buf_) return *this;
  key(k);
  if (!std::isfinite(value)) {
    buf_->append("null");
    return *this;
  }
  char tmp[32];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, value);
  buf_->append(tmp, static_cast<size_t>(end - tmp));
  return *this;
}

Line& Line::boolean(std::string_view k, bool value) {
  if (!buf_) return *this;
  key(k);
  buf_->append(value ? "true" : "false");
  return *this;
}

void set_sink_for_tests(std::function<void(std::string_view line)> sink) {
  delete g_sink;
  g_sink = sink ? new std::function<void(std::string_view)>(std::move(sink)) : nullptr;
}

}  // namespace cg::log
