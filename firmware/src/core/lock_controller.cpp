#include "lock_controller.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "log_line.h"

namespace smartlock {

void LockController::log(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vlogLine(d_.logger, fmt, args);
  va_end(args);
}

void LockController::begin(Action defaultState) {
  boot_ = d_.storage.load(kBootKey).value_or(0) + 1;
  // If this fails the server may take our (boot, seq) for old news; keep the lock usable anyway.
  if (!d_.storage.store(kBootKey, boot_)) log("storage: could not persist boot counter %llu", (unsigned long long)boot_);
  counter_ = d_.storage.load(kCounterKey).value_or(0);
  log("boot %llu, last accepted ctr %llu, moving to %s", (unsigned long long)boot_,
      (unsigned long long)counter_, nameOf(defaultState));
  status_ = LockStatus::Unknown;
  target_ = defaultState;
  movingFor_[0] = '\0';
  moving_ = true;
  d_.actuator.start(defaultState);
}

void LockController::handleCommand(const char* payload, size_t len) {
  const CommandContext ctx{key_, deviceId_, counter_, d_.clock.unixTime()};
  CommandVerdict v = verifyCommand(ctx, payload, len);
  if (!v.reject && moving_) v.reject = RejectReason::Busy;  // the counter stays unconsumed
  if (v.reject) {
    reject(v);
    return;
  }
  // Persist first: if power fails after this line, the same command can never run again.
  if (!d_.storage.store(kCounterKey, static_cast<uint64_t>(v.cmd.ctr))) {
    v.reject = RejectReason::Storage;
    reject(v);
    return;
  }
  counter_ = static_cast<uint64_t>(v.cmd.ctr);
  log("cmd %s: %s (ctr %lld) accepted", v.cmd.id, nameOf(v.cmd.action), (long long)v.cmd.ctr);
  target_ = v.cmd.action;
  std::memcpy(movingFor_, v.cmd.id, sizeof movingFor_);
  moving_ = true;
  d_.actuator.start(v.cmd.action);
}

void LockController::reject(const CommandVerdict& v) {
  const RejectReason why = *v.reject;
  ++rejected_[static_cast<size_t>(why)];
  log("cmd %s rejected: %s", v.cmd.id[0] ? v.cmd.id : "(no id)", nameOf(why));
  // No reply to anything that did not prove it came from the server.
  if (why == RejectReason::BadSignature || !v.answerable) return;
  queueAck(v.cmd.id, AckResult::Rejected, ackReason(why));
}

bool LockController::poll() {
  const MoveState s = d_.actuator.poll();  // polled even when idle so indicators can blink
  if (!moving_) return false;
  if (s == MoveState::Moving || s == MoveState::Idle) return false;
  moving_ = false;
  if (s == MoveState::Done) {
    status_ = target_ == Action::Lock ? LockStatus::Locked : LockStatus::Unlocked;
    log("bolt %s", nameOf(status_));
    if (movingFor_[0]) queueAck(movingFor_, AckResult::Ok, "");
  } else {
    status_ = LockStatus::Jammed;
    log("bolt jammed while going to %s", nameOf(target_));
    if (movingFor_[0]) queueAck(movingFor_, AckResult::Failed, "jammed");
  }
  movingFor_[0] = '\0';
  return true;
}

void LockController::queueAck(const char* id, AckResult result, const char* reason) {
  if (ackCount_ == kAckQueue) {  // the server times the oldest command out anyway
    ackHead_ = (ackHead_ + 1) % kAckQueue;
    --ackCount_;
    ++droppedAcks_;
  }
  AckFields& a = acks_[(ackHead_ + ackCount_) % kAckQueue];
  a = AckFields{};
  std::strncpy(a.id, id, kCommandIdMax);
  a.result = result;
  std::strncpy(a.reason, reason, kReasonMax);
  ++ackCount_;
}

std::optional<AckFields> LockController::popAck() {
  if (ackCount_ == 0) return std::nullopt;
  AckFields a = acks_[ackHead_];
  ackHead_ = (ackHead_ + 1) % kAckQueue;
  --ackCount_;
  return a;
}

}  // namespace smartlock
