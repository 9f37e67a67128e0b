// Tests for the device-flow rules (device_flow.h) and the copilot_internal/user parser.
#include "copilot/device_flow.h"

#include <gtest/gtest.h>

#include "copilot/copilot_user.h"

namespace cg::copilot {
namespace {

DeviceCode code(int64_t interval_s = 5, int64_t expires_in_s = 900) {
  DeviceCode c;
  c.device_code = "dc";
  c.user_code = "ABCD-1234";
  c.verification_uri = "https://github.com/login/device";
  c.interval_s = interval_s;
  c.expires_in_s = expires_in_s;
  return c;
}

PollAnswer answer(PollAnswer::Kind k, int64_t interval_s = 0) {
  PollAnswer a;
  a.kind = k;
  a.interval_s = interval_s;
  if (k == PollAnswer::kToken) a.access_token = "gho_x";
  if (k == PollAnswer::kDenied) a.message = "the login was denied on GitHub";
  return a;
}

TEST(DeviceFlow, ParsesTheDeviceCode) {
  auto c = parse_device_code(
      R"({"device_code":"3584d8","user_code":"WDJB-MJHT","verification_uri":"https://github.com/login/device","expires_in":899,"interval":5})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->device_code, "3584d8");
  EXPECT_EQ(c->user_code, "WDJB-MJHT");
  EXPECT_EQ(c->verification_uri, "https://github.com/login/device");
  EXPECT_EQ(c->expires_in_s, 899);
  EXPECT_EQ(c->interval_s, 5);
  // Defaults when GitHub leaves the timing out.
  auto d = parse_device_code(R"({"device_code":"a","user_code":"b","verification_uri":"c"})");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->interval_s, 5);
  EXPECT_EQ(d->expires_in_s, 900);
  EXPECT_FALSE(parse_device_code(R"({"user_code":"b"})").ok());
  EXPECT_FALSE(parse_device_code("not json").ok());
  auto e = parse_device_code(R"({"error":"unauthorized_client","error_description":"nope"})");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("unauthorized_client: nope"), std::string::npos);
}

TEST(DeviceFlow, RequestBodies) {
  EXPECT_EQ(device_code_request_body(kDeviceClientId, kDeviceScope),
            R"({"client_id":"Iv1.b507a08c87ecfe98","scope":"read:user"})");
  EXPECT_EQ(
      token_poll_request_body("id", "dc"),
      R"({"client_id":"id","device_code":"dc","grant_type":"urn:ietf:params:oauth:grant-type:device_code"})");
}

TEST(DeviceFlow, ParsesPollAnswers) {
  EXPECT_EQ(parse_poll_answer(200, R"({"access_token":"gho_1","token_type":"bearer"})").kind,
            PollAnswer::kToken);
  EXPECT_EQ(parse_poll_answer(200, R"({"access_token":"gho_1"})").access_token, "gho_1");
  EXPECT_EQ(parse_poll_answer(200, R"({"error":"authorization_pending"})").kind,
            PollAnswer::kPending);
  const PollAnswer slow = parse_poll_answer(200, R"({"error":"slow_down","interval":10})");
  EXPECT_EQ(slow.kind, PollAnswer::kSlowDown);
  EXPECT_EQ(slow.interval_s, 10);
  EXPECT_EQ(parse_poll_answer(200, R"({"error":"expired_token"})").kind, PollAnswer::kExpired);
  EXPECT_EQ(parse_poll_answer(200, R"({"error":"access_denied"})").kind, PollAnswer::kDenied);
  const PollAnswer other = parse_poll_answer(
      200, R"({"error":"device_flow_disabled","error_description":"Device flow is off"})");
  EXPECT_EQ(other.kind, PollAnswer::kError);
  EXPECT_EQ(other.message, "device_flow_disabled: Device flow is off");
  EXPECT_EQ(parse_poll_answer(502, "<html>").kind, PollAnswer::kError);
}

TEST(DeviceFlow, PendingKeepsTheIntervalAndSlowDownAddsFiveSecondsForGood) {
  DevicePoller p;
  PollStep s = p.start(code(5), 0);
  EXPECT_EQ(s.kind, PollStep::kWait);
  EXPECT_EQ(s.wait_ms, 5000);
  s = p.on_answer(answer(PollAnswer::kPending), 5000);
  EXPECT_EQ(s.wait_ms, 5000);
  s = p.on_answer(answer(PollAnswer::kSlowDown), 10000);
  EXPECT_EQ(s.wait_ms, 10000);
  s = p.on_answer(answer(PollAnswer::kPending), 20000);
  EXPECT_EQ(s.wait_ms, 10000);  // stays increased
  s = p.on_answer(answer(PollAnswer::kSlowDown), 30000);
  EXPECT_EQ(s.wait_ms, 15000);
  s = p.on_answer(answer(PollAnswer::kSlowDown, 60), 45000);
  EXPECT_EQ(s.wait_ms, 60000);  // GitHub's own, longer interval wins
  s = p.on_answer(answer(PollAnswer::kToken), 105000);
  EXPECT_EQ(s.kind, PollStep::kDone);
  EXPECT_EQ(s.access_token, "gho_x");
  EXPECT_EQ(p.polls(), 6);
}

TEST(DeviceFlow, ZeroIntervalIsOneSecond) {
  DevicePoller p;
  EXPECT_EQ(p.start(code(0), 0).wait_ms, 1000);
}

TEST(DeviceFlow, ExpiredCodeRestartsUntilTheLimit) {
  DevicePoller p(2);
  p.start(code(), 0);
  EXPECT_EQ(p.on_answer(answer(PollAnswer::kExpired), 5000).kind, PollStep::kRestart);
  p.start(code(), 6000);
  EXPECT_EQ(p.restarts(), 1);
  EXPECT_EQ(p.on_answer(answer(PollAnswer::kExpired), 11000).kind, PollStep::kRestart);
  p.start(code(), 12000);
  const PollStep s = p.on_answer(answer(PollAnswer::kExpired), 17000);
  EXPECT_EQ(s.kind, PollStep::kFail);
  EXPECT_NE(s.message.find("expired"), std::string::npos);
}

TEST(DeviceFlow, CodeLifetimeEndsPollingWithARestart) {
  DevicePoller p;
  p.start(code(5, 12), 0);  // expires at 12 s
  EXPECT_EQ(p.on_answer(answer(PollAnswer::kPending), 5000).kind, PollStep::kWait);  // next at 10
  EXPECT_EQ(p.on_answer(answer(PollAnswer::kPending), 10000).kind,
            PollStep::kRestart);  // 15 > 12
}

TEST(DeviceFlow, DeniedAndOtherErrorsFail) {
  DevicePoller p;
  p.start(code(), 0);
  PollStep s = p.on_answer(answer(PollAnswer::kDenied), 5000);
  EXPECT_EQ(s.kind, PollStep::kFail);
  EXPECT_EQ(s.message, "the login was denied on GitHub");
  p.start(code(), 0);
  PollAnswer e = answer(PollAnswer::kError);
  e.message = "incorrect_client_credentials";
  EXPECT_EQ(p.on_answer(e, 5000).kind, PollStep::kFail);
}

TEST(DeviceFlow, TransportErrorsAreRetriedAFewTimes) {
  DevicePoller p;
  p.start(code(), 0);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(p.on_transport_error("connection refused", 5000 * (i + 1)).kind, PollStep::kWait);
  const PollStep s = p.on_transport_error("connection refused", 25000);
  EXPECT_EQ(s.kind, PollStep::kFail);
  EXPECT_NE(s.message.find("connection refused"), std::string::npos);
  // An answer in between resets the count.
  p.start(code(), 0);
  for (int i = 0; i < 4; ++i)
    p.on_transport_error("x", 1000);
  p.on_answer(answer(PollAnswer::kPending), 2000);
  EXPECT_EQ(p.on_transport_error("x", 3000).kind, PollStep::kWait);
}

TEST(CopilotUser, ParsesPlanQuotaAndLogin) {
  auto u = parse_copilot_user(R"({
    "login":"octo","copilot_plan":"individual_pro","access_type_sku":"monthly_subscriber",
    "quota_reset_date":"2026-12-01","chat_enabled":true,
    "quota_snapshots":{
      "chat":{"entitlement":-1,"remaining":-1,"percent_remaining":100,"unlimited":true},
      "premium_interactions":{"entitlement":1500,"remaining":1234.5,"quota_remaining":1234.5,
        "percent_remaining":82.3,"unlimited":false,"overage_count":0,"overage_permitted":true}}})");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->login, "octo");
  EXPECT_EQ(u->plan, "individual_pro");
  EXPECT_EQ(u->sku, "monthly_subscriber");
  EXPECT_EQ(u->quota_reset_date, "2026-12-01");
  ASSERT_TRUE(u->premium.has_value());
  EXPECT_DOUBLE_EQ(u->premium->entitlement, 1500);
  EXPECT_DOUBLE_EQ(u->premium->remaining, 1234.5);
  EXPECT_FALSE(u->premium->unlimited);
  EXPECT_TRUE(u->premium->overage_permitted);
  ASSERT_TRUE(u->chat.has_value());
  EXPECT_TRUE(u->chat->unlimited);
}

TEST(CopilotUser, RemainingFromThePercentageWhenOnlyThatIsGiven) {
  auto u = parse_copilot_user(
      R"({"copilot_plan":"business","quota_snapshots":{"premium_models":{"entitlement":300,"percent_remaining":50}}})");
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(u->premium.has_value());
  EXPECT_DOUBLE_EQ(u->premium->remaining, 150);
  EXPECT_FALSE(parse_copilot_user("[]").ok());
  EXPECT_FALSE(parse_copilot_user("{}").ok());
}

}  // namespace
}  // namespace cg::copilot
