// Structured logging: one JSON object per line on stderr, e.g.
//   {"ts":"2026-11-22T03:04:05.123Z","level":"info","msg":"listening","port":4141}
// Any thread. Each line is built in a thread_local buffer (no allocation per line once warm) and
// emitted with a single write(2), so lines from different threads never interleave. A thread may
// opt into batching (worker threads do, for access lines): its debug/info lines then collect in a
// per-thread buffer written as whole lines in one write(2) of at most kBatchBytes when it fills,
// when a warn/error line follows (order is kept), or when the thread calls flush_thread(). The
// level filter is set once at startup (set_level) and read with relaxed atomics afterwards. Never
// pass secrets (tokens, API keys) as values.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cg::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Minimum level that is emitted (default kInfo). Call before starting threads.
void set_level(Level level);
Level level();
bool enabled(Level level);

// "debug" | "info" | "warn" (or "warning") | "error", case-insensitive; nullopt otherwise.
std::optional<Level> parse_level(std::string_view name);
std::string_view level_name(Level level);

// One log line; emitted by the destructor. Keys must be plain identifiers written in the source
// (no quotes, backslashes or control characters: they are copied as they are). Typical use, as a
// temporary:
//   cg::log::info("listening").str("host", host).num("port", port);
class Line {
 public:
  Line(Level level, std::string_view msg);  // cheap no-op when the level is disabled
  ~Line();
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;

  Line& str(std::string_view key, std::string_view value);
  // A value that needs no JSON escaping (printable ASCII without quotes or backslashes: our own
  // ids and labels, HTTP method tokens), copied as it is.
  Line& token(std::string_view key, std::string_view value);
  Line& num(std::string_view key, int64_t value);
  Line& real(std::string_view key, double value);  // NaN/inf become null
  Line& boolean(std::string_view key, bool value);

 private:
  void key(std::string_view k);

  std::string* buf_ = nullptr;  // null when disabled
  Level level_ = Level::kInfo;
  bool owns_thread_buffer_ = false;
  std::string nested_;  // used only when a Line is built while another is open on this thread
};

inline Line debug(std::string_view msg) {
  return Line(Level::kDebug, msg);
}
inline Line info(std::string_view msg) {
  return Line(Level::kInfo, msg);
}
inline Line warn(std::string_view msg) {
  return Line(Level::kWarn, msg);
}
inline Line error(std::string_view msg) {
  return Line(Level::kError, msg);
}

// Batching for the calling thread (see above). Turning it off flushes.
inline constexpr size_t kBatchBytes = 4096;  // PIPE_BUF: a batch never interleaves in a pipe
// `on_first_pending(arg)` is called on this thread when a line lands in an empty batch (the
// caller schedules a flush_thread() then, e.g. on a timer).
void set_thread_batching(bool on, void (*on_first_pending)(void*) = nullptr, void* arg = nullptr);
// Writes the calling thread's batched lines now; true when there were any.
bool flush_thread();
// Whether the calling thread holds batched lines not yet written.
bool thread_has_pending();

// Tests: route every line (without the trailing newline) to `sink` instead of stderr; pass an
// empty function to restore stderr. Not thread-safe against concurrent logging: set it while no
// other thread logs.
void set_sink_for_tests(std::function<void(std::string_view line)> sink);

}  // namespace cg::log
