// Serving from a pool of several simulator accounts: distribution per strategy (weighted
// round-robin, least-busy, quota-aware pacing by allowance per day), 402 and 429 handling with
// cooldown and recovery, failover before the first byte and none after it, token revocation and
// unusable accounts, conversation affinity, pinning, concurrency caps and the wait queue, and
// premium charged once with no in-flight leaks. Which account served a request is read from the
// simulator's per-account counters. Test thread only.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>
#include <map>
#include <thread>

#include "harness.h"

namespace cg::test {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

const std::vector<std::string> kAB = {"a", "b"};
const std::vector<std::string> kABC = {"a", "b", "c"};
constexpr const char* kFree = "gpt-4.1";   // billing multiplier 0
constexpr const char* kPremium = "gpt-5";  // billing multiplier 1

// Completions each account's simulator side admitted (faulted answers included, 402s not).
using Counts = std::map<std::string, uint64_t>;

Counts completions(const Env& env, const std::vector<std::string>& logins) {
  Counts c;
  for (const std::string& l : logins)
    c[l] = env.sim->stats(l).completions;
  return c;
}

Counts grown(const Counts& after, const Counts& before) {
  Counts d;
  for (const auto& [login, n] : after)
    d[login] = n - before.at(login);
  return d;
}

// The one account that admitted exactly one more completion since `before`; empty otherwise.
std::string served_by(const Env& env, const Counts& before) {
  std::string who;
  for (const auto& [login, n] : before) {
    const uint64_t more = env.sim->stats(login).completions - n;
    if (more == 0) continue;
    if (more != 1 || !who.empty()) return {};
    who = login;
  }
  return who;
}

// A prompt no other request of this process sends: without a session header a chat request's
// affinity comes from its first message, so distribution tests need a new one each time.
std::string fresh(std::string_view text) {
  static int n = 0;
  return std::string(text) + " #" + std::to_string(++n);
}

// "YYYY-MM-DD", `days` days from now (UTC).
std::string date_in_days(int days) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

sim::SimAccount quota_account(std::string login, double remaining, int reset_in_days,
                              int entitlement = 100) {
  sim::SimAccount a = sim_account(std::move(login));
  a.premium_entitlement = entitlement;
  a.premium_remaining = remaining;
  a.quota_reset_date = date_in_days(reset_in_days);
  return a;
}

pool::AccountStatus status_of(Env& env, std::string_view alias) {
  for (const pool::AccountStatus& s : env.gw->pool().status())
    if (s.alias == alias) return s;
  ADD_FAILURE() << "no account " << alias;
  return {};
}

// The start-up quota poll has reached every account.
bool quotas_known(Env& env) {
  for (const pool::AccountStatus& s : env.gw->pool().status())
    if (!s.quota_known) return false;
  return true;
}

uint32_t in_flight_total(Env& env) {
  uint32_t n = 0;
  for (const pool::AccountStatus& s : env.gw->pool().status())
    n += s.in_flight;
  return n;
}

// error.code of an OpenAI-shaped error body ("" when there is none).
std::string error_code(const Response& r) {
  json::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("error")) return {};
  const json::value* code = v.as_object().at("error").as_object().if_contains("code");
  return code != nullptr && code->is_string() ? std::string(code->as_string()) : std::string();
}

Response post(Env& env, const std::string& body, Headers headers,
              std::string path = "/v1/chat/completions") {
  return request(env.port(), http::verb::post, std::move(path), body, std::move(headers));
}

Response chat(Env& env, std::string_view model, bool stream = false) {
  return post_chat(env.port(), chat_body(model, fresh("hi"), stream));
}

// A request after which the pool is back to `in_flight` requests: an attempt is reported to the
// pool just after its answer went out, so a client's next request could still see it in flight
// (which least-busy and the pending premium units take into account).
Response chat_settled(Env& env, std::string_view model, uint32_t in_flight = 0) {
  Response r = chat(env, model);
  EXPECT_TRUE(eventually([&] { return in_flight_total(env) == in_flight; }));
  return r;
}

void no_failover_backoff(Config& c) {
  c.pool.failover_backoff = milliseconds(0);
}

// A stream of `chunks` events `delay_ms` apart (simulator directive in the prompt).
std::string slow_stream_body(int chunks, int delay_ms) {
  return chat_body(kFree,
                   fresh("[[sim:chunks=" + std::to_string(chunks) +
                         ",chunk_delay_ms=" + std::to_string(delay_ms) + "]] slow"),
                   true);
}

std::string read_to_end(StreamClient& s) {
  while (s.read_some()) {
  }
  return s.received();
}

// ---- Distribution per strategy

TEST(Pool, RoundRobinSpreadsEvenly) {
  auto env = start_pool_env({sim_account("a"), sim_account("b"), sim_account("c")},
                            [](Config& c) { c.pool.strategy = "round-robin"; });
  for (int i = 0; i < 30; ++i)
    ASSERT_EQ(post_chat(env->port(), chat_body("gpt-4.1", "hi " + std::to_string(i))).status, 200);
  for (const char* login : {"a", "b", "c"})
    EXPECT_EQ(env->sim->stats(login).completions, 10u) << login;
}

