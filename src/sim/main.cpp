// copilot-sim: runs the GitHub + Copilot simulator as a standalone process (Node tests, bench).
// Prints one "copilot-sim listening on <url>" line once ready and runs until SIGINT/SIGTERM.
// Main thread only; the simulator runs its own workers.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/simulator.h"

namespace {

constexpr std::string_view kUsage =
    "usage: copilot-sim [--host H] [--port P] [--threads N] [--token-lifetime S]\n"
    "                   [--refresh-in S] [--accounts N] [--static-copilot-token T]\n"
    "                   [--api-base-url URL] [--stream-chunks N] [--device-outcome O]\n"
    "                   [--device-interval S]\n"
    "                   [--premium-entitlement N[,N...]] [--premium-remaining X[,X...]]\n"
    "                   [--overage-permitted 0|1]\n"
    "Premium quota: without --premium-entitlement/--premium-remaining every account is\n"
    "unlimited. With them, account i takes the i-th value of each list (the last value repeats);\n"
    "entitlement defaults to 300, remaining to the entitlement.\n";

// Per-account premium quota from the command line.
struct QuotaFlags {
  std::vector<int> entitlement;
  std::vector<double> remaining;
  bool overage_permitted = false;
};

template <class T>
bool parse_number(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_int(std::string_view s, int& out) {
  return parse_number(s, out);
}

// "a,b,c" of numbers in 0..1e9 into `out`; false when empty or when an item is not one.
template <class T>
bool parse_list(std::string_view s, std::vector<T>& out) {
  out.clear();
  while (true) {
    const size_t comma = s.find(',');
    T v{};
    if (!parse_number(s.substr(0, comma), v) || !(v >= 0 && v <= 1000000000)) return false;
    out.push_back(v);
    if (comma == std::string_view::npos) return true;
    s = s.substr(comma + 1);
  }
}

template <class T>
T nth_or_last(const std::vector<T>& v, size_t i) {
  return v[std::min(i, v.size() - 1)];
}

// The account's quota: unlimited unless the command line gave amounts.
void apply_quota(const QuotaFlags& q, size_t i, cg::sim::SimAccount& a) {
  a.overage_permitted = q.overage_permitted;
  if (q.entitlement.empty() && q.remaining.empty()) {
    a.premium_unlimited = true;
    return;
  }
  a.premium_unlimited = false;
  if (!q.entitlement.empty()) a.premium_entitlement = nth_or_last(q.entitlement, i);
  a.premium_remaining = q.remaining.empty() ? a.premium_entitlement : nth_or_last(q.remaining, i);
}

// Returns false (after printing why) on a bad command line.
bool parse_args(int argc, char** argv, cg::sim::SimConfig& cfg, int& accounts, QuotaFlags& quota) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (i + 1 >= argc) {
      std::cerr << "copilot-sim: missing value for " << flag << "\n" << kUsage;
      return false;
    }
    const std::string_view value = argv[++i];
    int n = 0;
    const bool numeric = parse_int(value, n);
    if (flag == "--host") {
      cfg.host = value;
    } else if (flag == "--api-base-url") {
      cfg.api_base_url = value;
    } else if (flag == "--static-copilot-token") {
      cfg.static_copilot_token = value;
    } else if (flag == "--device-outcome") {
      cfg.device_outcome = value;
    } else if (flag == "--premium-entitlement" || flag == "--premium-remaining") {
      const bool ok = flag == "--premium-entitlement" ? parse_list(value, quota.entitlement)
                                                      : parse_list(value, quota.remaining);
      if (!ok) {
        std::cerr << "copilot-sim: " << flag << " takes numbers (0..1e9) separated by commas\n";
        return false;
      }
    } else if (!numeric) {
      std::cerr << "copilot-sim: bad or unknown flag " << flag << " " << value << "\n" << kUsage;
      return false;
    } else if (flag == "--port" && n >= 0 && n <= 65535) {
      cfg.port = static_cast<uint16_t>(n);
    } else if (flag == "--threads" && n >= 1) {
      cfg.threads = n;
    } else if (flag == "--token-lifetime") {
      cfg.token_lifetime_s = n;
    } else if (flag == "--refresh-in") {
      cfg.refresh_in_s = n;
    } else if (flag == "--accounts" && n >= 1) {
      accounts = n;
    } else if (flag == "--stream-chunks" && n >= 1) {
      cfg.default_stream_chunks = n;
    } else if (flag == "--device-interval" && n >= 0) {
      cfg.device_interval_s = n;
    } else if (flag == "--overage-permitted" && (n == 0 || n == 1)) {
      quota.overage_permitted = n == 1;
    } else {
      std::cerr << "copilot-sim: bad or unknown flag " << flag << " " << value << "\n" << kUsage;
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  cg::sim::SimConfig cfg;
  int accounts = 1;
  QuotaFlags quota;
  if (!parse_args(argc, argv, cfg, accounts, quota)) return 2;
  cfg.accounts.clear();
  for (int i = 1; i <= accounts; ++i) {
    cg::sim::SimAccount a;
    if (i > 1) {
      a.login = "sim-user-" + std::to_string(i);
      a.github_token = "ghu_sim_" + std::to_string(i);
    }
    apply_quota(quota, static_cast<size_t>(i - 1), a);
    cfg.accounts.push_back(a);
  }

  // Block the signals before the workers start so only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  cg::sim::Simulator sim(cfg);
  try {
    sim.start();
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  std::cout << "copilot-sim listening on " << sim.base_url() << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  sim.stop();
  return 0;
}
