// Tests for metrics/: Prometheus text format (parsed back here), histogram cumulativity, sums
// across shards, the overflow series, and concurrent writers with a concurrent scraper.
// Also prints (does not assert) the cost of one request_done call.
#include "metrics/registry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace cg::metrics {
namespace {

struct Exposition {
  std::map<std::string, std::string> types;  // family -> type
  std::set<std::string> helps;
  std::map<std::string, double> samples;  // `name{labels}` exactly as rendered -> value
  std::vector<std::string> sample_order;
};

// A strict-enough parser of the text format: every line is a HELP, a TYPE or a sample.
Exposition parse(const std::string& text) {
  static const std::regex kSample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? )"
      R"(([-+0-9.eE]+|\+Inf|NaN)$)");
  Exposition e;
  std::istringstream in(text);
  std::string line;
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      std::string rest = line.substr(7);
      e.helps.insert(rest.substr(0, rest.find(' ')));
      EXPECT_NE(rest.find(' '), std::string::npos) << "HELP without text: " << line;
    } else if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream f(line.substr(7));
      std::string name, type;
      f >> name >> type;
      EXPECT_TRUE(type == "counter" || type == "gauge" || type == "histogram") << line;
      EXPECT_EQ(e.types.count(name), 0u) << "duplicate TYPE " << name;
      e.types[name] = type;
    } else {
      std::smatch m;
      EXPECT_TRUE(std::regex_match(line, m, kSample)) << "bad sample line: " << line;
      size_t space = line.rfind(' ');
      std::string key = line.substr(0, space);
      EXPECT_EQ(e.samples.count(key), 0u) << "duplicate series " << key;
      e.samples[key] = std::stod(line.substr(space + 1));
      e.sample_order.push_back(key);
    }
  }
  return e;
}

double at(const Exposition& e, const std::string& key) {
  auto it = e.samples.find(key);
  EXPECT_NE(it, e.samples.end()) << "missing series " << key;
  return it == e.samples.end() ? -1 : it->second;
}

constexpr const char* kFamilies[][2] = {
    {"http_requests_total", "counter"},
    {"http_request_duration_seconds", "histogram"},
    {"http_requests_in_flight", "gauge"},
    {"copilot_chat_completions_total", "counter"},
    {"copilot_chat_completion_duration_seconds", "histogram"},
    {"copilot_image_attachments_total", "counter"},
    {"copilot_upstream_requests_total", "counter"},
    {"copilot_token_refreshes_total", "counter"},
    {"copilot_stream_time_to_first_byte_seconds", "histogram"},
};

TEST(Metrics, EmptyRegistryHasEveryFamilyWithHelpAndType) {
  Registry r(2);
  Exposition e = parse(r.render());
  for (auto& f : kFamilies) {
    EXPECT_EQ(e.types[f[0]], f[1]) << f[0];
    EXPECT_TRUE(e.helps.count(f[0])) << f[0];
  }
  EXPECT_EQ(e.types.size(), std::size(kFamilies));
  EXPECT_EQ(at(e, "http_requests_in_flight"), 0);
  EXPECT_EQ(at(e, "copilot_image_attachments_total"), 0);
  EXPECT_EQ(at(e, "copilot_stream_time_to_first_byte_seconds_count"), 0);
  EXPECT_EQ(at(e, "copilot_token_refreshes_total{result=\"success\"}"), 0);
}

TEST(Metrics, EverySampleBelongsToADeclaredFamily) {
  Registry r(1);
  r.shard(0).request_done("POST", "/v1/chat/completions", 200, 0.3);
  r.shard(0).chat_completion_done("gpt-4o", true, 200, 2.0);
  r.shard(0).upstream_request("chat_completions", 200);
  r.shard(0).ttfb(0.4);
  Exposition e = parse(r.render());
  for (const std::string& key : e.sample_order) {
    std::string name = key.substr(0, key.find('{'));
    std::string family = name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      std::string s(suffix);
      if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0 &&
          e.types.count(name.substr(0, name.size() - s.size())) &&
          e.types[name.substr(0, name.size() - s.size())] == "histogram") {
        family = name.substr(0, name.size() - s.size());
      }
    }
    EXPECT_TRUE(e.types.count(family)) << "sample without TYPE: " << key;
  }
}

