// The lock itself: boot bookkeeping, command decisions, the bolt, and the acks they produce.
// It knows nothing about MQTT; LockApp feeds it payloads and publishes what it reports.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "codec.h"
#include "command_verifier.h"
#include "ports.h"

namespace smartlock {

constexpr const char* kBootKey = "boot";
constexpr const char* kCounterKey = "ctr";
constexpr const char* kIssueJammed = "Motor jammed";

struct LockControllerDeps {
  Storage& storage;
  Actuator& actuator;
  Clock& clock;
  Logger* logger = nullptr;
};

class LockController {
 public:
  LockController(const LockControllerDeps& deps, const DeviceKey& key, const char* deviceId)
      : d_(deps), key_(key), deviceId_(deviceId) {}

  // Counts this boot (read, +1, persist) and drives the bolt to the fail-safe default state,
  // whatever it was before: after a power cut nobody knows where the bolt is.
  void begin(Action defaultState);

  // A payload that arrived on our cmd topic. Executes it or queues a rejection ack.
  void handleCommand(const char* payload, size_t len);

  // Follows the actuator. Returns true when the reported state changed (status due at once).
  bool poll();

  // Acks waiting to ride on a status message, oldest first.
  std::optional<AckFields> popAck();
  bool hasAck() const { return ackCount_ > 0; }

  LockStatus status() const { return status_; }
  const char* issue() const { return status_ == LockStatus::Jammed ? kIssueJammed : ""; }
  uint64_t bootCount() const { return boot_; }
  uint64_t lastCounter() const { return counter_; }
  uint32_t rejectedCount(RejectReason r) const { return rejected_[static_cast<size_t>(r)]; }
  uint32_t droppedAcks() const { return droppedAcks_; }

 private:
  void reject(const CommandVerdict& v);
  void queueAck(const char* id, AckResult result, const char* reason);
  void log(const char* fmt, ...);

  static constexpr size_t kAckQueue = 4;
  static constexpr size_t kReasonCount = static_cast<size_t>(RejectReason::DoorOpen) + 1;

  LockControllerDeps d_;
  const DeviceKey& key_;
  const char* deviceId_;
  uint64_t boot_ = 0;
  uint64_t counter_ = 0;
  LockStatus status_ = LockStatus::Unknown;
  bool moving_ = false;
  Action target_ = Action::Lock;
  char movingFor_[kCommandIdMax + 1] = {};  // "" for the boot move, which nobody awaits
  AckFields acks_[kAckQueue];
  size_t ackHead_ = 0, ackCount_ = 0;
  uint32_t rejected_[kReasonCount] = {};
  uint32_t droppedAcks_ = 0;
};

}  // namespace smartlock
