// The lock itself: boot bookkeeping, command and cfg decisions, the bolt, the door, and the acks
// they produce. It knows nothing about MQTT; LockApp feeds it payloads and publishes what it reports.
//
// Bolt state machine (status() is the v1 view, reportedStatus(2) adds the transitional states):
//   settled (LOCKED / UNLOCKED / UNKNOWN / JAMMED) --start(move, src)--> LOCKING | UNLOCKING
//   LOCKING | UNLOCKING --actuator Done--> LOCKED | UNLOCKED;  --actuator Jammed--> JAMMED
//   settled --bolt sensor changed by itself--> the sensed state, src MANUAL
// Auto-relock: UNLOCKED, door not OPEN and relock > 0 for relock seconds --> LOCKING, src AUTO
// (never in safe mode, never under the flat-battery rule).
// src/cid are persisted with each completed change: a boot that does not move reports them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "codec.h"
#include "command_verifier.h"
#include "key_ring.h"
#include "lock_settings.h"
#include "ble_types.h"
#include "boot_guard.h"
#include "ports.h"
#include "power_policy.h"
#include "update_agent.h"

namespace smartlock {

constexpr const char* kBootKey = "boot";
constexpr const char* kCounterKey = "ctr";
constexpr const char* kIssueJammed = "Motor jammed";
constexpr const char* kLastChangeKey = "last";  // text: src, and ":<cid>" for REMOTE
constexpr size_t kLastChangeMax = 7 + 1 + kCommandIdMax;

// Why a local (Bluetooth) move was not started: the rules a remote command has (§11.5).
enum class MoveRefusal : uint8_t { SafeMode, Busy, DoorOpen };

struct LockControllerDeps {
  Storage& storage;
  Actuator& actuator;
  Clock& clock;
  Logger* logger = nullptr;
  DoorSensor* door = nullptr;  // optional
  BoltSensor* bolt = nullptr;  // optional
};

class LockController {
 public:
  // key is K (v1); the v2 cmd key is derived from it.
  LockController(const LockControllerDeps& deps, const DeviceKey& key, const char* deviceId);

  // Counts this boot (read, +1, persist), loads the persisted cfg and last change, and applies the boot rule:
  // STAY (default) senses and reports without moving; LOCK drives the bolt to LOCKED unless it
  // already is, or the door is open while lockOpen is REFUSE.
  void begin();

  // The protocol version of the current session: 1 until a welcome into v2, and again after a
  // disconnect. Decides which key and schema commands must have.
  void setVersion(int version) { version_ = version; }
  int version() const { return version_; }

  // A payload that arrived on our cmd topic. Executes it or queues a rejection ack.
  void handleCommand(const char* payload, size_t len);
  // A v2 cfg payload: applied, persisted and acked ok, or acked rejected. Only in a v2 session.
  void handleCfg(const char* payload, size_t len);
  // A v3 rekey (docs/protocol.md §13.3): verified like a cfg, its ctr and the new K' persisted in
  // ring (pending) BEFORE the ack ok is queued; acked rejected (storage) if either cannot be stored.
  void handleRekey(const char* payload, size_t len, KeyRing& ring);
  // A v3 blerev (docs/protocol.md §16.5): verified like a cfg, its ctr persisted, the list handed
  // to store (which persists it before applying); acked ok, or rejected (storage) if either fails.
  void handleBlerev(const char* payload, size_t len, BleRevocationStore& store);
  // A move asked for over Bluetooth by a key ble_access.h accepted: refused in safe mode, while
  // moving or writing flash, or LOCK into an open door under lockOpen REFUSE; else started, src BLE.
  std::optional<MoveRefusal> startBleMove(Action action);
  bool moving() const { return moving_; }
  // The key this controller was given (K) changed in place: derive its cmd key again.
  void rekeyed();

