#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "command_verifier.h"
#include "fakes.h"
#include "helpers.h"
#include "lock_app.h"
#include "printers.h"
#include "server_clock.h"

using namespace smartlock;
using namespace fakes;

namespace {
const int64_t kServerNow = 1795760000;
const int64_t kSntpSays = 1700000000;  // what an unauthenticated time source claims: never used

struct ClockRig {
  FakeClock base;
  ServerClock clock{base};
  DeviceKey key = helpers::key();
  ClockRig() {
    base.unix = kSntpSays;
    base.nowMs = 5000;
  }
  std::optional<RejectReason> apply(const std::string& payload, uint64_t boot = 3) {
    return clock.apply(key, "front-door", boot, payload.data(), payload.size());
  }
};
}  // namespace

TEST_CASE("server clock: no time until the server's signed time message, whatever SNTP says") {
  ClockRig r;
  CHECK_FALSE(r.clock.unixTime().has_value());
  CHECK_FALSE(r.clock.synced());
}

TEST_CASE("server clock: a time message answering a status just sent sets the clock, which then runs on") {
  ClockRig r;
  r.clock.statusSent(42);
  r.base.advance(400);
  CHECK_FALSE(r.apply(helpers::signedTime(r.key, "front-door", 3, 42, kServerNow)));
  CHECK(r.clock.unixTime() == kServerNow);
  r.base.advance(9500);
  CHECK(r.clock.unixTime() == kServerNow + 9);
}

TEST_CASE("server clock: keeps counting across the 49-day wrap of millis()") {
  ClockRig r;
  r.base.nowMs = 0xFFFFF000u;
  r.clock.statusSent(1);
  CHECK_FALSE(r.apply(helpers::signedTime(r.key, "front-door", 3, 1, kServerNow)));
  for (int i = 0; i < 1000; ++i) {  // the first step crosses the wrap; 9000 s in all
    r.base.advance(9000);
    REQUIRE(r.clock.unixTime().has_value());
  }
  CHECK(r.clock.unixTime() == kServerNow + 9000);
}

TEST_CASE("server clock: refuses a time message for another boot, for a status never sent, or answered before") {
  ClockRig r;
  r.clock.statusSent(7);
  r.clock.statusSent(8);
  CHECK(r.apply(helpers::signedTime(r.key, "front-door", 2, 7, kServerNow)) == RejectReason::Replay);  // old boot
  CHECK(r.apply(helpers::signedTime(r.key, "front-door", 3, 9, kServerNow)) == RejectReason::Replay);  // not sent
  CHECK_FALSE(r.apply(helpers::signedTime(r.key, "front-door", 3, 8, kServerNow)));
  // A recorded answer to seq 7 (or 8 again) cannot set the clock back later.
  CHECK(r.apply(helpers::signedTime(r.key, "front-door", 3, 7, kServerNow - 600)) == RejectReason::Replay);
  CHECK(r.apply(helpers::signedTime(r.key, "front-door", 3, 8, kServerNow - 600)) == RejectReason::Replay);
  CHECK(r.clock.unixTime() == kServerNow);
}

TEST_CASE("server clock: refuses an answer to a status sent more than 30 s ago") {
  ClockRig r;
  r.clock.statusSent(5);
  r.base.advance(kTimeAnswerWindowMs + 1);
  CHECK(r.apply(helpers::signedTime(r.key, "front-door", 3, 5, kServerNow)) == RejectReason::Stale);
  CHECK_FALSE(r.clock.synced());
}