TEST(Pool, RoundRobinHonoursWeights) {
  auto env = start_pool_env(
      {sim_account("a"), sim_account("b"), sim_account("c")},
      [](Config& c) { c.pool.strategy = "round-robin"; },
      [](std::vector<accounts::ServedAccount>& s) { s[0].pool.weight = 2; });
  for (int i = 0; i < 40; ++i)
    ASSERT_EQ(chat(*env, kFree).status, 200);
  const Counts n = completions(*env, kABC);
  EXPECT_EQ(n.at("a"), 20u);
  EXPECT_EQ(n.at("b"), 10u);
  EXPECT_EQ(n.at("c"), 10u);
}

TEST(Pool, LeastBusySendsNewRequestsAwayFromAccountsHoldingStreams) {
  auto env = start_pool_env({sim_account("a"), sim_account("b"), sim_account("c")},
                            [](Config& c) { c.pool.strategy = "least-busy"; });
  const Counts before = completions(*env, kABC);
  StreamClient s1(env->port(), slow_stream_body(4, 150));
  StreamClient s2(env->port(), slow_stream_body(4, 150));
  ASSERT_EQ(s1.status(), 200);
  ASSERT_EQ(s2.status(), 200);
  const Counts busy = grown(completions(*env, kABC), before);
  std::string idle;
  for (const auto& [login, n] : busy) {
    EXPECT_LE(n, 1u) << "both streams on " << login;
    if (n == 0) idle = login;
  }
  ASSERT_FALSE(idle.empty());

  const Counts during = completions(*env, kABC);
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(chat_settled(*env, kFree, 2).status, 200);
  const Counts d = grown(completions(*env, kABC), during);
  for (const auto& [login, n] : d)
    EXPECT_EQ(n, login == idle ? 9u : 0u) << login << " (idle: " << idle << ")";

  EXPECT_NE(read_to_end(s1).find("[DONE]"), std::string::npos);
  EXPECT_NE(read_to_end(s2).find("[DONE]"), std::string::npos);
  EXPECT_TRUE(eventually([&] { return in_flight_total(*env) == 0; }));
}

TEST(Pool, QuotaAwareSendsPremiumToMostAllowancePerDayAndSpreadsFreeModels) {
  // Allowance per day until the reset: a 30 over <= 2 days (>= 15/day) beats b 150 over ~25 days
  // (~6/day) and c 100 over ~25 days, although a has the least left.
  auto env = start_pool_env({quota_account("a", 30, 2, 300), quota_account("b", 150, 25, 300),
                             quota_account("c", 100, 25, 300)});
  ASSERT_TRUE(eventually([&] { return quotas_known(*env); }));
  EXPECT_NEAR(status_of(*env, "a").premium_remaining, 30, 0.01);
  EXPECT_NEAR(status_of(*env, "b").premium_remaining, 150, 0.01);

  Counts before = completions(*env, kABC);
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(chat(*env, kPremium).status, 200);
  Counts d = grown(completions(*env, kABC), before);
  EXPECT_EQ(d.at("a"), 10u);
  EXPECT_EQ(d.at("b"), 0u);
  EXPECT_EQ(d.at("c"), 0u);
  EXPECT_DOUBLE_EQ(env->sim->stats("a").premium_used, 10);
  ASSERT_TRUE(eventually([&] { return in_flight_total(*env) == 0; }));
  // The answers' quota headers keep the gateway's estimate on the simulator's count.
  EXPECT_NEAR(status_of(*env, "a").premium_remaining, 20, 0.05);

  // Free models do not spend allowance: spread over every account.
  before = completions(*env, kABC);
  for (int i = 0; i < 30; ++i)
    ASSERT_EQ(chat_settled(*env, kFree).status, 200);
  d = grown(completions(*env, kABC), before);
  for (const auto& [login, n] : d) {
    EXPECT_GE(n, 9u) << login;
    EXPECT_LE(n, 11u) << login;
  }
}

// ---- Pacing and premium exhaustion

TEST(Pool, QuotaAwarePacesAccountsByRemainingAllowance) {
  // Same reset date: the account with more left takes premium requests until both are level,
  // then they alternate; 40 requests = 20 + 10 on a, 10 on b.
  auto env = start_pool_env({quota_account("a", 60, 10), quota_account("b", 40, 10)});
  ASSERT_TRUE(eventually([&] { return quotas_known(*env); }));
  for (int i = 0; i < 40; ++i)
    ASSERT_EQ(chat_settled(*env, kPremium).status, 200);
  const double used_a = env->sim->stats("a").premium_used;
  const double used_b = env->sim->stats("b").premium_used;
  EXPECT_NEAR(used_a, 30, 2);
  EXPECT_NEAR(used_b, 10, 2);
  EXPECT_NEAR(env->sim->stats("a").premium_remaining, env->sim->stats("b").premium_remaining, 1);
  // The last attempt reports to the pool just after its answer went out.
  ASSERT_TRUE(eventually([&] { return in_flight_total(*env) == 0; }));
  EXPECT_NEAR(status_of(*env, "a").premium_remaining, env->sim->stats("a").premium_remaining, 0.05);
  EXPECT_NEAR(status_of(*env, "b").premium_remaining, env->sim->stats("b").premium_remaining, 0.05);
}