  // A v3 firmware update: verified like a cfg (signature with the cmd key, ctr, ts), its counter
  // persisted, then handed to the agent; acked ok, or rejected with the agent's reason
  // (docs/protocol.md, "Firmware updates (v3)"). Only in a v3 session.
  void handleUpdate(const char* payload, size_t len, UpdateAgent& agent, std::optional<uint8_t> battery);
  // While flash is written (or the lock is about to reboot) commands are refused as busy.
  void setFlashBusy(bool busy) { flashBusy_ = busy; }
  // Boot-loop safe mode (boot_guard.h), set before begin(): the bolt never moves (no boot rule, no
  // relock; commands refused as busy, their counter unconsumed) and issue() says so.
  void setSafeMode(bool safe) { safeMode_ = safe; }
  bool safeMode() const { return safeMode_; }
  // The flat-battery rule (power_policy.h): no auto-relock, and issue() says so. Commands still run.
  void setLowBattery(bool low) { lowBattery_ = low; }
  bool lowBattery() const { return lowBattery_; }

  // Follows the actuator, the sensors and the relock timer. Returns true when the settled bolt
  // state changed (a status is due at once in any version).
  bool poll();
  // True once after a change only a v2 status can show: a move started, the door or src changed.
  bool takeV2Change() {
    const bool c = v2Change_;
    v2Change_ = false;
    return c;
  }

  // Acks waiting to ride on a status message, oldest first. The oldest stays queued until a
  // status carrying it was handed to the broker (ackPublished): a failed publish must not lose it.
  const AckFields* peekAck() const { return ackCount_ > 0 ? &acks_[ackHead_] : nullptr; }
  void ackPublished();
  std::optional<AckFields> popAck();  // peek + ackPublished, for tests and tools
  bool hasAck() const { return ackCount_ > 0; }

  LockStatus status() const { return status_; }  // v1: the last settled state
  LockStatus reportedStatus(int version) const;
  DoorState door() const { return door_; }
  BoltSource source() const { return src_; }
  const char* sourceCid() const { return cid_; }  // "" unless source() is Remote
  const LockSettings& settings() const { return settings_; }
  const char* issue() const {
    if (safeMode_) return kIssueSafeMode;
    if (status_ == LockStatus::Jammed) return kIssueJammed;
    return lowBattery_ ? kIssueBatteryLow : "";
  }
  uint64_t bootCount() const { return boot_; }
  uint64_t lastCounter() const { return counter_; }
  uint32_t rejectedCount(RejectReason r) const { return rejected_[static_cast<size_t>(r)]; }
  uint32_t droppedAcks() const { return droppedAcks_; }

 private:
  void startMove(Action action, BoltSource src, const char* cid);
  void saveLastChange();
  void loadLastChange();
  void senseDoor();
  void senseBolt();
  void followRelock();
  bool persistCounter(int64_t ctr);
  void reject(RejectReason why, bool answerable, const char* id);
  void queueAck(const char* id, AckResult result, const char* reason);
  void log(const char* fmt, ...);

  static constexpr size_t kAckQueue = 4;
  static constexpr size_t kReasonCount = static_cast<size_t>(RejectReason::DoorOpen) + 1;

  LockControllerDeps d_;
  const DeviceKey& key_;
  DeviceKey cmdKeyV2_;
  const char* deviceId_;
  int version_ = kProtocolVersion;
  LockSettings settings_;
  uint64_t boot_ = 0;
  uint64_t counter_ = 0;
  LockStatus status_ = LockStatus::Unknown;
  DoorState door_ = DoorState::Unknown;
  std::optional<LockStatus> sensed_;  // last bolt sensor reading outside a move
  BoltSource src_ = BoltSource::Boot;
  char cid_[kCommandIdMax + 1] = {};
  bool moving_ = false;
  bool flashBusy_ = false;
  bool safeMode_ = false;
  bool lowBattery_ = false;
  Action target_ = Action::Lock;
  char movingFor_[kCommandIdMax + 1] = {};  // the command to ack; "" for boot and auto moves
  bool v2Change_ = false;
  bool relockArmed_ = false;
  uint32_t relockSinceMs_ = 0;
  AckFields acks_[kAckQueue];
  size_t ackHead_ = 0, ackCount_ = 0;
  uint32_t rejected_[kReasonCount] = {};
  uint32_t droppedAcks_ = 0;
};

}  // namespace smartlock
