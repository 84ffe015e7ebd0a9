// A lock that speaks up to v3 (docs/protocol.md §13) on a fake clock, broker and storage, for the
// v3 tests: welcome it, send it v3 messages signed with the cmd key, read back what it published.
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "command_verifier.h"
#include "fakes.h"
#include "helpers.h"
#include "key_schedule.h"
#include "lock_app.h"

namespace v3rig {

constexpr int64_t kNow = 1795760000;
constexpr const char* kDev = "front-door";
constexpr const char* kStatusTopic = "test-prefix/front-door/status";
constexpr const char* kCmdTopic = "test-prefix/front-door/cmd";

// A v2 body as v3: v3 keeps v2's members and only changes "v" (§13).
inline std::string asV3(const std::string& v2Body) { return "{\"v\":3" + v2Body.substr(6); }

struct Published {
  std::string type;  // hello, status
  int version = 0;
  std::string payload;
  smartlock::StatusMessage status;
  smartlock::HelloMessage hello;
};

struct Rig {
  fakes::FakeMqtt mqtt;
  fakes::FakeClock clock;
  fakes::FakeStorage storage;
  fakes::FakeActuator actuator;
  fakes::FakeRandom random;
  fakes::FakeDoor door;
  fakes::FakeBolt bolt;
  smartlock::LockConfig cfg;
  smartlock::DeviceKey key = helpers::key();
  smartlock::V2Keys keys = smartlock::deriveV2Keys(helpers::key());
  std::unique_ptr<smartlock::LockApp> app;
  long long ctr = 0;

  explicit Rig(int maxVersion = smartlock::kProtocolV3) {
    clock.unix = kNow;
    actuator.bolt = &bolt;
    cfg.deviceId = kDev;
    cfg.prefix = "test-prefix";
    cfg.key = key;
    cfg.fw = "3.0.0";
    cfg.maxVersion = maxVersion;
    boot();
  }
  // A (re)boot with the same storage: what a power cut or kill -9 leaves behind.
  void boot() {
    app = std::make_unique<smartlock::LockApp>(
        cfg, smartlock::LockAppDeps{mqtt, clock, storage, actuator, random, nullptr, nullptr, &door, &bolt});
    REQUIRE(app->begin());
  }
  void run(uint32_t ms, uint32_t stepMs = 100) {
    for (uint32_t t = 0; t < ms; t += stepMs) {
      app->loop();
      clock.advance(stepMs);
    }
  }
  void welcome(long long ver = smartlock::kProtocolV3) {
    mqtt.deliver(kCmdTopic, helpers::sign(keys.cmd, helpers::welcomeBody(kDev, ver, kNow)));
  }
  // Connect, say hello, get welcomed into ver, and settle.
  void online(long long ver = smartlock::kProtocolV3) {
    run(200);
    welcome(ver);
    run(200);
    REQUIRE(app->protocolVersion() == ver);
  }
  void deliverSigned(const smartlock::DeviceKey& k, const std::string& body) { mqtt.deliver(kCmdTopic, helpers::sign(k, body)); }
  void commandV3(const std::string& id, const std::string& action) {
    deliverSigned(keys.cmd, asV3(helpers::cmdBodyV2(kDev, id, action, ++ctr, kNow)));
  }
  // Every message on the status topic, verified with the key and schema of its "v".
  std::vector<Published> published() {
    std::vector<Published> out;
    for (const auto& p : mqtt.on(kStatusTopic)) {
      Published s;
      s.payload = p.payload;
      const std::string b = helpers::unsignedOf(p.payload);
      if (p.payload.find("\"type\":\"hello\"") != std::string::npos) {
        s.type = "hello";
        s.version = 2;
        REQUIRE_FALSE(smartlock::verifyMessage(keys.status, p.payload.data(), p.payload.size(), kDev, smartlock::MessageType::Hello));
        REQUIRE_FALSE(smartlock::parseHello(b.data(), b.size(), kDev, s.hello));
      } else {
        s.type = "status";
        s.version = p.payload[5] - '0';  // {"v":N
        const smartlock::DeviceKey& k = s.version == 1 ? key : keys.status;
        REQUIRE_FALSE(smartlock::verifyMessage(k, p.payload.data(), p.payload.size(), kDev, smartlock::MessageType::Status, s.version));
        REQUIRE_FALSE(smartlock::parseStatus(b.data(), b.size(), kDev, s.status, s.version));
      }
      out.push_back(s);
    }
    return out;
  }
  std::vector<Published> statuses() {
    std::vector<Published> out;
    for (auto& s : published()) if (s.type == "status") out.push_back(s);
    return out;
  }
  // The ack ids and results the lock has published, in order.
  std::vector<std::string> acks() {
    std::vector<std::string> out;
    for (auto& s : statuses()) {
      if (s.status.ack) out.push_back(std::string(s.status.ack->id) + ":" + smartlock::nameOf(s.status.ack->result));
    }
    return out;
  }
};

}  // namespace v3rig