TEST(Pool, AccountOutOfPremiumGetsNoPremiumRequestsButStillServesFreeModels) {
  // c starts with nothing left (known from the start-up poll); a runs out behind the gateway's
  // back and answers 402 once.
  auto env = start_pool_env(
      {quota_account("a", 50, 10), quota_account("b", 50, 10), quota_account("c", 0, 10)},
      no_failover_backoff);
  ASSERT_TRUE(eventually([&] { return quotas_known(*env); }));
  ASSERT_TRUE(env->sim->set_quota("a", sim::QuotaUpdate{.remaining = 0.0}));

  for (int i = 0; i < 8; ++i)
    ASSERT_EQ(chat(*env, kPremium).status, 200) << i;
  EXPECT_EQ(env->sim->stats("a").quota_rejections, 1u);  // 402 once, then left out
  EXPECT_EQ(env->sim->stats("a").completions, 0u);
  EXPECT_EQ(env->sim->stats("b").completions, 8u);
  EXPECT_EQ(env->sim->stats("c").completions, 0u);
  EXPECT_EQ(env->sim->stats("c").quota_rejections, 0u);  // never even tried
  EXPECT_GT(status_of(*env, "a").premium_blocked_until, accounts::now_ms());

  const Counts before = completions(*env, kABC);
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(chat_settled(*env, kFree).status, 200);
  for (const auto& [login, n] : grown(completions(*env, kABC), before))
    EXPECT_GE(n, 2u) << login;
}

TEST(Pool, PremiumExhaustedEverywhereIsRefusedWhileFreeModelsWork) {
  auto env =
      start_pool_env({quota_account("a", 5, 10), quota_account("b", 5, 10)}, no_failover_backoff);
  ASSERT_TRUE(eventually([&] { return quotas_known(*env); }));
  for (const std::string& l : kAB)
    ASSERT_TRUE(env->sim->set_quota(l, sim::QuotaUpdate{.remaining = 0.0}));

  // Both accounts answer 402: the last one's answer reaches the client.
  const Response first = chat(*env, kPremium);
  EXPECT_EQ(first.status, 402) << first.body;
  EXPECT_EQ(error_code(first), "quota_exceeded");
  EXPECT_EQ(env->sim->stats("a").quota_rejections, 1u);
  EXPECT_EQ(env->sim->stats("b").quota_rejections, 1u);

  // Now the gateway knows: refused without an upstream call, retry-after = until the reset.
  const Response again = chat(*env, kPremium);
  EXPECT_EQ(again.status, 429) << again.body;
  EXPECT_EQ(error_code(again), "premium_quota_exhausted");
  EXPECT_GT(std::atol(again.header("retry-after").c_str()), 3600) << again.header("retry-after");
  EXPECT_EQ(env->sim->stats("a").quota_rejections + env->sim->stats("b").quota_rejections, 2u);

  const Response free_model = chat(*env, kFree);
  EXPECT_EQ(free_model.status, 200) << free_model.body;
}

// ---- Cooldown, failover, exhaustion

TEST(Pool, RateLimitedAccountCoolsDownAndThenServesAgain) {
  auto env = start_pool_env({sim_account("a"), sim_account("b"), sim_account("c")}, [](Config& c) {
    c.pool.strategy = "round-robin";
    no_failover_backoff(c);
  });
  env->sim->set_fault("b", sim::Fault{.status = 429, .retry_after_s = 1});
  Counts before = completions(*env, kABC);
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(chat(*env, kFree).status, 200) << i;  // b's 429 is failed over, unseen
  Counts d = grown(completions(*env, kABC), before);
  EXPECT_EQ(d.at("b"), 1u);  // the one 429, then nothing during the cooldown
  EXPECT_EQ(d.at("a") + d.at("c"), 9u);
  EXPECT_EQ(status_of(*env, "b").health, pool::HealthStatus::kCoolingDown);

  env->sim->set_fault("b", {});
  std::this_thread::sleep_for(milliseconds(1100));
  before = completions(*env, kABC);
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(chat(*env, kFree).status, 200);
  d = grown(completions(*env, kABC), before);
  EXPECT_GE(d.at("b"), 2u);
  EXPECT_EQ(status_of(*env, "b").health, pool::HealthStatus::kOk);
}

TEST(Pool, CircuitBreakerOpensAfterFailuresInARowAndAProbeClosesIt) {
  auto env = start_pool_env({sim_account("a"), sim_account("b")}, [](Config& c) {
    c.pool.strategy = "round-robin";
    c.pool.breaker_failures = 2;
    c.pool.breaker_open = milliseconds(400);
    no_failover_backoff(c);
  });
  env->sim->set_fault("a", sim::Fault{.status = 500});
  Counts before = completions(*env, kAB);
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(chat(*env, kFree).status, 200) << i;  // a's 500s are failed over, unseen
  Counts d = grown(completions(*env, kAB), before);
  EXPECT_EQ(d.at("a"), 2u);  // two failures in a row, then the breaker keeps a out
  EXPECT_EQ(d.at("b"), 10u);
  EXPECT_EQ(status_of(*env, "a").health, pool::HealthStatus::kCircuitOpen);

  // Still failing when the probe goes through: open again, for longer (doubled).
  std::this_thread::sleep_for(milliseconds(450));
  before = completions(*env, kAB);
  for (int i = 0; i < 6; ++i)
    ASSERT_EQ(chat(*env, kFree).status, 200) << i;
  d = grown(completions(*env, kAB), before);
  EXPECT_EQ(d.at("a"), 1u);  // the single probe
  EXPECT_EQ(status_of(*env, "a").health, pool::HealthStatus::kCircuitOpen);

  // Healthy again: after the (doubled) open time the probe succeeds and a is back in rotation.
  env->sim->set_fault("a", {});
  std::this_thread::sleep_for(milliseconds(850));
  before = completions(*env, kAB);
  for (int i = 0; i < 8; ++i)
    ASSERT_EQ(chat_settled(*env, kFree).status, 200) << i;
  d = grown(completions(*env, kAB), before);
  EXPECT_GE(d.at("a"), 3u);
  EXPECT_EQ(status_of(*env, "a").health, pool::HealthStatus::kOk);
}

