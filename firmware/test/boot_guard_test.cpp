// Boot-loop guard and watchdog: reboots simulated by building a new LockApp around the same storage.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "boot_guard.h"
#include "fakes.h"
#include "helpers.h"
#include "lock_app.h"

using namespace smartlock;
using namespace fakes;

namespace {

struct CountingWatchdog : Watchdog {
  int feeds = 0;
  void feed() override { ++feeds; }
};

// One "power on" of the lock: fresh RAM (app, clock, mqtt, actuator), the same storage.
struct Boot {
  FakeClock clock;
  FakeMqtt mqtt;
  FakeActuator actuator;
  FakeRandom random;
  NullLogger logger;
  CountingWatchdog watchdog;
  LockConfig cfg;
  std::unique_ptr<LockApp> app;
  explicit Boot(FakeStorage& storage, BootMode bootRule = BootMode::Stay) {
    clock.unix = 1795760000;
    cfg.deviceId = "front-door";
    cfg.prefix = "test-prefix";
    cfg.key = helpers::key();
    cfg.maxVersion = 1;
    LockSettings s;
    s.boot = bootRule;
    storeSettings(storage, s);
    LockAppDeps deps{mqtt, clock, storage, actuator, random, nullptr, &logger};
    deps.watchdog = &watchdog;
    app = std::make_unique<LockApp>(cfg, deps);
    REQUIRE(app->begin());
  }
  void run(uint32_t ms, uint32_t stepMs = 100) {
    for (uint32_t t = 0; t < ms; t += stepMs) {
      app->loop();
      clock.advance(stepMs);
    }
  }
};

std::string signedUnlock(int64_t ctr) {
  return helpers::signedCmd(helpers::key(), "front-door", "c-" + std::to_string(ctr), "UNLOCK", ctr, 1795760001);
}

}  // namespace

TEST_CASE("five resets in a row, each within 60 s of boot, put the lock in safe mode") {
  FakeStorage storage;
  const BootGuardConfig defaults;
  for (int i = 1; i < defaults.maxShortBoots; ++i) {
    Boot b(storage);
    b.run(defaults.windowMs - 1000);  // reset before the window ends
    CHECK_FALSE(b.app->safeMode());
  }
  Boot b(storage);
  CHECK(b.app->safeMode());
  CHECK(std::string(b.app->controller().issue()) == "safe mode: boot loop");
}

TEST_CASE("a boot that stays up 60 s clears the count: later resets start from one again") {
  FakeStorage storage;
  for (int i = 0; i < 3; ++i) Boot(storage).run(1000);
  {
    Boot b(storage);  // the fourth short boot in a row would be next to last, but this one stays up
    CHECK_FALSE(b.app->safeMode());
    b.run(61000);
  }
  for (int i = 0; i < 4; ++i) {
    Boot b(storage);
    CHECK_FALSE(b.app->safeMode());
    b.run(1000);
  }
  Boot fifth(storage);  // the fifth short boot since the long one
  CHECK(fifth.app->safeMode());
}

TEST_CASE("in safe mode the bolt never moves: no boot rule, a command is refused busy, MQTT and status go on") {
  FakeStorage storage;
  for (int i = 0; i < 4; ++i) Boot(storage, BootMode::Lock).run(1000);
  storage.values.erase("ctr");
  Boot b(storage, BootMode::Lock);  // its boot rule would lock
  REQUIRE(b.app->safeMode());
  b.run(500);
  CHECK(b.app->netState() == NetState::Online);
  b.mqtt.deliver("test-prefix/front-door/cmd", signedUnlock(1));
  b.run(2000);
  CHECK(b.actuator.starts.empty());
  CHECK(b.app->controller().rejectedCount(RejectReason::Busy) == 1);
  CHECK(b.app->controller().lastCounter() == 0);  // unconsumed: the server may retry after a normal boot
  const auto statuses = b.mqtt.on("test-prefix/front-door/status");
  REQUIRE_FALSE(statuses.empty());
  CHECK(statuses.back().payload.find("\"issue\":\"safe mode: boot loop\"") != std::string::npos);
  CHECK(statuses.back().payload.find("\"reason\":\"busy\"") != std::string::npos);
}

TEST_CASE("after a safe-mode boot that stayed up, the next boot is normal and moves the bolt again") {
  FakeStorage storage;
  for (int i = 0; i < 4; ++i) Boot(storage).run(1000);
  {
    Boot safe(storage);
    REQUIRE(safe.app->safeMode());
    safe.run(61000);
    CHECK(safe.app->safeMode());  // for the rest of this boot
  }
  Boot b(storage);
  CHECK_FALSE(b.app->safeMode());
  b.run(500);
  b.mqtt.deliver("test-prefix/front-door/cmd", signedUnlock(static_cast<int64_t>(b.app->controller().lastCounter()) + 1));
  b.run(500);
  CHECK(b.actuator.starts.size() == 1);
}

TEST_CASE("the guard counts in storage: a store that cannot be written never puts the lock in safe mode") {
  FakeStorage storage;
  storage.failWrites = true;
  BootGuardConfig cfg;
  for (int i = 0; i < 10; ++i) {
    BootGuard g(storage, cfg);
    CHECK_FALSE(g.begin());
  }
}

TEST_CASE("N and M are configurable") {
  FakeStorage storage;
  BootGuardConfig cfg;
  cfg.maxShortBoots = 2;
  cfg.windowMs = 5000;
  BootGuard first(storage, cfg);
  CHECK_FALSE(first.begin());
  first.poll(4999);
  CHECK(storage.values["bootrun"] == 1);
  BootGuard second(storage, cfg);
  CHECK(second.begin());
  second.poll(5000);
  CHECK(storage.values["bootrun"] == 0);
}

TEST_CASE("the watchdog is fed at every loop pass, online or not") {
  FakeStorage storage;
  Boot b(storage);
  b.mqtt.acceptConnect = false;  // offline the whole time
  b.run(1000);
  CHECK(b.watchdog.feeds == 10);
  b.mqtt.acceptConnect = true;
  b.run(1000);
  CHECK(b.watchdog.feeds == 20);
}
