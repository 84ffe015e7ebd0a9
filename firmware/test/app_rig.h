// The v1 lock application on fakes, shared by the LockApp test files.
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <vector>

#include "command_verifier.h"
#include "fakes.h"
#include "helpers.h"
#include "lock_app.h"

namespace rigs {
using namespace smartlock;
using namespace fakes;
const int64_t kNow = 1795760000;

struct AppRig {
  FakeMqtt mqtt;
  FakeClock clock;
  FakeStorage storage;
  FakeActuator actuator;
  FakeRandom random;
  LockConfig cfg;
  std::unique_ptr<LockApp> app;
  AppRig() {
    clock.unix = kNow;
    cfg.deviceId = "front-door";
    cfg.prefix = "test-prefix";
    cfg.key = helpers::key();
    cfg.maxVersion = 1;  // these are v1 tests: a v1-only lock (the v2-capable one is in lock_v2_test)
    LockSettings lockAtBoot;  // and one configured to lock at boot, the only v1 behaviour
    lockAtBoot.boot = BootMode::Lock;
    storeSettings(storage, lockAtBoot);
    cfg.fw = "1.0.0";
    app = std::make_unique<LockApp>(cfg, LockAppDeps{mqtt, clock, storage, actuator, random, nullptr, nullptr});
    REQUIRE(app->begin());
  }
  // Runs the loop with the fake clock moving in steps of stepMs.
  void run(uint32_t ms, uint32_t stepMs = 100) {
    for (uint32_t t = 0; t < ms; t += stepMs) {
      app->loop();
      clock.advance(stepMs);
    }
  }
  std::vector<StatusMessage> statuses() {
    std::vector<StatusMessage> out;
    for (const auto& p : mqtt.on("test-prefix/front-door/status")) {
      REQUIRE_FALSE(verifyMessage(cfg.key, p.payload.data(), p.payload.size(), "front-door", MessageType::Status));
      // Re-parse B to read the fields back.
      std::string b = p.payload.substr(0, p.payload.size() - kSigSuffixLen) + "}";
      StatusMessage s;
      REQUIRE_FALSE(parseStatus(b.data(), b.size(), "front-door", s));
      out.push_back(s);
    }
    return out;
  }
};
}  // namespace rigs
