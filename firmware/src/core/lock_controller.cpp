#include "lock_controller.h"

#include "codec_update.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "key_schedule.h"
#include "log_line.h"

namespace smartlock {
namespace {
// Ids are validated (<= kCommandIdMax chars) before they get here; the bound only keeps it safe.
void copyId(char (&dst)[kCommandIdMax + 1], const char* src) {
  size_t n = 0;
  while (n < kCommandIdMax && src[n] != '\0') ++n;
  std::memcpy(dst, src, n);
  dst[n] = '\0';
}
}  // namespace

LockController::LockController(const LockControllerDeps& deps, const DeviceKey& key, const char* deviceId)
    : d_(deps), key_(key), cmdKeyV2_(derivePurposeKey(key, KeyPurpose::Cmd)), deviceId_(deviceId) {}

void LockController::log(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vlogLine(d_.logger, fmt, args);
  va_end(args);
}

void LockController::begin() {
  boot_ = d_.storage.load(kBootKey).value_or(0) + 1;
  // If this fails the server may take our (boot, seq) for old news; keep the lock usable anyway.
  if (!d_.storage.store(kBootKey, boot_)) log("storage: could not persist boot counter %llu", (unsigned long long)boot_);
  counter_ = d_.storage.load(kCounterKey).value_or(0);
  settings_ = loadSettings(d_.storage);
  door_ = d_.door ? d_.door->door() : DoorState::Unknown;
  sensed_ = d_.bolt ? d_.bolt->bolt() : std::nullopt;
  status_ = sensed_.value_or(LockStatus::Unknown);
  loadLastChange();  // a boot that does not move the bolt reports the last change as it was
  log("boot %llu, last accepted ctr %llu, boot rule %s, bolt %s, door %s", (unsigned long long)boot_,
      (unsigned long long)counter_, nameOf(settings_.boot), nameOf(status_), nameOf(door_));
  if (safeMode_) {
    log("boot: safe mode (boot loop): the bolt will not move until a normal boot");
    return;
  }
  if (settings_.boot != BootMode::Lock || status_ == LockStatus::Locked) return;
  if (door_ == DoorState::Open && settings_.lockOpen == LockOpenPolicy::Refuse) {
    log("boot: door open, not locking");
    return;
  }
  status_ = LockStatus::Unknown;  // v1: UNKNOWN until the boot move ends, as always
  startMove(Action::Lock, BoltSource::Boot, "");
}

LockStatus LockController::reportedStatus(int version) const {
  if (version >= kProtocolV2 && moving_) return target_ == Action::Lock ? LockStatus::Locking : LockStatus::Unlocking;
  return status_;
}

void LockController::startMove(Action action, BoltSource src, const char* cid) {
  target_ = action;
  src_ = src;
  copyId(cid_, src == BoltSource::Remote ? cid : "");
  copyId(movingFor_, cid);
  moving_ = true;
  relockArmed_ = false;
  v2Change_ = true;
  d_.actuator.start(action);
}

bool LockController::persistCounter(int64_t ctr) {
  // Persist first: if power fails after this line, the same message can never act again.
  if (!d_.storage.store(kCounterKey, static_cast<uint64_t>(ctr))) return false;
  counter_ = static_cast<uint64_t>(ctr);
  return true;
}

void LockController::handleCommand(const char* payload, size_t len) {
  const bool v2 = usesPurposeKeys(version_);
  const CommandContext ctx{v2 ? cmdKeyV2_ : key_, deviceId_, counter_, d_.clock.unixTime(), version_};
  CommandVerdict v = verifyCommand(ctx, payload, len);
  if (!v.reject && (moving_ || flashBusy_ || safeMode_)) v.reject = RejectReason::Busy;  // the counter stays unconsumed
  // Like busy, door_open leaves the counter unconsumed (docs/protocol.md §11.5): the server may
  // retry once the door is closed. A recording of it could only lock a closed door.
  if (!v.reject && v.cmd.action == Action::Lock && door_ == DoorState::Open &&
      settings_.lockOpen == LockOpenPolicy::Refuse) {
    v.reject = RejectReason::DoorOpen;
  }
  if (v.reject) return reject(*v.reject, v.answerable, v.cmd.id);
  if (!persistCounter(v.cmd.ctr)) return reject(RejectReason::Storage, true, v.cmd.id);
  log("cmd %s: %s (ctr %lld) accepted", v.cmd.id, nameOf(v.cmd.action), (long long)v.cmd.ctr);
  startMove(v.cmd.action, BoltSource::Remote, v.cmd.id);
}

void LockController::handleCfg(const char* payload, size_t len) {
  if (version_ < sinceVersion(MessageType::Cfg)) return reject(RejectReason::BadVersion, false, "");  // never routed here
  const CommandContext ctx{cmdKeyV2_, deviceId_, counter_, d_.clock.unixTime(), version_};
  const CfgVerdict v = verifyCfg(ctx, payload, len);
  if (v.reject) return reject(*v.reject, v.answerable, v.cfg.id);
  if (!persistCounter(v.cfg.ctr)) return reject(RejectReason::Storage, true, v.cfg.id);
  const LockSettings next{v.cfg.relockS, v.cfg.boot, v.cfg.lockOpen};
  if (!(next == settings_) && !storeSettings(d_.storage, next)) return reject(RejectReason::Storage, true, v.cfg.id);
  settings_ = next;
  relockArmed_ = false;  // re-armed from now by the next poll if it still applies
  log("cfg %s: relock %u s, boot %s, lockOpen %s", v.cfg.id, (unsigned)next.relockS, nameOf(next.boot),
      nameOf(next.lockOpen));
  queueAck(v.cfg.id, AckResult::Ok, "");
}

void LockController::handleUpdate(const char* payload, size_t len, UpdateAgent& agent,
                                  std::optional<uint8_t> battery) {
  if (version_ < kUpdateProtocolVersion) return reject(RejectReason::BadVersion, false, "");  // never routed here
  const CommandContext ctx{cmdKeyV2_, deviceId_, counter_, d_.clock.unixTime(), version_};
  const UpdateVerdict v = verifyUpdate(ctx, payload, len);
  if (v.reject) return reject(*v.reject, v.answerable, v.update.id);
  if (!persistCounter(v.update.ctr)) return reject(RejectReason::Storage, true, v.update.id);
  const std::optional<UpdReason> refused = agent.start(updateRequestOf(v.update), LockConditions{moving_, battery});
  if (refused) {
    log("update %s: rejected (%s)", v.update.id, nameOf(*refused));
    return queueAck(v.update.id, AckResult::Rejected, nameOf(*refused));
  }
  queueAck(v.update.id, AckResult::Ok, "");
}

void LockController::handleRekey(const char* payload, size_t len, KeyRing& ring) {
  if (version_ < sinceVersion(MessageType::Rekey)) return reject(RejectReason::BadVersion, false, "");  // never routed here
  const CommandContext ctx{cmdKeyV2_, deviceId_, counter_, d_.clock.unixTime(), version_};
  const RekeyVerdict v = verifyRekey(ctx, payload, len);
  if (v.reject) return reject(*v.reject, v.answerable, v.rekey.id);
  DeviceKey next{};
  if (!openRekeyKey(key_, v.rekey.id, v.rekey.key, next)) return reject(RejectReason::Malformed, true, v.rekey.id);
  // Persist first, ack after: a lock that acked always has K' after any power cut (§13.3).
  if (!persistCounter(v.rekey.ctr)) return reject(RejectReason::Storage, true, v.rekey.id);
  if (!(ring.hasPending() && ring.pending() == next) && !ring.storePending(next)) {
    return reject(RejectReason::Storage, true, v.rekey.id);
  }
  log("rekey %s: new secret stored, waiting for the server to use it", v.rekey.id);
  queueAck(v.rekey.id, AckResult::Ok, "");
}

void LockController::handleBlerev(const char* payload, size_t len, BleRevocationStore& store) {
  if (version_ < sinceVersion(MessageType::Blerev)) return reject(RejectReason::BadVersion, false, "");  // never routed here
  const CommandContext ctx{cmdKeyV2_, deviceId_, counter_, d_.clock.unixTime(), version_};
  const BlerevVerdict v = verifyBlerev(ctx, payload, len);
  if (v.reject) return reject(*v.reject, v.answerable, v.blerev.id);
  if (!persistCounter(v.blerev.ctr)) return reject(RejectReason::Storage, true, v.blerev.id);
  if (!store.replaceRevocations(v.blerev.list)) return reject(RejectReason::Storage, true, v.blerev.id);
  log("blerev %s: %u revoked kids, before %lld", v.blerev.id, (unsigned)v.blerev.list.count,
      (long long)v.blerev.list.before);
  queueAck(v.blerev.id, AckResult::Ok, "");
}

std::optional<MoveRefusal> LockController::startBleMove(Action action) {
  if (safeMode_) return MoveRefusal::SafeMode;
  if (moving_ || flashBusy_) return MoveRefusal::Busy;
  if (action == Action::Lock && door_ == DoorState::Open && settings_.lockOpen == LockOpenPolicy::Refuse) {
    return MoveRefusal::DoorOpen;
  }
  log("ble: %s accepted", nameOf(action));
  startMove(action, BoltSource::Ble, "");
  return std::nullopt;
}

void LockController::rekeyed() { cmdKeyV2_ = derivePurposeKey(key_, KeyPurpose::Cmd); }

void LockController::reject(RejectReason why, bool answerable, const char* id) {
  ++rejected_[static_cast<size_t>(why)];
  log("message %s rejected: %s", id[0] ? id : "(no id)", nameOf(why));
  // No reply to anything that did not prove it came from the server.
  if (why == RejectReason::BadSignature || !answerable) return;
  queueAck(id, AckResult::Rejected, ackReason(why));
}

// Stored as one text value ("MANUAL", "REMOTE:c-9", ...) so src and cid are never torn apart.
void LockController::saveLastChange() {
  char text[kLastChangeMax + 1];
  std::snprintf(text, sizeof text, "%s%s%s", nameOf(src_), cid_[0] ? ":" : "", cid_);
  if (!d_.storage.storeText(kLastChangeKey, text)) log("storage: could not persist the last change (%s)", text);
}

void LockController::loadLastChange() {
  src_ = BoltSource::Boot;  // a lock that has never moved the bolt
  cid_[0] = '\0';
  char text[kLastChangeMax + 1] = {};
  if (!d_.storage.loadText(kLastChangeKey, text, sizeof text)) return;
  const char* colon = std::strchr(text, ':');
  const size_t nameLen = colon ? static_cast<size_t>(colon - text) : std::strlen(text);
  BoltSource src;
  if (!parseBoltSource(text, nameLen, src)) return;
  const bool remote = src == BoltSource::Remote;
  if (remote != (colon != nullptr)) return;
  if (remote && !isValidCommandId(colon + 1, std::strlen(colon + 1))) return;
  src_ = src;
  if (remote) copyId(cid_, colon + 1);
}

void LockController::senseDoor() {
  if (d_.door == nullptr) return;
  const DoorState now = d_.door->door();
  if (now == door_) return;
  log("door %s", nameOf(now));
  door_ = now;
  v2Change_ = true;
}

void LockController::senseBolt() {
  if (d_.bolt == nullptr || moving_) return;
  const std::optional<LockStatus> now = d_.bolt->bolt();
  if (!now || now == sensed_) return;
  sensed_ = now;
  if (*now == status_) return;
  log("bolt turned by hand: %s", nameOf(*now));
  status_ = *now;
  src_ = BoltSource::Manual;
  cid_[0] = '\0';
  relockArmed_ = false;
  v2Change_ = true;
  saveLastChange();
}

void LockController::followRelock() {
  // Never into an open door; a lock without a door sensor (UNKNOWN) relocks on time alone (§11.8).
  const bool applies = !safeMode_ && !lowBattery_ && settings_.relockS > 0 && !moving_ && status_ == LockStatus::Unlocked && door_ != DoorState::Open;
  const uint32_t now = d_.clock.millis();
  if (!applies) {
    relockArmed_ = false;
    return;
  }
  if (!relockArmed_) {  // counts from the unlock, or from the door closing, whichever is later
    relockArmed_ = true;
    relockSinceMs_ = now;
    return;
  }
  if (static_cast<uint32_t>(now - relockSinceMs_) < static_cast<uint32_t>(settings_.relockS) * 1000u) return;
  log("auto-relock after %u s", (unsigned)settings_.relockS);
  startMove(Action::Lock, BoltSource::Auto, "");
}

bool LockController::poll() {
  const MoveState s = d_.actuator.poll();  // polled even when idle so indicators can blink
  senseDoor();
  bool settled = false;
  if (moving_ && (s == MoveState::Done || s == MoveState::Jammed)) {
    moving_ = false;
    settled = true;
    v2Change_ = true;
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
    saveLastChange();
    // What the sensor shows now is the result of our move, not a hand on the thumb-turn.
    if (d_.bolt) sensed_ = d_.bolt->bolt();
  } else if (!moving_) {
    const LockStatus before = status_;
    senseBolt();
    settled = status_ != before;
  }
  followRelock();
  return settled;
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

void LockController::ackPublished() {
  if (ackCount_ == 0) return;
  ackHead_ = (ackHead_ + 1) % kAckQueue;
  --ackCount_;
}

std::optional<AckFields> LockController::popAck() {
  if (ackCount_ == 0) return std::nullopt;
  AckFields a = acks_[ackHead_];
  ackPublished();
  return a;
}

}  // namespace smartlock
