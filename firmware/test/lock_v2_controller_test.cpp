// The door and the bolt on a fake clock: boot rules, transitional states, the source of every
// change, refusing to lock an open door, auto-relock, and cfg (issue 10 items 3 and 4).
#include <doctest/doctest.h>

#include <memory>

#include "fakes.h"
#include "helpers.h"
#include "key_schedule.h"
#include "lock_controller.h"
#include "lock_settings.h"
#include "printers.h"

using namespace smartlock;
using namespace fakes;

namespace {
const DeviceKey kKey = helpers::key();
const DeviceKey kCmdKey = derivePurposeKey(helpers::key(), KeyPurpose::Cmd);
const int64_t kNow = 1795760000;

struct Rig {
  FakeStorage storage;
  FakeActuator actuator;
  FakeClock clock;
  FakeDoor doorSensor;
  FakeBolt boltSensor;
  bool withDoor = true, withBolt = true;
  std::unique_ptr<LockController> lock;
  long long ctr = 0;

  Rig() { clock.unix = kNow; }
  void boot(int version = 2) {
    actuator = FakeActuator{};
    actuator.bolt = &boltSensor;
    lock = std::make_unique<LockController>(
        LockControllerDeps{storage, actuator, clock, nullptr, withDoor ? &doorSensor : nullptr, withBolt ? &boltSensor : nullptr},
        kKey, "front-door");
    lock->begin();
    lock->setVersion(version);
  }
  void poll() { lock->poll(); }
  void settle() {
    for (int i = 0; i < 5; ++i) lock->poll();
  }
  // Moves the fake clock in 100 ms steps, polling like the loop does.
  void run(uint32_t ms) {
    for (uint32_t t = 0; t < ms; t += 100) {
      clock.advance(100);
      lock->poll();
    }
  }
  void command(const std::string& id, const std::string& action) {
    const std::string body = lock->version() == 2 ? helpers::cmdBodyV2("front-door", id, action, ++ctr, kNow)
                                                  : helpers::cmdBody("front-door", id, action, ++ctr, kNow);
    const std::string p = helpers::sign(lock->version() == 2 ? kCmdKey : kKey, body);
    lock->handleCommand(p.data(), p.size());
  }
  void cfg(const std::string& id, long long relock, const std::string& boot, const std::string& lockOpen,
           long long useCtr = -1) {
    const std::string p =
        helpers::sign(kCmdKey, helpers::cfgBody("front-door", id, useCtr < 0 ? ++ctr : useCtr, kNow, relock, boot, lockOpen));
    lock->handleCfg(p.data(), p.size());
  }
  std::string ack() {
    const auto a = lock->popAck();
    if (!a) return "none";
    return std::string(a->id) + ":" + nameOf(a->result) + (a->reason[0] ? std::string(":") + a->reason : "");
  }
};
}  // namespace

TEST_CASE("by default a lock does not move at boot: it senses and reports, src BOOT") {
  Rig r;
  r.boltSensor.position = LockStatus::Unlocked;
  r.doorSensor.state = DoorState::Open;
  r.boot();
  r.settle();
  CHECK(r.actuator.starts.empty());
  CHECK(r.lock->status() == LockStatus::Unlocked);
  CHECK(r.lock->reportedStatus(2) == LockStatus::Unlocked);
  CHECK(r.lock->door() == DoorState::Open);
  CHECK(r.lock->source() == BoltSource::Boot);
  CHECK(r.lock->settings().boot == BootMode::Stay);
  CHECK(r.lock->settings().lockOpen == LockOpenPolicy::Refuse);
  CHECK(r.lock->settings().relockS == 0);
}

TEST_CASE("without sensors a STAY boot reports the bolt and the door UNKNOWN, and never moves") {
  Rig r;
  r.withDoor = r.withBolt = false;
  r.boot();
  r.run(5000);
  CHECK(r.actuator.starts.empty());
  CHECK(r.lock->status() == LockStatus::Unknown);
  CHECK(r.lock->door() == DoorState::Unknown);
}