TEST(Metrics, HistogramBucketsAreCumulativeAndMonotone) {
  Registry r(1);
  Shard& s = r.shard(0);
  // Bounds: 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 30 60
  const double values[] = {0.001, 0.005, 0.02, 0.3, 0.3, 0.7, 4, 100};
  double sum = 0;
  for (double v : values) {
    s.request_done("GET", "/v1/models", 200, v);
    sum += v;
  }
  Exposition e = parse(r.render());
  const std::string p = "http_request_duration_seconds_bucket{method=\"GET\",path=\"/v1/models\",";
  EXPECT_EQ(at(e, p + "le=\"0.005\"}"), 2);  // 0.001 and 0.005 (le is inclusive)
  EXPECT_EQ(at(e, p + "le=\"0.01\"}"), 2);
  EXPECT_EQ(at(e, p + "le=\"0.025\"}"), 3);
  EXPECT_EQ(at(e, p + "le=\"0.25\"}"), 3);
  EXPECT_EQ(at(e, p + "le=\"0.5\"}"), 5);
  EXPECT_EQ(at(e, p + "le=\"1\"}"), 6);
  EXPECT_EQ(at(e, p + "le=\"5\"}"), 7);
  EXPECT_EQ(at(e, p + "le=\"60\"}"), 7);
  EXPECT_EQ(at(e, p + "le=\"+Inf\"}"), 8);
  const std::string labels = "{method=\"GET\",path=\"/v1/models\"}";
  EXPECT_EQ(at(e, "http_request_duration_seconds_count" + labels), 8);
  EXPECT_NEAR(at(e, "http_request_duration_seconds_sum" + labels), sum, 1e-9);
  EXPECT_EQ(at(e, "http_requests_total{method=\"GET\",path=\"/v1/models\",status=\"200\"}"), 8);

  // Monotone, in bound order, ending with +Inf, for every histogram series rendered.
  double prev = -1;
  std::string prev_series;
  int buckets_seen = 0;
  for (const std::string& key : e.sample_order) {
    if (key.find("_bucket{") == std::string::npos) continue;
    std::string series = key.substr(0, key.find("le=\""));
    if (series != prev_series) prev = -1, prev_series = series;
    EXPECT_GE(e.samples[key], prev) << key;
    prev = e.samples[key];
    ++buckets_seen;
  }
  EXPECT_EQ(buckets_seen, 14 + 13);  // request duration (13+Inf) + ttfb (12+Inf)
}