struct FirstByteFault {
  const char* name;
  sim::Fault fault;
  // For a stream the simulator sends the 200 head before it closes the connection: that is past
  // the first byte (see StreamBrokenAfterTheFirstByte...).
  bool before_stream_head = true;
};

TEST(Pool, FailsOverBeforeTheFirstByteStreamingOrNot) {
  const FirstByteFault faults[] = {
      {"500", sim::Fault{.status = 500}},
      {"503", sim::Fault{.status = 503}},
      {"first byte after the timeout", sim::Fault{.first_byte_delay_ms = 700}},
      {"connection closed before answering", sim::Fault{.drop_after_chunks = 0}, false},
  };
  for (const FirstByteFault& f : faults) {
    SCOPED_TRACE(f.name);
    // b is in the preferred tier, so every request tries it first.
    auto env = start_pool_env(
        {sim_account("a"), sim_account("b")},
        [](Config& c) {
          no_failover_backoff(c);
          c.upstream.first_byte_timeout = milliseconds(300);
        },
        [](std::vector<accounts::ServedAccount>& s) { s[0].pool.tier = 1; });
    env->sim->set_fault("b", f.fault);

    const Response plain = chat(*env, kFree);
    EXPECT_EQ(plain.status, 200) << plain.body;
    EXPECT_NE(plain.body.find("\"choices\""), std::string::npos);
    uint64_t requests = 1;
    if (f.before_stream_head) {
      const Response streamed = chat(*env, kFree, true);
      ++requests;
      EXPECT_EQ(streamed.status, 200) << streamed.body;
      const std::vector<std::string> events = sse_data(streamed.body);
      ASSERT_FALSE(events.empty());
      EXPECT_EQ(events.back(), "[DONE]");
      EXPECT_EQ(streamed.body.find("\"error\""), std::string::npos);
    }
    EXPECT_EQ(env->sim->stats("a").completions, requests);
    EXPECT_GE(env->sim->stats("b").completions, requests);  // tried each time
    EXPECT_TRUE(eventually([&] { return in_flight_total(*env) == 0; }));
  }
}

TEST(Pool, StreamBrokenAfterTheFirstByteEndsWithAnErrorAndIsNotRetried) {
  auto env =
      start_pool_env({quota_account("a", 50, 10), quota_account("b", 50, 10)}, no_failover_backoff);
  ASSERT_TRUE(eventually([&] { return quotas_known(*env); }));
  const Counts before = completions(*env, kAB);
  const Response r = post_chat(
      env->port(), chat_body(kPremium, fresh("[[sim:chunks=10,drop_after=3]] break"), true));
  EXPECT_EQ(r.status, 200);
  const std::vector<std::string> events = sse_data(r.body);
  ASSERT_FALSE(events.empty()) << r.body;
  const json::value last = json::parse(events.back());
  ASSERT_TRUE(last.is_object() && last.as_object().contains("error")) << r.body;
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);

  const Counts d = grown(completions(*env, kAB), before);
  EXPECT_EQ(d.at("a") + d.at("b"), 1u);  // not retried on the other account
  EXPECT_TRUE(eventually([&] { return in_flight_total(*env) == 0; }));
  // The broken attempt was billed; the gateway's estimate follows the simulator's.
  for (const std::string& l : kAB)
    EXPECT_NEAR(status_of(*env, l).premium_remaining, env->sim->stats(l).premium_remaining, 0.05)
        << l;
}

TEST(Pool, EveryAccountRateLimitedAnswers429WithRetryAfter) {
  auto env =
      start_pool_env({sim_account("a"), sim_account("b"), sim_account("c")}, no_failover_backoff);
  for (const std::string& l : kABC)
    env->sim->set_fault(l, sim::Fault{.status = 429, .retry_after_s = 2});

  // Each account tried once; the last one's 429 and retry-after reach the client.
  const Response first = chat(*env, kFree);
  EXPECT_EQ(first.status, 429) << first.body;
  EXPECT_EQ(first.header("retry-after"), "2");
  for (const std::string& l : kABC)
    EXPECT_EQ(env->sim->stats(l).completions, 1u) << l;

  // Every account cooling down: the gateway answers itself, retry-after = the soonest recovery.
  const Response cooling = chat(*env, kFree);
  EXPECT_EQ(cooling.status, 429) << cooling.body;
  EXPECT_EQ(error_code(cooling), "accounts_cooling_down");
  const long retry = std::atol(cooling.header("retry-after").c_str());
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 2);
  for (const std::string& l : kABC)
    EXPECT_EQ(env->sim->stats(l).completions, 1u) << l;
}

