// Power profiles and the flat-battery rule (power_policy.h; docs/protocol.md §13.4): the battery
// profile's longer heartbeat, announced as "hb" in v3 statuses only; light sleep in bounded slices
// that never pass a heartbeat and never happen while anything is in flight; and below the threshold
// no auto-relock, power LOW and the issue in status, until new batteries.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "codec.h"
#include "power_policy.h"
#include "v3_rig.h"

using namespace smartlock;
using namespace v3rig;

namespace {

struct FakeTelemetry : Telemetry {
  std::optional<uint8_t> percent = 80;
  std::optional<uint8_t> battery() override { return percent; }
};

struct PowerRig;

// Light sleep on the fake clock: the time passes, and the rig checks every sleep against its rules.
struct FakeSleeper : Sleeper {
  PowerRig* rig = nullptr;
  std::vector<uint32_t> sleeps;
  int whileBusy = 0;       // sleeps while the bolt moved or an ack waited
  int pastHeartbeat = 0;   // sleeps that would have ended after the next status was due
  void lightSleep(uint32_t ms) override;
};

struct PowerRig : Rig {
  FakeTelemetry telemetry;
  FakeSleeper sleeper;
  size_t seenStatuses = 0;
  uint32_t lastStatusMs = 0;

  explicit PowerRig(PowerConfig power) {
    sleeper.rig = this;
    cfg.power = power;
    app = std::make_unique<LockApp>(cfg, LockAppDeps{mqtt, clock, storage, actuator, random, &telemetry, nullptr, &door, &bolt,
                                                     nullptr, nullptr, &sleeper});
    REQUIRE(app->begin());
  }
  // Notes when the last status went out (each pass publishes before it dozes, at the same now).
  void noteStatuses() {
    const size_t n = mqtt.on(kStatusTopic).size();
    if (n != seenStatuses) {
      seenStatuses = n;
      lastStatusMs = clock.nowMs;
    }
  }
  void runNoting(uint32_t ms, uint32_t stepMs = 10) {
    const uint32_t end = clock.nowMs + ms;
    while (static_cast<int32_t>(end - clock.nowMs) > 0) {
      app->loop();
      noteStatuses();
      clock.advance(stepMs);
    }
  }
  void cfgRelock(long long relockS) {
    const long long next = ++ctr;
    deliverSigned(keys.cmd, asV3(helpers::cfgBody(kDev, "cfg-" + std::to_string(next), next, kNow, relockS, "STAY", "REFUSE")));
    run(300);
    REQUIRE(app->controller().settings().relockS == relockS);
  }
};

void FakeSleeper::lightSleep(uint32_t ms) {
  sleeps.push_back(ms);
  const LockController& c = rig->app->controller();
  if (c.moving() || c.hasAck()) ++whileBusy;
  rig->noteStatuses();
  if (rig->clock.nowMs + ms > rig->lastStatusMs + rig->app->power().heartbeatMs()) ++pastHeartbeat;
  rig->clock.advance(ms);
}

PowerConfig batteryProfile(uint16_t heartbeatS = 60) {
  PowerConfig p;
  p.profile = PowerProfile::Battery;
  p.batteryHeartbeatS = heartbeatS;
  return p;
}

}  // namespace

TEST_CASE("the mains profile beats every 9 s, announces no hb and never sleeps") {
  PowerRig r(PowerConfig{});
  r.online(3);
  const size_t before = r.statuses().size();
  r.run(45000);
  const auto all = r.statuses();
  CHECK(all.size() - before == 5);  // 45 s / 9 s
  for (const auto& s : all) CHECK_FALSE(s.status.hb.has_value());
  CHECK_FALSE(all.back().status.power.has_value());  // no power sensed: nothing reported, as before profiles
  CHECK(r.sleeper.sleeps.empty());
}

TEST_CASE("the battery profile beats every 60 s, with hb 60 and power BATTERY in v3 statuses only") {
  PowerRig r(batteryProfile(60));
  r.run(200);
  const auto v1 = r.statuses();
  REQUIRE_FALSE(v1.empty());
  CHECK(v1.back().version == 1);
  CHECK_FALSE(v1.back().status.hb.has_value());  // a v1 status has no hb: it would be malformed
  r.welcome();
  r.run(200);
  REQUIRE(r.app->protocolVersion() == 3);
  r.run(200000);  // longer in fact: the fake light sleep moves the clock too
  std::vector<int64_t> uptimes;
  for (const auto& s : r.statuses()) if (s.version == 3) uptimes.push_back(*s.status.uptime);
  REQUIRE(uptimes.size() >= 4);
  // Nothing between beats; uptime is in whole seconds and a beat goes out within one pass of being due.
  for (size_t i = 1; i < uptimes.size(); ++i) {
    CHECK(uptimes[i] - uptimes[i - 1] >= 60);
    CHECK(uptimes[i] - uptimes[i - 1] <= 61);
  }
  const auto all = r.statuses();
  CHECK(all.back().version == 3);
  CHECK(all.back().status.hb == std::optional<uint16_t>(60));
  CHECK(all.back().status.power == std::optional<Power>(Power::Battery));
}