TEST_CASE("server clock: refuses forged, misrouted, mistyped or extended time messages") {
  ClockRig r;
  r.clock.statusSent(5);
  const DeviceKey other = helpers::key("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
  CHECK(r.apply(helpers::signedTime(other, "front-door", 3, 5, kServerNow)) == RejectReason::BadSignature);
  CHECK(r.apply(helpers::signedTime(r.key, "back-door", 3, 5, kServerNow)) == RejectReason::WrongDevice);
  CHECK(r.apply(helpers::signedCmd(r.key, "front-door", "c-1", "UNLOCK", 7, kServerNow)) == RejectReason::WrongType);
  std::string extra = helpers::timeBody("front-door", 3, 5, kServerNow);
  extra.insert(extra.size() - 1, ",\"ctr\":1");
  CHECK(r.apply(helpers::sign(r.key, extra)) == RejectReason::Malformed);
  CHECK(r.apply(helpers::signedTime(r.key, "front-door", 3, 5, 0)) == RejectReason::Malformed);  // ts 0 is no time
  CHECK_FALSE(r.clock.synced());
}

namespace {
struct AppRig {
  FakeMqtt mqtt;
  FakeClock clock;
  FakeStorage storage;
  FakeActuator actuator;
  FakeRandom random;
  LockConfig cfg;
  std::unique_ptr<LockApp> app;
  AppRig() {
    clock.unix = kSntpSays;
    cfg.deviceId = "front-door";
    cfg.prefix = "test-prefix";
    cfg.key = helpers::key();
    cfg.maxVersion = 1;  // these are v1 tests: a v1-only lock (the v2-capable one is in lock_v2_test)
    LockSettings lockAtBoot;  // and one configured to lock at boot, the only v1 behaviour
    lockAtBoot.boot = BootMode::Lock;
    storeSettings(storage, lockAtBoot);
    app = std::make_unique<LockApp>(cfg, LockAppDeps{mqtt, clock, storage, actuator, random, nullptr, nullptr});
    REQUIRE(app->begin());
  }
  void run(uint32_t ms, uint32_t stepMs = 100) {
    for (uint32_t t = 0; t < ms; t += stepMs) {
      app->loop();
      clock.advance(stepMs);
    }
  }
  std::vector<StatusMessage> statuses() {
    std::vector<StatusMessage> out;
    for (const auto& p : mqtt.on("test-prefix/front-door/status")) {
      std::string b = p.payload.substr(0, p.payload.size() - kSigSuffixLen) + "}";
      StatusMessage s;
      REQUIRE_FALSE(parseStatus(b.data(), b.size(), "front-door", s));
      out.push_back(s);
    }
    return out;
  }
};
}  // namespace

TEST_CASE("lock: stamps ts 0 until the server's time arrives, then sends a status with it at once") {
  AppRig r;
  r.run(200);
  auto s = r.statuses();
  REQUIRE(s.size() == 1);
  CHECK(s[0].ts == 0);
  r.mqtt.deliver("test-prefix/front-door/cmd", helpers::signedTime(r.cfg.key, "front-door", s[0].boot, s[0].seq, kServerNow));
  r.run(200);
  CHECK(r.app->timeSynced());
  s = r.statuses();
  REQUIRE(s.size() == 2);  // at once, not at the next heartbeat
  CHECK(s[1].ts == kServerNow);
  CHECK(r.app->droppedMessages() == 0);
  CHECK(r.actuator.starts.size() == 1);  // only the boot move: a time message never moves the bolt
}

TEST_CASE("lock: once synced from the server, a command 10 minutes old is rejected stale even if SNTP agrees with it") {
  AppRig r;
  r.clock.unix = kServerNow - 600;  // an attacker's SNTP answer, matching the recorded command
  r.run(200);
  const auto first = r.statuses().at(0);
  r.mqtt.deliver("test-prefix/front-door/cmd", helpers::signedTime(r.cfg.key, "front-door", first.boot, first.seq, kServerNow));
  r.run(300);
  r.mqtt.deliver("test-prefix/front-door/cmd", helpers::signedCmd(r.cfg.key, "front-door", "c-old", "UNLOCK", 7, kServerNow - 600));
  r.run(300);
  const auto s = r.statuses();
  REQUIRE(s.back().ack.has_value());
  CHECK(std::string(s.back().ack->id) == "c-old");
  CHECK(std::string(s.back().ack->reason) == "stale");
  CHECK(r.app->controller().lastCounter() == 0);
}

TEST_CASE("lock: a replayed time message is dropped without an answer") {
  AppRig r;
  r.run(200);
  const auto first = r.statuses().at(0);
  const std::string time = helpers::signedTime(r.cfg.key, "front-door", first.boot, first.seq, kServerNow);
  r.mqtt.deliver("test-prefix/front-door/cmd", time);
  r.run(200);
  const size_t sent = r.statuses().size();
  r.mqtt.deliver("test-prefix/front-door/cmd", time);
  r.run(200);
  CHECK(r.app->droppedMessages() == 1);
  CHECK(r.statuses().size() == sent);
}