TEST(Pool, AnthropicMessagesFailOverAndAnswerRateLimitsInTheirOwnShape) {
  auto env = start_pool_env({sim_account("a"), sim_account("b")}, no_failover_backoff,
                            [](std::vector<accounts::ServedAccount>& s) { s[0].pool.tier = 1; });
  const Headers anthropic = {{"anthropic-version", "2023-06-01"}};
  auto message = [&](bool stream) {
    return post(*env,
                R"({"model":"claude-sonnet-4.5","max_tokens":256,)" +
                    std::string(stream ? R"("stream":true,)" : "") +
                    R"("messages":[{"role":"user","content":")" + fresh("hi") + R"("}]})",
                anthropic, "/v1/messages");
  };
  env->sim->set_fault("b", sim::Fault{.status = 503});
  const Response plain = message(false);
  EXPECT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(json::parse(plain.body).at("type").as_string(), "message");
  const Response streamed = message(true);
  EXPECT_EQ(streamed.status, 200) << streamed.body;
  EXPECT_NE(streamed.body.find("event: message_stop"), std::string::npos);
  EXPECT_EQ(env->sim->stats("a").by_endpoint.at("/v1/messages"), 2u);
  EXPECT_EQ(env->sim->stats("b").by_endpoint.at("/v1/messages"), 2u);

  for (const std::string& l : kAB)
    env->sim->set_fault(l, sim::Fault{.status = 429, .retry_after_s = 1});
  const Response limited = message(false);
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.header("retry-after"), "1");
  const Response cooling = message(false);
  EXPECT_EQ(cooling.status, 429) << cooling.body;
  EXPECT_FALSE(cooling.header("retry-after").empty());
  for (const Response* r : {&limited, &cooling}) {
    const json::value v = json::parse(r->body);
    EXPECT_EQ(v.at("type").as_string(), "error") << r->body;
    EXPECT_EQ(v.at("error").at("type").as_string(), "rate_limit_error") << r->body;
  }
}

// ---- Tokens

TEST(Pool, RevokedCopilotTokensAreRefreshedOnceAndTheRequestSucceeds) {
  auto env = start_pool_env({sim_account("a"), sim_account("b")},
                            [](Config& c) { c.pool.strategy = "round-robin"; });
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(chat(*env, kFree).status, 200);
  std::map<std::string, uint64_t> exchanges;
  for (const std::string& l : kAB) {
    exchanges[l] = env->sim->stats(l).token_exchanges;
    env->sim->revoke_tokens(l);
  }
  for (int i = 0; i < 6; ++i)
    ASSERT_EQ(chat(*env, kFree).status, 200) << i;
  for (const std::string& l : kAB) {
    SCOPED_TRACE(l);
    EXPECT_EQ(env->sim->stats(l).token_exchanges, exchanges[l] + 1);
    EXPECT_GE(env->sim->stats(l).unauthorized, 1u);
    EXPECT_EQ(status_of(*env, l).health, pool::HealthStatus::kOk);
  }
}