TEST_CASE("a battery heartbeat outside 9..300 s is clamped, so hb always passes the server's bounds") {
  CHECK(PowerPolicy(batteryProfile(3), kHeartbeatMs).announcedHeartbeatS() == std::optional<uint16_t>(9));
  CHECK(PowerPolicy(batteryProfile(900), kHeartbeatMs).announcedHeartbeatS() == std::optional<uint16_t>(300));
  CHECK(PowerPolicy(batteryProfile(900), kHeartbeatMs).heartbeatMs() == 300000);
  CHECK(PowerPolicy(PowerConfig{}, kHeartbeatMs).heartbeatMs() == kHeartbeatMs);
}

TEST_CASE("on battery the lock light-sleeps in slices of at most 250 ms, never past its next heartbeat") {
  PowerRig r(batteryProfile(30));
  r.online(3);
  r.runNoting(95000);
  REQUIRE(r.sleeper.sleeps.size() > 100);
  uint64_t slept = 0;
  for (uint32_t ms : r.sleeper.sleeps) {
    CHECK(ms > 0);
    CHECK(ms <= 250);
    slept += ms;
  }
  CHECK(slept > 90000);  // nearly all of the idle time asleep
  CHECK(r.sleeper.pastHeartbeat == 0);
  CHECK(r.statuses().size() >= 4);  // and the heartbeats still went out on time
}

TEST_CASE("on battery the lock never sleeps while the bolt moves or an ack waits") {
  PowerRig r(batteryProfile(60));
  r.actuator.pollsPerMove = 20;
  r.online(3);
  r.runNoting(1000);
  const size_t before = r.sleeper.sleeps.size();
  r.mqtt.closeOnFailedPublish = false;
  r.mqtt.failPublishes = 1000;  // the ack's status cannot go out: it waits, queued
  r.commandV3("c-1", "UNLOCK");
  r.runNoting(3000);
  CHECK(r.app->controller().hasAck());
  CHECK(r.sleeper.whileBusy == 0);
  r.mqtt.failPublishes = 0;
  r.runNoting(3000);
  CHECK(r.acks() == std::vector<std::string>{"c-1:ok"});
  CHECK(r.sleeper.sleeps.size() > before);  // idle again: sleeping again
  CHECK(r.sleeper.whileBusy == 0);
}

TEST_CASE("a nearly flat battery stops auto-relock and says so in status, until new batteries") {
  PowerRig r(batteryProfile(60));
  r.online(3);
  r.cfgRelock(5);

  r.commandV3("c-1", "UNLOCK");
  r.run(7000);
  CHECK(r.bolt.position == LockStatus::Locked);  // relocked after 5 s: the rule is off at 80 %

  r.telemetry.percent = 15;  // at the threshold
  r.run(10100);               // the battery is read every 10 s
  CHECK(r.app->controller().lowBattery());
  auto last = r.statuses().back().status;
  CHECK(last.power == std::optional<Power>(Power::Low));
  CHECK(std::string(last.issue) == kIssueBatteryLow);

  r.commandV3("c-2", "UNLOCK");
  r.run(60000);
  CHECK(r.bolt.position == LockStatus::Unlocked);  // unlocks still run; nothing throws the bolt again
  CHECK(r.acks().back() == "c-2:ok");

  r.telemetry.percent = 18;  // between the thresholds: no flapping
  r.run(10100);
  CHECK(r.app->controller().lowBattery());

  r.telemetry.percent = 100;  // new batteries
  r.run(10100);
  CHECK_FALSE(r.app->controller().lowBattery());
  last = r.statuses().back().status;
  CHECK(last.power == std::optional<Power>(Power::Battery));
  CHECK(std::string(last.issue).empty());
  r.commandV3("c-3", "UNLOCK");
  r.run(7000);
  CHECK(r.bolt.position == LockStatus::Locked);  // auto-relock is back
}

TEST_CASE("hb is a v3 status member from 9 to 300: the codec writes and reads nothing else") {
  StatusReport rep;
  rep.version = kProtocolV3;
  rep.hb = 60;
  char buf[kMaxPayload + 1];
  const size_t len = buildStatus(kDev, rep, buf, sizeof buf);
  REQUIRE(len > 0);
  const std::string body(buf, len);
  CHECK(body.find(",\"hb\":60") != std::string::npos);
  StatusMessage m;
  CHECK_FALSE(parseStatus(body.data(), body.size(), kDev, m, kProtocolV3));
  CHECK(m.hb == std::optional<uint16_t>(60));

  rep.version = kProtocolV2;
  CHECK(buildStatus(kDev, rep, buf, sizeof buf) == 0);  // a v2 status has no hb
  rep.version = kProtocolV3;
  rep.hb = 8;
  CHECK(buildStatus(kDev, rep, buf, sizeof buf) == 0);
  rep.hb = 301;
  CHECK(buildStatus(kDev, rep, buf, sizeof buf) == 0);

  const std::string v2 = "{\"v\":2" + body.substr(6);
  CHECK(parseStatus(v2.data(), v2.size(), kDev, m, kProtocolV2) == std::optional<RejectReason>(RejectReason::Malformed));
  std::string low = body;
  low.replace(low.find("\"hb\":60"), 7, "\"hb\":8");
  CHECK(parseStatus(low.data(), low.size(), kDev, m, kProtocolV3) == std::optional<RejectReason>(RejectReason::Malformed));
}