TEST(Metrics, SumsAcrossThreeShardsIncludingControl) {
  Registry r(3);
  ASSERT_EQ(r.shard_count(), 3);
  r.shard(0).request_done("POST", "/v1/messages", 200, 1.0);
  r.shard(1).request_done("POST", "/v1/messages", 200, 2.0);
  r.shard(2).request_done("POST", "/v1/messages", 200, 3.0);
  r.shard(2).request_done("POST", "/v1/messages", 429, 0.01);
  r.shard(0).in_flight_add(3);
  r.shard(1).in_flight_add(1);
  r.shard(2).in_flight_add(-1);
  r.shard(0).chat_completion_done("claude-sonnet-4", false, 200, 1.5);
  r.shard(1).chat_completion_done("claude-sonnet-4", false, 200, 2.5);
  r.shard(1).chat_completion_done("claude-sonnet-4", true, 200, 7);
  r.shard(0).image_attachments(2);
  r.shard(2).image_attachments(5);
  r.shard(0).upstream_request("messages", 200);
  r.shard(1).upstream_request("messages", 200);
  r.shard(1).upstream_request("messages", 502);
  r.control().token_refresh(true);
  r.control().token_refresh(true);
  r.control().token_refresh(false);
  r.shard(0).ttfb(0.2);
  r.shard(2).ttfb(0.6);

  Exposition e = parse(r.render());
  EXPECT_EQ(at(e, "http_requests_total{method=\"POST\",path=\"/v1/messages\",status=\"200\"}"), 3);
  EXPECT_EQ(at(e, "http_requests_total{method=\"POST\",path=\"/v1/messages\",status=\"429\"}"), 1);
  EXPECT_EQ(at(e, "http_request_duration_seconds_count{method=\"POST\",path=\"/v1/messages\"}"), 4);
  EXPECT_NEAR(at(e, "http_request_duration_seconds_sum{method=\"POST\",path=\"/v1/messages\"}"),
              6.01, 1e-9);
  EXPECT_EQ(at(e, "http_requests_in_flight"), 3);
  EXPECT_EQ(at(e,
               "copilot_chat_completions_total{model=\"claude-sonnet-4\",stream=\"false\","
               "status=\"200\"}"),
            2);
  EXPECT_EQ(at(e,
               "copilot_chat_completions_total{model=\"claude-sonnet-4\",stream=\"true\","
               "status=\"200\"}"),
            1);
  EXPECT_EQ(at(e,
               "copilot_chat_completion_duration_seconds_bucket{model=\"claude-sonnet-4\","
               "stream=\"false\",le=\"2.5\"}"),
            2);
  EXPECT_EQ(at(e, "copilot_image_attachments_total"), 7);
  EXPECT_EQ(at(e, "copilot_upstream_requests_total{endpoint=\"messages\",status=\"200\"}"), 2);
  EXPECT_EQ(at(e, "copilot_upstream_requests_total{endpoint=\"messages\",status=\"502\"}"), 1);
  EXPECT_EQ(at(e, "copilot_token_refreshes_total{result=\"success\"}"), 2);
  EXPECT_EQ(at(e, "copilot_token_refreshes_total{result=\"failure\"}"), 1);
  EXPECT_EQ(at(e, "copilot_stream_time_to_first_byte_seconds_bucket{le=\"0.25\"}"), 1);
  EXPECT_EQ(at(e, "copilot_stream_time_to_first_byte_seconds_bucket{le=\"0.75\"}"), 2);
  EXPECT_EQ(at(e, "copilot_stream_time_to_first_byte_seconds_count"), 2);
}

TEST(Metrics, OverflowFoldsIntoOtherSeries) {
  Registry r(2);
  for (int shard = 0; shard < 2; ++shard) {
    for (int i = 0; i < int(kMaxSeries) + 5; ++i) {
      r.shard(shard).chat_completion_done("model-" + std::to_string(i), false, 200, 1);
    }
    // Existing series keep counting after the table is full.
    r.shard(shard).chat_completion_done("model-0", false, 200, 1);
  }
  Exposition e = parse(r.render());
  int series = 0;
  for (auto& [key, v] : e.samples) {
    if (key.rfind("copilot_chat_completions_total{", 0) == 0) ++series;
  }
  // Per shard the table holds kMaxSeries label sets (model,stream,status); the rest is "other".
  EXPECT_EQ(series, int(kMaxSeries) + 1);
  EXPECT_EQ(at(e,
               "copilot_chat_completions_total{model=\"other\",stream=\"other\","
               "status=\"other\"}"),
            2 * 5);
  EXPECT_EQ(at(e,
               "copilot_chat_completions_total{model=\"model-0\",stream=\"false\","
               "status=\"200\"}"),
            4);
  EXPECT_EQ(at(e,
               "copilot_chat_completion_duration_seconds_count{model=\"other\","
               "stream=\"other\"}"),
            10);
  EXPECT_EQ(e.samples.count("copilot_chat_completions_total{model=\"model-" +
                            std::to_string(kMaxSeries) + "\",stream=\"false\",status=\"200\"}"),
            0u);
}

TEST(Metrics, LabelValuesAreEscapedAndBounded) {
  Registry r(1);
  r.shard(0).chat_completion_done("we\"ird\\mo\ndel", true, 400, 0.1);
  r.shard(0).chat_completion_done(std::string(1000, 'x'), true, 400, 0.1);
  Exposition e = parse(r.render());
  EXPECT_EQ(at(e,
               "copilot_chat_completions_total{model=\"we\\\"ird\\\\mo\\ndel\",stream=\"true\","
               "status=\"400\"}"),
            1);
  EXPECT_EQ(at(e, "copilot_chat_completions_total{model=\"" + std::string(kMaxLabelBytes, 'x') +
                      "\",stream=\"true\",status=\"400\"}"),
            1);
}

