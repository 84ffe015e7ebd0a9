#include <doctest/doctest.h>

#include <memory>

#include "app_rig.h"
#include "printers.h"

using namespace smartlock;
using namespace fakes;

using rigs::AppRig;
using rigs::kNow;

TEST_CASE("on connect the lock announces itself online, retained, and subscribes to its cmd at QoS 1") {
  AppRig r;
  r.run(200);
  CHECK(r.app->netState() == NetState::Online);
  CHECK(std::string(r.mqtt.lastOptions.username) == "front-door");
  CHECK(r.mqtt.password == "f18eea59ad5d25ff8c26d1ac53866e7c1f0171db53731aed818aaaee26029705");
  CHECK(r.mqtt.willTopic == "test-prefix/front-door/availability");
  CHECK(r.mqtt.willPayload == "offline");
  CHECK(r.mqtt.lastOptions.willRetain);
  CHECK(r.mqtt.lastOptions.willQos == 1);
  CHECK(r.mqtt.lastOptions.keepAliveS <= 15);
  const auto avail = r.mqtt.on("test-prefix/front-door/availability");
  REQUIRE(avail.size() == 1);
  CHECK(avail[0].payload == "online");
  CHECK(avail[0].retain);
  CHECK(avail[0].qos == 1);
  REQUIRE(r.mqtt.subscriptions.size() == 1);
  CHECK(r.mqtt.subscriptions[0] == std::make_pair(std::string("test-prefix/front-door/cmd"), uint8_t{1}));
}

TEST_CASE("a signed status goes out at once and then every 9 s, seq +1 each") {
  AppRig r;
  r.run(200);
  CHECK(r.statuses().size() == 1);
  r.run(8700);  // t = 8.9 s: nothing new yet
  CHECK(r.statuses().size() == 1);
  r.run(300);
  CHECK(r.statuses().size() == 2);
  r.run(9000 * 3);
  const auto s = r.statuses();
  REQUIRE(s.size() == 5);
  for (size_t i = 0; i < s.size(); ++i) {
    CHECK(s[i].seq == static_cast<int64_t>(i + 1));
    CHECK(s[i].boot == 1);
    CHECK(s[i].status == LockStatus::Locked);
    CHECK(s[i].ts == 0);  // no time from the server yet: the platform clock (SNTP) is not trusted
    CHECK(s[i].hasIssue);
    CHECK(std::string(s[i].fw) == "1.0.0");
  }
}

TEST_CASE("a command is executed and answered by a status with the new state and ack ok") {
  AppRig r;
  r.run(500);
  r.mqtt.deliver("test-prefix/front-door/cmd", helpers::signedCmd(r.cfg.key, "front-door", "c-1", "UNLOCK", 7, r.clock.unixTime().value()));
  r.run(300);
  const auto s = r.statuses();
  REQUIRE(s.size() == 2);
  CHECK(s[1].status == LockStatus::Unlocked);
  CHECK(s[1].ctr == 7);
  REQUIRE(s[1].ack.has_value());
  CHECK(std::string(s[1].ack->id) == "c-1");
  CHECK(s[1].ack->result == AckResult::Ok);
  CHECK(r.mqtt.on("test-prefix/front-door/status")[1].qos == 1);  // acks are not fire-and-forget
}

TEST_CASE("messages on other topics or over the size limit are dropped") {
  AppRig r;
  r.run(200);
  r.mqtt.deliver("test-prefix/back-door/cmd", helpers::signedCmd(r.cfg.key, "back-door", "c-1", "UNLOCK", 7, kNow));
  r.mqtt.deliver("test-prefix/front-door/cmd", std::string(kMaxPayload + 1, '{'));
  r.run(200);
  CHECK(r.app->droppedMessages() == 2);
  CHECK(r.actuator.starts.size() == 1);
}

TEST_CASE("losing the broker reconnects with backoff and never touches the bolt") {
  AppRig r;
  r.random.value = UINT32_MAX;  // delays at their ceiling: 1 s, 2 s, 4 s...
  r.run(200);
  const size_t moves = r.actuator.starts.size();
  r.mqtt.brokerAnswers = false;
  r.mqtt.acceptConnect = false;
  r.mqtt.drop();
  r.run(100);
  CHECK(r.app->netState() == NetState::WaitingToConnect);
  const int before = r.mqtt.connects;
  r.run(1000 + 2000 + 4000 + 200);  // three more attempts fit, a fourth would need 8 s more
  CHECK(r.mqtt.connects - before == 3);
  r.run(60000);
  CHECK(r.actuator.starts.size() == moves);
  r.mqtt.acceptConnect = true;
  r.mqtt.brokerAnswers = true;
  r.run(61000);
  CHECK(r.app->netState() == NetState::Online);
  CHECK(r.mqtt.on("test-prefix/front-door/availability").size() == 2);
  CHECK(r.actuator.starts.size() == moves);
}

TEST_CASE("a connect attempt the broker never answers times out and is retried") {
  AppRig r;
  r.mqtt.brokerAnswers = false;
  r.run(r.cfg.connectTimeoutMs + 500);
  CHECK(r.app->netState() == NetState::WaitingToConnect);
  r.mqtt.brokerAnswers = true;
  r.run(3000);
  CHECK(r.app->netState() == NetState::Online);
}

TEST_CASE("shutdown publishes a retained offline before disconnecting") {
  AppRig r;
  r.run(200);
  r.app->shutdown();
  const auto avail = r.mqtt.on("test-prefix/front-door/availability");
  REQUIRE(avail.size() == 2);
  CHECK(avail[1].payload == "offline");
  CHECK(avail[1].retain);
  CHECK_FALSE(r.mqtt.isConnected);
}

TEST_CASE("an invalid configuration keeps the lock offline instead of half-working") {
  FakeMqtt mqtt;
  FakeClock clock;
  FakeStorage storage;
  FakeActuator actuator;
  FakeRandom random;
  LockConfig cfg;
  cfg.deviceId = "bad/id";
  LockApp app(cfg, LockAppDeps{mqtt, clock, storage, actuator, random, nullptr, nullptr});
  CHECK_FALSE(app.begin());
  app.loop();
  CHECK(mqtt.connects == 0);
  CHECK(actuator.starts.empty());
}