TEST_CASE("cfg boot LOCK: locks at boot with src BOOT, LOCKING meanwhile, but not an open door nor a locked bolt") {
  Rig r;
  LockSettings s;
  s.boot = BootMode::Lock;
  storeSettings(r.storage, s);
  r.boltSensor.position = LockStatus::Unlocked;
  r.actuator.pollsPerMove = 2;
  r.boot();
  REQUIRE(r.actuator.starts.size() == 1);
  CHECK(r.lock->status() == LockStatus::Unknown);            // v1, as before
  CHECK(r.lock->reportedStatus(2) == LockStatus::Locking);  // v2 says what it does
  CHECK(r.lock->source() == BoltSource::Boot);
  r.settle();
  CHECK(r.lock->status() == LockStatus::Locked);
  CHECK(r.lock->hasAck() == false);

  r.boot();  // already locked: nothing to do
  CHECK(r.actuator.starts.empty());
  CHECK(r.lock->status() == LockStatus::Locked);

  r.boltSensor.position = LockStatus::Unlocked;
  r.doorSensor.state = DoorState::Open;
  r.boot();  // the bolt must not be thrown into an open door
  CHECK(r.actuator.starts.empty());
  CHECK(r.lock->status() == LockStatus::Unlocked);

  s.lockOpen = LockOpenPolicy::Allow;
  storeSettings(r.storage, s);
  r.boot();
  CHECK(r.actuator.starts.size() == 1);
}

TEST_CASE("a remote move reports UNLOCKING with src REMOTE and its cid, and v1 still sees the settled state") {
  Rig r;
  r.boot();
  r.actuator.pollsPerMove = 3;
  r.command("c-1", "UNLOCK");
  r.poll();
  CHECK(r.lock->status() == LockStatus::Locked);
  CHECK(r.lock->reportedStatus(1) == LockStatus::Locked);
  CHECK(r.lock->reportedStatus(2) == LockStatus::Unlocking);
  CHECK(r.lock->source() == BoltSource::Remote);
  CHECK(std::string(r.lock->sourceCid()) == "c-1");
  CHECK(r.lock->takeV2Change());
  CHECK_FALSE(r.lock->takeV2Change());  // once
  r.settle();
  CHECK(r.lock->reportedStatus(2) == LockStatus::Unlocked);
  CHECK(r.ack() == "c-1:ok");
}

TEST_CASE("LOCK while the door is open is refused with door_open without consuming its counter; ALLOW or no sensor lock") {
  Rig r;
  r.boltSensor.position = LockStatus::Unlocked;
  r.doorSensor.state = DoorState::Open;
  r.boot();
  r.command("c-1", "LOCK");
  CHECK(r.actuator.starts.empty());
  CHECK(r.ack() == "c-1:rejected:door_open");
  CHECK(r.storage.values.count("ctr") == 0);  // like busy: the server may retry once the door is closed
  CHECK(r.lock->rejectedCount(RejectReason::DoorOpen) == 1);
  r.command("c-2", "UNLOCK");  // unlocking an open door is fine
  r.settle();
  CHECK(r.ack() == "c-2:ok");
  r.cfg("g-1", 0, "STAY", "ALLOW");
  CHECK(r.ack() == "g-1:ok");
  r.command("c-3", "LOCK");
  r.settle();
  CHECK(r.ack() == "c-3:ok");
  CHECK(r.lock->status() == LockStatus::Locked);

  Rig noSensor;
  noSensor.withDoor = false;
  noSensor.boltSensor.position = LockStatus::Unlocked;
  noSensor.boot(1);  // and in a v1 session the same rule holds, with the same reason
  noSensor.command("c-1", "LOCK");
  noSensor.settle();
  CHECK(noSensor.ack() == "c-1:ok");
}

TEST_CASE("the door rule also holds in a v1 session: a v1 LOCK into an open door is rejected door_open") {
  Rig r;
  r.boltSensor.position = LockStatus::Unlocked;
  r.doorSensor.state = DoorState::Open;
  r.boot(1);
  r.command("c-1", "LOCK");
  CHECK(r.ack() == "c-1:rejected:door_open");
}