TEST(Metrics, DistinctLabelSplitsDoNotCollide) {
  Registry r(1);
  r.shard(0).upstream_request("ab", 200);
  r.shard(0).upstream_request("a", 200);
  r.shard(0).upstream_request("ab", 200);
  Exposition e = parse(r.render());
  EXPECT_EQ(at(e, "copilot_upstream_requests_total{endpoint=\"ab\",status=\"200\"}"), 2);
  EXPECT_EQ(at(e, "copilot_upstream_requests_total{endpoint=\"a\",status=\"200\"}"), 1);
}

TEST(Metrics, ConcurrentWritersAndScraper) {
  constexpr int kWorkers = 3, kIters = 20000;
  Registry r(kWorkers);
  std::atomic<bool> done{false};
  std::atomic<int> scrapes{0};
  std::thread scraper([&] {
    double last_total = 0;
    while (!done.load()) {
      Exposition e = parse(r.render());
      double total = 0;
      for (auto& [key, v] : e.samples) {
        if (key.rfind("http_requests_total{", 0) == 0) total += v;
      }
      EXPECT_GE(total, last_total);  // counters never go backwards
      last_total = total;
      scrapes.fetch_add(1);
    }
  });
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&r, &scrapes, w] {
      Shard& s = r.shard(w);
      const char* paths[] = {"/v1/chat/completions", "/v1/messages", "/v1/models"};
      for (int i = 0; i < kIters; ++i) {
        if (i == kIters / 2) {  // make sure scrapes overlap the writes
          int seen = scrapes.load();
          while (scrapes.load() < seen + 2)
            std::this_thread::yield();
        }
        s.in_flight_add(1);
        s.request_done("POST", paths[i % 3], i % 10 == 0 ? 500 : 200, 0.001 * (i % 100));
        s.chat_completion_done(i % 2 ? "gpt-4o" : "claude-sonnet-4", i % 4 == 0, 200, 1);
        s.in_flight_add(-1);
      }
      s.in_flight_add(w);  // leave a known gauge value
    });
  }
  std::thread refresher([&r] {
    for (int i = 0; i < 1000; ++i)
      r.control().token_refresh(i % 4 != 0);
  });
  for (auto& t : workers)
    t.join();
  refresher.join();
  done.store(true);
  scraper.join();
  EXPECT_GT(scrapes.load(), 0);

  Exposition e = parse(r.render());
  double total = 0, errors = 0;
  for (auto& [key, v] : e.samples) {
    if (key.rfind("http_requests_total{", 0) == 0) total += v;
    if (key.rfind("http_requests_total{", 0) == 0 && key.find("\"500\"") != std::string::npos) {
      errors += v;
    }
  }
  EXPECT_EQ(total, kWorkers * kIters);
  EXPECT_EQ(errors, kWorkers * kIters / 10);
  EXPECT_EQ(at(e, "http_requests_in_flight"), 0 + 1 + 2);
  EXPECT_EQ(at(e,
               "copilot_chat_completions_total{model=\"gpt-4o\",stream=\"false\","
               "status=\"200\"}"),
            kWorkers * kIters / 2);
  EXPECT_EQ(at(e, "copilot_token_refreshes_total{result=\"success\"}"), 750);
  EXPECT_EQ(at(e, "copilot_token_refreshes_total{result=\"failure\"}"), 250);
  EXPECT_EQ(at(e,
               "http_request_duration_seconds_count{method=\"POST\","
               "path=\"/v1/models\"}"),
            kWorkers * (kIters / 3));
}

TEST(Metrics, BenchmarkRequestDone) {
  Registry r(1);
  Shard& s = r.shard(0);
  const char* paths[] = {"/v1/chat/completions", "/v1/messages", "/v1/models", "/v1/responses"};
  constexpr int kN = 200000;
  for (int i = 0; i < 1000; ++i)
    s.request_done("POST", paths[i % 4], 200, 0.01);  // warm up
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kN; ++i)
    s.request_done("POST", paths[i % 4], 200, 0.001 * (i % 1000));
  auto t1 = std::chrono::steady_clock::now();
  double ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / kN;
  std::printf("[ bench    ] request_done: %.1f ns/call (debug+sanitizer builds are slower)\n", ns);
  SUCCEED();
}

}  // namespace
}  // namespace cg::metrics