TEST(Pool, AccountWhoseGitHubTokenIsRejectedTurnsUnhealthyAndIsLeftOut) {
  auto env = start_pool_env(
      {sim_account("a"), sim_account("b"), sim_account("c")},
      [](Config& c) {
        c.pool.strategy = "round-robin";
        no_failover_backoff(c);
        c.auth.retry_max = milliseconds(60'000);  // no background re-exchange during the test
      },
      [](std::vector<accounts::ServedAccount>& s) {
        s[1].credentials.github_token = "ghu_unknown_to_github";
      });
  // Round-robin reaches b within three requests: its token exchange is refused (401), the
  // request goes on to another account, and b is marked unhealthy (bad credentials do not fix
  // themselves), not counted as a transient failure.
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(chat(*env, kFree).status, 200) << i;
  const pool::AccountStatus b = status_of(*env, "b");
  EXPECT_EQ(b.health, pool::HealthStatus::kUnhealthy) << pool::describe_health(b);
  EXPECT_GT(b.until, accounts::now_ms() + 60'000);  // re-probed minutes later

  // Left out until then: no more exchanges with the refused token.
  const uint64_t failed_exchanges = env->gw->account(1).tokens->exchanges_failed();
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(chat(*env, kFree).status, 200) << i;
  EXPECT_EQ(env->gw->account(1).tokens->exchanges_failed(), failed_exchanges);
  EXPECT_EQ(env->sim->stats("a").completions + env->sim->stats("c").completions, 12u);
  EXPECT_EQ(env->sim->stats("b").token_exchanges, 0u);
}

TEST(Pool, CopilotTokenRefusedAfterItsRefreshTurnsTheAccountUnhealthy) {
  auto env = start_pool_env({sim_account("a"), sim_account("b")}, no_failover_backoff,
                            [](std::vector<accounts::ServedAccount>& s) { s[0].pool.tier = 1; });
  ASSERT_EQ(chat(*env, kFree).status, 200);  // on b, the preferred tier
  const uint64_t exchanges = env->sim->stats("b").token_exchanges;
  env->sim->set_fault("b", sim::Fault{.revoke_token = true});  // every token of b answers 401

  // 401, one refresh, 401 again: b is unhealthy and the request is served by a.
  const Response r = chat(*env, kFree);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(env->sim->stats("b").token_exchanges, exchanges + 1);
  EXPECT_EQ(env->sim->stats("b").unauthorized, 2u);
  EXPECT_EQ(env->sim->stats("a").completions, 1u);
  EXPECT_EQ(status_of(*env, "b").health, pool::HealthStatus::kUnhealthy);

  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(chat(*env, kFree).status, 200);
  EXPECT_EQ(env->sim->stats("b").unauthorized, 2u);  // not tried again
  EXPECT_EQ(env->sim->stats("a").completions, 4u);
}

// ---- Affinity

// Under round-robin, which would rotate: `turn(i)` sends turn i of one conversation, with a
// request of another conversation between turns. Returns the account of each turn.
std::vector<std::string> turns_of_one_conversation(Env& env, int n,
                                                   const std::function<Response(int)>& turn) {
  std::vector<std::string> homes;
  for (int i = 0; i < n; ++i) {
    const Counts before = completions(env, kABC);
    const Response r = turn(i);
    EXPECT_EQ(r.status, 200) << r.body;
    homes.push_back(served_by(env, before));
    EXPECT_EQ(chat(env, kFree).status, 200);
  }
  return homes;
}

void expect_all_on(const std::vector<std::string>& homes, const std::string& account) {
  for (size_t i = 0; i < homes.size(); ++i)
    EXPECT_EQ(homes[i], account) << "turn " << i;
}

TEST(Pool, SessionHeaderKeepsTheConversationOnOneAccountUntilItFails) {
  auto env = start_pool_env({sim_account("a"), sim_account("b"), sim_account("c")}, [](Config& c) {
    c.pool.strategy = "round-robin";
    no_failover_backoff(c);
  });
  auto turn = [&](int) {
    return post(*env, chat_body(kFree, fresh("turn")), {{"x-claude-code-session-id", "session-1"}});
  };
  const std::vector<std::string> homes = turns_of_one_conversation(*env, 5, turn);
  const std::string home = homes.front();
  ASSERT_FALSE(home.empty());
  expect_all_on(homes, home);

  // The home account fails: the conversation moves, and stays moved once the home is well.
  env->sim->set_fault(home, sim::Fault{.status = 500});
  const Counts before = completions(*env, kABC);
  ASSERT_EQ(turn(0).status, 200);
  std::string moved;
  for (const auto& [login, n] : grown(completions(*env, kABC), before))
    if (login != home && n > 0) moved = login;
  ASSERT_FALSE(moved.empty());
  env->sim->set_fault(home, {});
  expect_all_on(turns_of_one_conversation(*env, 4, turn), moved);
}

TEST(Pool, PromptCacheKeyKeepsAResponsesConversationOnOneAccount) {
  auto env = start_pool_env({sim_account("a"), sim_account("b"), sim_account("c")},
                            [](Config& c) { c.pool.strategy = "round-robin"; });
  const std::vector<std::string> homes = turns_of_one_conversation(*env, 5, [&](int) {
    return post(*env,
                R"({"model":"gpt-4.1","prompt_cache_key":"conversation-7","input":")" +
                    fresh("turn") + "\"}",
                {}, "/v1/responses");
  });
  ASSERT_FALSE(homes.front().empty());
  expect_all_on(homes, homes.front());
}

TEST(Pool, SameConversationStartKeepsAChatOnOneAccount) {
  auto env = start_pool_env({sim_account("a"), sim_account("b"), sim_account("c")},
                            [](Config& c) { c.pool.strategy = "round-robin"; });
  // The system prompt and first user message stay; later turns grow the conversation.
  const std::vector<std::string> homes = turns_of_one_conversation(*env, 5, [&](int i) {
    std::string messages = R"([{"role":"system","content":"Be brief."},)"
                           R"({"role":"user","content":"Plan a trip to Lyon."})";
    for (int k = 0; k < i; ++k) {
      messages += R"(,{"role":"assistant","content":"Step )" + std::to_string(k) + "\"}";
      messages += R"(,{"role":"user","content":"And then )" + std::to_string(k) + "?\"}";
    }
    return post_chat(env->port(), R"({"model":"gpt-4.1","messages":)" + messages + "]}");
  });
  ASSERT_FALSE(homes.front().empty());
  expect_all_on(homes, homes.front());
}

// ---- Pinning

TEST(Pool, PinnedRequestsGoToTheNamedAccountOnly) {
  auto env = start_pool_env({sim_account("a"), sim_account("b"), sim_account("c")},
                            [](Config& c) { c.pool.strategy = "round-robin"; });
  for (int i = 0; i < 6; ++i)
    ASSERT_EQ(post(*env, chat_body(kFree, fresh("pinned")), {{"x-copilot-account", "b"}}).status,
              200);
  EXPECT_EQ(env->sim->stats("b").completions, 6u);
  EXPECT_EQ(env->sim->stats("a").completions + env->sim->stats("c").completions, 0u);

  const Response unknown =
      post(*env, chat_body(kFree, fresh("pinned")), {{"x-copilot-account", "nobody"}});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(error_code(unknown), "unknown_account");
  EXPECT_EQ(json::parse(unknown.body).at("error").at("type").as_string(), "invalid_request_error");
}

