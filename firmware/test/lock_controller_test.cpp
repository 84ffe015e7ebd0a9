#include <doctest/doctest.h>

#include <memory>

#include "fakes.h"
#include "helpers.h"
#include "lock_controller.h"
#include "lock_settings.h"
#include "printers.h"

using namespace smartlock;
using namespace fakes;
using helpers::signedCmd;

namespace {
const DeviceKey kKey = helpers::key();
const int64_t kNow = 1795760000;

struct Rig {
  Journal journal;
  FakeStorage storage;
  FakeActuator actuator;
  FakeClock clock;
  std::unique_ptr<LockController> lock;
  Rig() {
    storage.journal = &journal;
    actuator.journal = &journal;
    clock.unix = kNow;
    // These tests were written for a lock configured to lock at boot (v1's only behaviour).
    LockSettings lockAtBoot;
    lockAtBoot.boot = BootMode::Lock;
    storeSettings(storage, lockAtBoot);
    boot();
  }
  // A power cycle: same storage, fresh controller and motor.
  void boot() {
    actuator = FakeActuator{};
    actuator.journal = &journal;
    lock = std::make_unique<LockController>(LockControllerDeps{storage, actuator, clock, nullptr}, kKey, "front-door");
    lock->begin();
    settle();
  }
  void settle() {
    for (int i = 0; i < 5; ++i) lock->poll();
  }
  void send(const std::string& payload) { lock->handleCommand(payload.data(), payload.size()); }
};
}  // namespace

TEST_CASE("each boot increments and persists the boot counter, and locks when cfg boot is LOCK") {
  Rig r;
  CHECK(r.lock->bootCount() == 1);
  CHECK(r.storage.values["boot"] == 1);
  CHECK(r.lock->status() == LockStatus::Locked);
  r.boot();
  r.boot();
  CHECK(r.lock->bootCount() == 3);
  CHECK(r.storage.values["boot"] == 3);
  CHECK_FALSE(r.lock->hasAck());  // the boot move is nobody's command
}

TEST_CASE("an accepted command persists the counter before it moves the bolt, then acks ok") {
  Rig r;
  r.journal.events.clear();
  r.send(signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow));
  const int stored = r.journal.indexOf("store ctr=7"), moved = r.journal.indexOf("actuate UNLOCK");
  REQUIRE(stored >= 0);
  REQUIRE(moved >= 0);
  CHECK(stored < moved);
  CHECK_FALSE(r.lock->hasAck());  // not before the bolt arrived
  r.settle();
  CHECK(r.lock->status() == LockStatus::Unlocked);
  const auto ack = r.lock->popAck();
  REQUIRE(ack.has_value());
  CHECK(std::string(ack->id) == "c-1");
  CHECK(ack->result == AckResult::Ok);
}

TEST_CASE("a power cut between persisting and moving never lets the same command run again") {
  Rig r;
  r.actuator.pollsPerMove = 1000;  // the move never finishes: power is cut mid-way
  const std::string cmd = signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow);
  r.send(cmd);
  CHECK(r.storage.values["ctr"] == 7);
  r.boot();
  const size_t startsAfterBoot = r.actuator.starts.size();
  r.send(cmd);
  CHECK(r.actuator.starts.size() == startsAfterBoot);  // no move
  const auto ack = r.lock->popAck();
  REQUIRE(ack.has_value());
  CHECK(ack->result == AckResult::Rejected);
  CHECK(std::string(ack->reason) == "replay");
}

TEST_CASE("a replay is rejected with reason replay and the bolt stays") {
  Rig r;
  const std::string cmd = signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow);
  r.send(cmd);
  r.settle();
  r.lock->popAck();
  r.send(cmd);
  CHECK(r.actuator.starts.size() == 2);  // boot + first
  const auto ack = r.lock->popAck();
  REQUIRE(ack.has_value());
  CHECK(std::string(ack->reason) == "replay");
  CHECK(r.lock->rejectedCount(RejectReason::Replay) == 1);
}

TEST_CASE("stale, forged, cross-device and malformed commands never move the bolt") {
  Rig r;
  const auto other = helpers::key("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
  r.send(signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow - 60));
  r.send(signedCmd(other, "front-door", "c-2", "UNLOCK", 8, kNow));
  r.send(signedCmd(kKey, "back-door", "c-3", "UNLOCK", 9, kNow));
  r.send(helpers::sign(kKey, "{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\",\"id\":\"c-4\"}"));
  r.send("garbage");
  CHECK(r.actuator.starts.size() == 1);  // the boot move only
  CHECK(r.storage.values["ctr"] == 0);
  std::vector<std::string> reasons;
  while (auto a = r.lock->popAck()) reasons.push_back(std::string(a->id) + ":" + a->reason);
  // The forged one (c-2) and the unparseable garbage get no answer.
  CHECK(reasons == std::vector<std::string>{"c-1:stale", "c-3:malformed", "c-4:malformed"});
  CHECK(r.lock->rejectedCount(RejectReason::BadSignature) == 1);
}

TEST_CASE("a jammed motor reports JAMMED with an issue and acks failed") {
  Rig r;
  r.actuator.next = MoveState::Jammed;
  r.send(signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow));
  r.settle();
  CHECK(r.lock->status() == LockStatus::Jammed);
  CHECK(std::string(r.lock->issue()) == "Motor jammed");
  const auto ack = r.lock->popAck();
  REQUIRE(ack.has_value());
  CHECK(ack->result == AckResult::Failed);
  r.actuator.next = MoveState::Done;
  r.send(signedCmd(kKey, "front-door", "c-2", "LOCK", 8, kNow));
  r.settle();
  CHECK(r.lock->status() == LockStatus::Locked);
  CHECK(std::string(r.lock->issue()).empty());
}

TEST_CASE("a command while the bolt moves is refused as busy without consuming its counter") {
  Rig r;
  r.actuator.pollsPerMove = 3;
  r.send(signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow));
  r.send(signedCmd(kKey, "front-door", "c-2", "LOCK", 8, kNow));
  CHECK(r.storage.values["ctr"] == 7);
  auto ack = r.lock->popAck();
  REQUIRE(ack.has_value());
  CHECK(std::string(ack->reason) == "busy");
  r.settle();
  r.send(signedCmd(kKey, "front-door", "c-2", "LOCK", 8, kNow));  // the retry works
  r.settle();
  CHECK(r.lock->status() == LockStatus::Locked);
}

TEST_CASE("when the counter cannot be persisted the lock refuses to move") {
  Rig r;
  r.storage.failWrites = true;
  r.send(signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow));
  CHECK(r.actuator.starts.size() == 1);
  const auto ack = r.lock->popAck();
  REQUIRE(ack.has_value());
  CHECK(std::string(ack->reason) == "storage");
}

TEST_CASE("the ack queue is bounded and drops the oldest") {
  Rig r;
  for (int i = 0; i < 6; ++i) r.send(signedCmd(kKey, "front-door", "c-" + std::to_string(i), "LOCK", 1, kNow - 100));
  CHECK(r.lock->droppedAcks() == 2);
  CHECK(std::string(r.lock->popAck()->id) == "c-2");
}