TEST_CASE("a bolt turned by hand is reported at once with src MANUAL; our own moves and a jam are not") {
  Rig r;
  r.boot();
  r.boltSensor.position = LockStatus::Unlocked;
  CHECK(r.lock->poll());  // settled state changed: a status is due in any version
  CHECK(r.lock->status() == LockStatus::Unlocked);
  CHECK(r.lock->source() == BoltSource::Manual);
  CHECK(std::string(r.lock->sourceCid()).empty());
  r.command("c-1", "LOCK");
  r.settle();
  CHECK(r.lock->source() == BoltSource::Remote);
  r.actuator.next = MoveState::Jammed;  // the bolt stays where it was: not a hand
  r.command("c-2", "UNLOCK");
  r.settle();
  CHECK(r.lock->status() == LockStatus::Jammed);
  CHECK(r.lock->source() == BoltSource::Remote);
  CHECK(std::string(r.lock->sourceCid()) == "c-2");
  r.boltSensor.position = LockStatus::Unlocked;  // somebody frees it by hand
  r.poll();
  CHECK(r.lock->status() == LockStatus::Unlocked);
  CHECK(r.lock->source() == BoltSource::Manual);
}

TEST_CASE("auto-relock: N s after an unlock with the door closed, src AUTO") {
  Rig r;
  r.boot();
  r.cfg("g-1", 5, "STAY", "REFUSE");
  CHECK(r.ack() == "g-1:ok");
  r.command("c-1", "UNLOCK");
  r.settle();
  r.ack();
  r.run(4800);
  CHECK(r.lock->status() == LockStatus::Unlocked);
  r.run(400);
  REQUIRE(r.actuator.starts.size() == 2);
  CHECK(r.actuator.starts.back() == Action::Lock);
  CHECK(r.lock->source() == BoltSource::Auto);
  r.settle();
  CHECK(r.lock->status() == LockStatus::Locked);
  CHECK_FALSE(r.lock->hasAck());  // nobody's command
}

TEST_CASE("auto-relock waits for the door to close and restarts when it closes again") {
  Rig r;
  r.boot();
  r.cfg("g-1", 5, "STAY", "REFUSE");
  r.command("c-1", "UNLOCK");
  r.settle();
  r.doorSensor.state = DoorState::Open;
  r.poll();
  CHECK(r.lock->takeV2Change());  // the door change is news for a v2 status
  r.run(60000);
  CHECK(r.actuator.starts.size() == 1);  // never into an open door
  r.doorSensor.state = DoorState::Closed;
  r.run(3000);
  r.doorSensor.state = DoorState::Open;  // opened again before the 5 s
  r.run(3000);
  r.doorSensor.state = DoorState::Closed;
  r.run(4800);
  CHECK(r.actuator.starts.size() == 1);
  r.run(400);
  CHECK(r.actuator.starts.size() == 2);
  CHECK(r.lock->source() == BoltSource::Auto);
}

TEST_CASE("no auto-relock when relock is 0; without a door sensor it relocks on time alone") {
  Rig off;
  off.boot();
  off.command("c-1", "UNLOCK");
  off.settle();
  off.run(3600 * 1000);
  CHECK(off.actuator.starts.size() == 1);

  Rig blind;
  blind.withDoor = false;
  blind.boot();
  blind.cfg("g-1", 5, "STAY", "REFUSE");
  blind.command("c-1", "UNLOCK");
  blind.settle();
  blind.run(4800);
  CHECK(blind.actuator.starts.size() == 1);
  blind.run(400);
  CHECK(blind.actuator.starts.size() == 2);
  CHECK(blind.lock->source() == BoltSource::Auto);
}

TEST_CASE("another lock or unlock cancels a pending relock; the timer restarts from the new unlock") {
  Rig r;
  r.boot();
  r.cfg("g-1", 5, "STAY", "REFUSE");
  r.command("c-1", "UNLOCK");
  r.settle();
  r.run(3000);
  r.command("c-2", "LOCK");
  r.settle();
  r.command("c-3", "UNLOCK");
  r.settle();
  r.run(4500);  // 7.5 s after the first unlock, 4.5 s after the last one
  CHECK(r.actuator.starts.size() == 3);
  r.run(700);
  CHECK(r.actuator.starts.size() == 4);
}