TEST(Pool, PinningRefusedWhenDisabled) {
  auto env = start_pool_env({sim_account("a"), sim_account("b")},
                            [](Config& c) { c.pool.allow_pinning = false; });
  const Response r = post(*env, chat_body(kFree, fresh("pinned")), {{"x-copilot-account", "a"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(error_code(r), "pinning_not_allowed");
  EXPECT_EQ(env->sim->stats("a").completions + env->sim->stats("b").completions, 0u);
}

TEST(Pool, PinningAllowedOnlyToListedApiKeys) {
  constexpr const char* kPinKey = "pin-key-0123456789";
  auto env = start_pool_env({sim_account("a"), sim_account("b")}, [&](Config& c) {
    c.auth.api_keys.push_back(kPinKey);
    c.pool.pin_api_keys = {kPinKey};
  });
  const Response refused =
      post(*env, chat_body(kFree, fresh("pinned")), {{"x-copilot-account", "a"}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(error_code(refused), "pinning_not_allowed");
  // Unpinned requests with the same key are served.
  EXPECT_EQ(chat(*env, kFree).status, 200);

  for (int i = 0; i < 3; ++i) {
    const Response pinned = request(
        env->port(), http::verb::post, "/v1/chat/completions", chat_body(kFree, fresh("pinned")),
        {{"authorization", std::string("Bearer ") + kPinKey}, {"x-copilot-account", "b"}}, false);
    EXPECT_EQ(pinned.status, 200) << pinned.body;
  }
  EXPECT_GE(env->sim->stats("b").completions, 3u);
}

TEST(Pool, PinnedAccountCoolingDownIs429WithoutFallingBack) {
  auto env = start_pool_env({sim_account("a"), sim_account("b")}, no_failover_backoff);
  env->sim->set_fault("b", sim::Fault{.status = 429, .retry_after_s = 1});
  const Headers pin = {{"x-copilot-account", "b"}};

  const Response first = post(*env, chat_body(kFree, fresh("pinned")), pin);
  EXPECT_EQ(first.status, 429) << first.body;
  EXPECT_EQ(first.header("retry-after"), "1");
  const Response cooling = post(*env, chat_body(kFree, fresh("pinned")), pin);
  EXPECT_EQ(cooling.status, 429) << cooling.body;
  EXPECT_EQ(error_code(cooling), "accounts_cooling_down");
  EXPECT_EQ(cooling.header("retry-after"), "1");
  EXPECT_EQ(env->sim->stats("a").completions, 0u);  // no fallback
  EXPECT_EQ(env->sim->stats("b").completions, 1u);
}

// ---- Concurrency caps and the wait queue

void cap_each_at_one(std::vector<accounts::ServedAccount>& served) {
  for (accounts::ServedAccount& s : served)
    s.pool.max_concurrent = 1;
}

TEST(Pool, RequestWaitsForAFreeSlotWhenEveryAccountIsBusy) {
  auto env = start_pool_env({sim_account("a"), sim_account("b")}, {}, cap_each_at_one);
  StreamClient s1(env->port(), slow_stream_body(4, 150));
  StreamClient s2(env->port(), slow_stream_body(4, 150));
  ASSERT_EQ(s1.status(), 200);
  ASSERT_EQ(s2.status(), 200);
  EXPECT_EQ(status_of(*env, "a").in_flight, 1u);
  EXPECT_EQ(status_of(*env, "b").in_flight, 1u);

  Response third;
  const auto start = Clock::now();
  std::thread waiter([&] { third = chat(*env, kFree); });
  EXPECT_TRUE(eventually([&] { return env->gw->pool().waiting() == 1; }));
  const std::string body1 = read_to_end(s1), body2 = read_to_end(s2);
  waiter.join();
  EXPECT_EQ(third.status, 200) << third.body;
  EXPECT_GE(Clock::now() - start, milliseconds(250));  // it waited for a stream to end
  EXPECT_NE(body1.find("[DONE]"), std::string::npos);
  EXPECT_NE(body2.find("[DONE]"), std::string::npos);
  EXPECT_EQ(env->gw->pool().waiting(), 0u);
  EXPECT_TRUE(eventually([&] { return in_flight_total(*env) == 0; }));
}

TEST(Pool, QueueTimeoutAnswers429AccountsBusy) {
  auto env = start_pool_env(
      {sim_account("a")}, [](Config& c) { c.pool.queue_timeout = milliseconds(200); },
      cap_each_at_one);
  StreamClient holder(env->port(), slow_stream_body(4, 150));
  ASSERT_EQ(holder.status(), 200);
  const auto start = Clock::now();
  const Response r = chat(*env, kFree);
  EXPECT_GE(Clock::now() - start, milliseconds(180));  // waited for its queue time
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(error_code(r), "accounts_busy");
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_EQ(status_of(*env, "a").in_flight, 1u);  // gave up while the slot was still held
  EXPECT_EQ(env->gw->pool().waiting(), 0u);
  EXPECT_NE(read_to_end(holder).find("[DONE]"), std::string::npos);
  EXPECT_EQ(env->sim->stats("a").completions, 1u);
}

TEST(Pool, FullQueueAnswers429AtOnce) {
  auto env = start_pool_env(
      {sim_account("a")},
      [](Config& c) {
        c.pool.queue_max = 0;
        c.pool.queue_timeout = milliseconds(5000);
      },
      cap_each_at_one);
  StreamClient holder(env->port(), slow_stream_body(4, 150));
  ASSERT_EQ(holder.status(), 200);
  const auto start = Clock::now();
  const Response r = chat(*env, kFree);
  EXPECT_LT(Clock::now() - start, milliseconds(400));
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(error_code(r), "accounts_busy");
  EXPECT_FALSE(r.header("retry-after").empty());
  EXPECT_EQ(status_of(*env, "a").in_flight, 1u);  // refused while the slot was held
  EXPECT_EQ(env->gw->pool().waiting(), 0u);
  EXPECT_NE(read_to_end(holder).find("[DONE]"), std::string::npos);
  EXPECT_EQ(env->sim->stats("a").completions, 1u);
}

// Sends a request on its own connection and closes it once `left` says so, without reading.
void send_and_leave(uint16_t port, const std::string& body, const std::function<bool()>& left) {
  net::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{http::verb::post, "/v1/chat/completions", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::authorization, std::string("Bearer ") + kApiKey);
  req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  http::write(s, req);
  EXPECT_TRUE(eventually(left));
  s.close();
}

// A request waiting in the queue whose client left gives its place up (within the queue's
// re-check period) and is never sent upstream for nobody.
TEST(Pool, QueuedRequestOfAClientThatLeftIsDropped) {
  auto env = start_pool_env({sim_account("a")}, {}, cap_each_at_one);
  StreamClient holder(env->port(), slow_stream_body(3, 150));
  ASSERT_EQ(holder.status(), 200);
  send_and_leave(env->port(), chat_body(kFree, fresh("leaving")),
                 [&] { return env->gw->pool().waiting() == 1; });
  EXPECT_TRUE(eventually([&] { return env->gw->pool().waiting() == 0; }, milliseconds(300)));
  EXPECT_NE(read_to_end(holder).find("[DONE]"), std::string::npos);
  EXPECT_TRUE(eventually([&] { return in_flight_total(*env) == 0; }));
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(env->sim->stats("a").completions, 1u);  // only the holder's
}

// ---- Charging and in-flight accounting

TEST(Pool, FailedOverPremiumRequestIsChargedOnce) {
  // Quota-aware tries a (most left), then c, then b; a and c answer 429.
  auto env = start_pool_env(
      {quota_account("a", 80, 10), quota_account("b", 50, 10), quota_account("c", 70, 10)},
      no_failover_backoff);
  ASSERT_TRUE(eventually([&] { return quotas_known(*env); }));
  env->sim->set_fault("a", sim::Fault{.status = 429, .retry_after_s = 1});
  env->sim->set_fault("c", sim::Fault{.status = 429, .retry_after_s = 1});

  const Response r = chat(*env, kPremium);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(env->sim->stats("a").completions, 1u);
  EXPECT_EQ(env->sim->stats("c").completions, 1u);
  EXPECT_EQ(env->sim->stats("b").completions, 1u);
  EXPECT_DOUBLE_EQ(env->sim->stats("a").premium_used + env->sim->stats("b").premium_used +
                       env->sim->stats("c").premium_used,
                   1);
  EXPECT_DOUBLE_EQ(env->sim->stats("b").premium_used, 1);

  ASSERT_TRUE(eventually([&] { return in_flight_total(*env) == 0; }));
  EXPECT_NEAR(status_of(*env, "a").premium_remaining, 80, 0.01);
  EXPECT_NEAR(status_of(*env, "b").premium_remaining, 49, 0.05);
  EXPECT_NEAR(status_of(*env, "c").premium_remaining, 70, 0.01);
  for (const std::string& l : kABC)
    EXPECT_EQ(status_of(*env, l).premium_pending, 0) << l;
}

TEST(Pool, ClientLeavingMidStreamFreesTheAccount) {
  auto env = start_pool_env({quota_account("a", 50, 10), quota_account("b", 50, 10)});
  ASSERT_TRUE(eventually([&] { return quotas_known(*env); }));
  {
    StreamClient s(env->port(),
                   chat_body(kPremium, fresh("[[sim:chunks=20,chunk_delay_ms=100]] leave"), true));
    ASSERT_EQ(s.status(), 200);
    ASSERT_TRUE(s.read_some());
    EXPECT_EQ(in_flight_total(*env), 1u);
    s.close();
  }
  EXPECT_TRUE(eventually([&] { return in_flight_total(*env) == 0; }, milliseconds(2000)));
  EXPECT_TRUE(eventually(
      [&] {
        return env->sim->stats("a").cancelled_streams + env->sim->stats("b").cancelled_streams == 1;
      },
      milliseconds(3000)));
  for (const std::string& l : kAB) {
    EXPECT_EQ(status_of(*env, l).premium_pending, 0) << l;
    EXPECT_NEAR(status_of(*env, l).premium_remaining, env->sim->stats(l).premium_remaining, 0.05)
        << l;
  }
  EXPECT_EQ(chat(*env, kFree).status, 200);
}

}  // namespace
}  // namespace cg::test
