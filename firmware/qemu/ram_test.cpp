// The core has no static data of its own (make qemu prints RAM 0): its RAM is the objects the
// ESP32 sketch creates, static or with new. Their sizes on a 32-bit target, printed for the record.
#include <doctest/doctest.h>

#include <cstdio>

#include "claim_code.h"
#include "improv.h"
#include "led_actuator.h"
#include "lock_app.h"
#include "unclaimed_app.h"
#include "update_agent.h"
#include "wifi_supervisor.h"

using namespace smartlock;

namespace {
size_t report(const char* what, size_t bytes) {
  std::printf("RAM: sizeof(%s) %u bytes\n", what, static_cast<unsigned>(bytes));
  return bytes;
}
}  // namespace

TEST_CASE("the sketch's core objects: their size on the target") {
  size_t total = 0;
  total += report("LockApp", sizeof(LockApp));
  total += report("LockConfig", sizeof(LockConfig));
  total += report("LockProvisioning", sizeof(LockProvisioning));
  total += report("WifiSettings", sizeof(WifiSettings));
  total += report("ImprovSession", sizeof(ImprovSession));
  total += report("StorageSettingsStore", sizeof(StorageSettingsStore));
  total += report("UpdateAgent", sizeof(UpdateAgent));
  total += report("UnclaimedApp", sizeof(UnclaimedApp));
  total += report("FactoryIdentity", sizeof(FactoryIdentity));
  total += report("WifiSupervisor", sizeof(WifiSupervisor));
  total += report("LedActuator", sizeof(LedActuator));
  std::printf("RAM: the core's objects together %u bytes (LockApp and UnclaimedApp are never both alive)\n",
              static_cast<unsigned>(total));
  CHECK(total > 0);
}