TEST_CASE("src and cid survive a reboot that does not move the bolt; a lock that never moved says BOOT") {
  Rig r;
  r.boot();
  CHECK(r.lock->source() == BoltSource::Boot);
  r.command("c-7", "UNLOCK");
  r.settle();
  CHECK(r.storage.texts["last"] == "REMOTE:c-7");
  r.boot();
  CHECK(r.actuator.starts.empty());
  CHECK(r.lock->source() == BoltSource::Remote);
  CHECK(std::string(r.lock->sourceCid()) == "c-7");
  CHECK(r.lock->status() == LockStatus::Unlocked);
  r.boltSensor.position = LockStatus::Locked;  // turned by hand while the power was off: the boot senses it
  r.boot();
  CHECK(r.lock->status() == LockStatus::Locked);
  r.poll();
  r.boltSensor.position = LockStatus::Unlocked;
  r.poll();
  CHECK(r.storage.texts["last"] == "MANUAL");
  r.boot();
  CHECK(r.lock->source() == BoltSource::Manual);
  CHECK(std::string(r.lock->sourceCid()).empty());
  for (const char* junk : {"REMOTE", "REMOTE:bad id", "MANUAL:c-1", "KEY", ""}) {
    CAPTURE(junk);
    r.storage.texts["last"] = junk;
    r.boot();
    CHECK(r.lock->source() == BoltSource::Boot);
  }
}

TEST_CASE("a manual unlock is relocked too") {
  Rig r;
  r.boot();
  r.cfg("g-1", 2, "STAY", "REFUSE");
  r.boltSensor.position = LockStatus::Unlocked;
  r.run(2300);
  REQUIRE(r.actuator.starts.size() == 1);
  CHECK(r.lock->source() == BoltSource::Auto);
}

TEST_CASE("cfg is persisted, acked, survives a reboot, and shares the command counter") {
  Rig r;
  r.boot();
  r.cfg("g-1", 30, "LOCK", "ALLOW");
  CHECK(r.ack() == "g-1:ok");
  CHECK(r.storage.values["ctr"] == 1);
  CHECK(loadSettings(r.storage) == LockSettings{30, BootMode::Lock, LockOpenPolicy::Allow});
  r.cfg("g-2", 0, "STAY", "REFUSE", 1);  // same ctr: a replay
  CHECK(r.ack() == "g-2:rejected:replay");
  CHECK(r.lock->settings().relockS == 30);
  r.ctr = 0;
  r.command("c-1", "UNLOCK");  // ctr 1 again: already used by the cfg
  CHECK(r.ack() == "c-1:rejected:replay");
  r.boltSensor.position = LockStatus::Unlocked;
  r.boot();
  CHECK(r.lock->settings().boot == BootMode::Lock);
  CHECK(r.actuator.starts.size() == 1);  // the persisted boot rule applied
}

TEST_CASE("cfg is not applied outside a v2 session, nor when it cannot be persisted") {
  Rig r;
  r.boot(1);
  r.cfg("g-1", 30, "LOCK", "ALLOW");
  CHECK(r.ack() == "none");
  CHECK(r.lock->settings().relockS == 0);
  CHECK(r.storage.values.count("cfg") == 0);
  r.lock->setVersion(2);
  r.storage.failWrites = true;
  r.cfg("g-2", 30, "LOCK", "ALLOW");
  CHECK(r.ack() == "g-2:rejected:storage");
  CHECK(r.lock->settings().relockS == 0);
  r.storage.failWrites = false;
  const std::string forged = helpers::sign(kKey, helpers::cfgBody("front-door", "g-3", 99, kNow, 30, "LOCK", "ALLOW"));
  r.lock->handleCfg(forged.data(), forged.size());  // signed with K, not the cmd key: unanswered
  CHECK(r.ack() == "none");
  CHECK(r.lock->rejectedCount(RejectReason::BadSignature) == 1);
}

TEST_CASE("a v2 session takes only commands signed with the cmd key and marked v 2") {
  Rig r;
  r.boot(2);
  const std::string v1 = helpers::signedCmd(kKey, "front-door", "c-1", "UNLOCK", 5, kNow);
  r.lock->handleCommand(v1.data(), v1.size());
  CHECK(r.actuator.starts.empty());
  CHECK(r.ack() == "none");  // K no longer signs anything this session accepts
  r.command("c-2", "UNLOCK");
  r.settle();
  CHECK(r.ack() == "c-2:ok");
}
