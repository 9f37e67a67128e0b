// See registry.h. render() runs on the scrape thread and only reads shards (relaxed loads of
// cells, acquire loads of series counts); it allocates freely, it is not on the request path.
#include "metrics/registry.h"

#include <charconv>
#include <map>

namespace cg::metrics {
namespace {

template <size_t N>
using Key = std::array<std::string, N>;

void append_number(std::string& out, double v) {
  char tmp[32];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  out.append(tmp, end);
}

void append_number(std::string& out, uint64_t v) {
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  out.append(tmp, end);
}

void append_number(std::string& out, int64_t v) {
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  out.append(tmp, end);
}

void append_label_value(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
}

void header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// Appends `{a="x",b="y"` + extra + `}`; nothing when there are no labels and no extra.
template <size_t N>
void append_labels(std::string& out, const std::array<const char*, N>& names, const Key<N>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (N == 0 && extra_name.empty()) return;
  out.push_back('{');
  bool first = true;
  for (size_t i = 0; i < N; ++i) {
    if (!first) out.push_back(',');
    first = false;
    out.append(names[i]).append("=\"");
    append_label_value(out, values[i]);
    out.push_back('"');
  }
  if (!extra_name.empty()) {
    if (!first) out.push_back(',');
    out.append(extra_name).append("=\"").append(extra_value).append("\"");
  }
  out.push_back('}');
}

template <size_t N>
Key<N> other_key() {
  Key<N> k;
  k.fill("other");
  return k;
}

// Sums counter series with equal labels across shards.
template <size_t N>
void sum_counters(const LabeledFamily<N, CounterCell>& fam, std::map<Key<N>, uint64_t>& out) {
  const uint32_t n = fam.size();
  for (uint32_t i = 0; i < n; ++i)
    out[fam.labels(i)] += fam.cell(i).load();
  if (uint64_t v = fam.overflow().load()) out[other_key<N>()] += v;
}

template <size_t N>
void render_counter(std::string& out, std::string_view name, std::string_view help,
                    const std::array<const char*, N>& label_names,
                    const std::map<Key<N>, uint64_t>& series) {
  header(out, name, help, "counter");
  for (const auto& [labels, value] : series) {
    out.append(name);
    append_labels(out, label_names, labels);
    out.push_back(' ');
    append_number(out, value);
    out.push_back('\n');
  }
}

template <size_t NB>
struct HistogramSum {
  std::array<uint64_t, NB + 1> buckets{};
  double sum = 0;
  void add(const HistogramCell<NB>& cell) {
    for (size_t i = 0; i <= NB; ++i)
      buckets[i] += cell.buckets[i].load(std::memory_order_relaxed);
    sum += cell.sum.load(std::memory_order_relaxed);
  }
  bool empty() const {
    for (uint64_t b : buckets) {
      if (b) return false;
    }
    return true;
  }
};

template <size_t N, size_t NB>
void sum_histograms(const LabeledFamily<N, HistogramCell<NB>>& fam,
                    std::map<Key<N>, HistogramSum<NB>>& out) {
  const uint32_t n = fam.size();
  for (uint32_t i = 0; i < n; ++i)
    out[fam.labels(i)].add(fam.cell(i));
  HistogramSum<NB> overflow;
  overflow.add(fam.overflow());
  if (!overflow.empty()) out[other_key<N>()].add(fam.overflow());
}

template <size_t N, size_t NB>
void render_histogram(std::string& out, std::string_view name, std::string_view help,
                      const std::array<const char*, N>& label_names,
                      const std::array<double, NB>& bounds,
                      const std::map<Key<N>, HistogramSum<NB>>& series) {
  header(out, name, help, "histogram");
  for (const auto& [labels, h] : series) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= NB; ++i) {
      cumulative += h.buckets[i];
      std::string le;
      if (i < NB) {
        append_number(le, bounds[i]);
      } else {
        le = "+Inf";
      }
      out.append(name).append("_bucket");
      append_labels(out, label_names, labels, "le", le);
      out.push_back(' ');
      append_number(out, cumulative);
      out.push_back('\n');
    }
    out.append(name).append("_sum");
    append_labels(out, label_names, labels);
    out.push_back(' ');
    append_number(out, h.sum);
    out.push_back('\n');
    out.append(name).append("_count");  // == the +Inf bucket, always consistent
    append_labels(out, label_names, labels);
    out.push_back(' ');
    append_number(out, cumulative);
    out.push_back('\n');
  }
}

}  // namespace

Registry::Registry(int shards) {
  const int n = shards < 1 ? 1 : shards;
  shards_.reserve(static_cast<size_t>(n) + 1);
  for (int i = 0; i <= n; ++i)
    shards_.push_back(std::make_unique<Shard>());
}

std::string Registry::render() const {
  std::map<Key<3>, uint64_t> requests, chats;
  std::map<Key<2>, uint64_t> upstream;
  std::map<Key<2>, HistogramSum<kRequestDurationBuckets.size()>> request_durations;
  std::map<Key<2>, HistogramSum<kChatDurationBuckets.size()>> chat_durations;
  std::map<Key<0>, HistogramSum<kTtfbBuckets.size()>> ttfb;
  std::map<Key<0>, uint64_t> images;
  std::map<Key<1>, uint64_t> refreshes;
  int64_t in_flight = 0;
  ttfb[{}];  // unlabelled families always have their one series
  images[{}];
  for (const auto& s : shards_) {
    sum_counters(s->requests_, requests);
    sum_histograms(s->request_durations_, request_durations);
    in_flight += s->in_flight_.load(std::memory_order_relaxed);
    sum_counters(s->chat_completions_, chats);
    sum_histograms(s->chat_durations_, chat_durations);
    images[{}] += s->image_attachments_.load();
    sum_counters(s->upstream_requests_, upstream);
    refreshes[{"success"}] += s->token_refresh_ok_.load();
    refreshes[{"failure"}] += s->token_refresh_failed_.load();
    ttfb[{}].add(s->ttfb_);
  }

  std::string out;
  out.reserve(4096);
  render_counter<3>(out, "http_requests_total", "HTTP requests completed, by route and status.",
                    {"method", "path", "status"}, requests);
  render_histogram<2>(out, "http_request_duration_seconds",
                      "HTTP request duration in seconds, by route.", {"method", "path"},
                      kRequestDurationBuckets, request_durations);
  header(out, "http_requests_in_flight", "HTTP requests currently being served.", "gauge");
  out.append("http_requests_in_flight ");
  append_number(out, in_flight);
  out.push_back('\n');
  render_counter<3>(out, "copilot_chat_completions_total",
                    "Chat completions served, by model, streaming and status.",
                    {"model", "stream", "status"}, chats);
  render_histogram<2>(out, "copilot_chat_completion_duration_seconds",
                      "Chat completion duration in seconds, by model and streaming.",
                      {"model", "stream"}, kChatDurationBuckets, chat_durations);
  render_counter<0>(out, "copilot_image_attachments_total",
                    "Image attachments forwarded to Copilot.", {}, images);
  render_counter<2>(out, "copilot_upstream_requests_total",
                    "Requests sent to the Copilot/GitHub upstream, by endpoint and status.",
                    {"endpoint", "status"}, upstream);
  render_counter<1>(out, "copilot_token_refreshes_total", "Copilot token refreshes, by result.",
                    {"result"}, refreshes);
  render_histogram<0>(out, "copilot_stream_time_to_first_byte_seconds",
                      "Time from request to the first streamed byte sent to the client, seconds.",
                      {}, kTtfbBuckets, ttfb);
  return out;
}

}  // namespace cg::metrics
