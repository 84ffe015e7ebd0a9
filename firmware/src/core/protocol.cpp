#include "protocol.h"

#include <cstring>
#include <initializer_list>

namespace smartlock {
namespace {

bool equals(const char* s, size_t n, const char* lit) {
  return std::strlen(lit) == n && std::memcmp(s, lit, n) == 0;
}

bool isAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

const char* nameOf(TopicKind k) {
  switch (k) {
    case TopicKind::Cmd: return "cmd";
    case TopicKind::Status: return "status";
    case TopicKind::Availability: return "availability";
  }
  return "?";
}

const char* nameOf(MessageType t) {
  switch (t) {
    case MessageType::Cmd: return "cmd";
    case MessageType::Status: return "status";
    case MessageType::Time: return "time";
    case MessageType::Hello: return "hello";
    case MessageType::Welcome: return "welcome";
    case MessageType::Cfg: return "cfg";
    case MessageType::Update: return "update";
    case MessageType::Rekey: return "rekey";
    case MessageType::Blerev: return "blerev";
  }
  return "?";
}

int sinceVersion(MessageType t) {
  switch (t) {
    case MessageType::Cmd:
    case MessageType::Status:
    case MessageType::Time: return kProtocolVersion;
    case MessageType::Hello:
    case MessageType::Welcome:
    case MessageType::Cfg: return kProtocolV2;
    case MessageType::Update: return kProtocolV3;
    case MessageType::Rekey: return kProtocolV3;
    case MessageType::Blerev: return kProtocolV3;
  }
  return kHighestVersion + 1;
}

const char* spokenVersions(int maxVersion) {
  switch (maxVersion) {
    case kProtocolVersion: return "1";
    case kProtocolV2: return "1,2";
    case kProtocolV3: return "1,2,3";
  }
  return nullptr;
}

const char* nameOf(Action a) { return a == Action::Lock ? "LOCK" : "UNLOCK"; }

const char* nameOf(LockStatus s) {
  switch (s) {
    case LockStatus::Locked: return "LOCKED";
    case LockStatus::Unlocked: return "UNLOCKED";
    case LockStatus::Jammed: return "JAMMED";
    case LockStatus::Unknown: return "UNKNOWN";
    case LockStatus::Locking: return "LOCKING";
    case LockStatus::Unlocking: return "UNLOCKING";
  }
  return "UNKNOWN";
}

const char* nameOf(DoorState d) {
  switch (d) {
    case DoorState::Open: return "OPEN";
    case DoorState::Closed: return "CLOSED";
    case DoorState::Unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

const char* nameOf(BoltSource s) {
  switch (s) {
    case BoltSource::Remote: return "REMOTE";
    case BoltSource::Manual: return "MANUAL";
    case BoltSource::Auto: return "AUTO";
    case BoltSource::Ble: return "BLE";
    case BoltSource::Boot: return "BOOT";
  }
  return "?";
}

const char* nameOf(BootMode m) { return m == BootMode::Stay ? "STAY" : "LOCK"; }
const char* nameOf(LockOpenPolicy p) { return p == LockOpenPolicy::Refuse ? "REFUSE" : "ALLOW"; }

const char* nameOf(Power p) {
  switch (p) {
    case Power::Mains: return "MAINS";
    case Power::Battery: return "BATTERY";
    case Power::Low: return "LOW";
  }
  return "?";
}

const char* nameOf(AckResult r) {
  switch (r) {
    case AckResult::Ok: return "ok";
    case AckResult::Rejected: return "rejected";
    case AckResult::Failed: return "failed";
  }
  return "?";
}

const char* nameOf(RejectReason r) {
  switch (r) {
    case RejectReason::Malformed: return "malformed";
    case RejectReason::BadSignature: return "bad_signature";
    case RejectReason::BadVersion: return "bad_version";
    case RejectReason::WrongType: return "wrong_type";
    case RejectReason::WrongDevice: return "wrong_device";
    case RejectReason::Replay: return "replay";
    case RejectReason::Stale: return "stale";
    case RejectReason::Busy: return "busy";
    case RejectReason::Storage: return "storage";
    case RejectReason::DoorOpen: return "door_open";
  }
  return "?";
}

const char* ackReason(RejectReason r) {
  switch (r) {
    case RejectReason::Replay: return "replay";
    case RejectReason::Stale: return "stale";
    case RejectReason::Busy: return "busy";
    case RejectReason::Storage: return "storage";
    case RejectReason::DoorOpen: return "door_open";
    // A signed message the lock cannot use is, to the server, simply malformed.
    case RejectReason::Malformed:
    case RejectReason::BadSignature:
    case RejectReason::BadVersion:
    case RejectReason::WrongType:
    case RejectReason::WrongDevice: return "malformed";
  }
  return "malformed";
}

bool parseAction(const char* s, size_t n, Action& out) {
  if (equals(s, n, "LOCK")) { out = Action::Lock; return true; }
  if (equals(s, n, "UNLOCK")) { out = Action::Unlock; return true; }
  return false;
}

bool parseLockStatus(const char* s, size_t n, LockStatus& out) {
  for (LockStatus v : {LockStatus::Locked, LockStatus::Unlocked, LockStatus::Jammed, LockStatus::Unknown,
                       LockStatus::Locking, LockStatus::Unlocking}) {
    if (equals(s, n, nameOf(v))) { out = v; return true; }
  }
  return false;
}

bool parsePower(const char* s, size_t n, Power& out) {
  for (Power v : {Power::Mains, Power::Battery, Power::Low}) {
    if (equals(s, n, nameOf(v))) { out = v; return true; }
  }
  return false;
}

bool parseAckResult(const char* s, size_t n, AckResult& out) {
  for (AckResult v : {AckResult::Ok, AckResult::Rejected, AckResult::Failed}) {
    if (equals(s, n, nameOf(v))) { out = v; return true; }
  }
  return false;
}

bool parseDoorState(const char* s, size_t n, DoorState& out) {
  for (DoorState v : {DoorState::Open, DoorState::Closed, DoorState::Unknown}) {
    if (equals(s, n, nameOf(v))) { out = v; return true; }
  }
  return false;
}

bool parseBoltSource(const char* s, size_t n, BoltSource& out) {
  for (BoltSource v : {BoltSource::Remote, BoltSource::Manual, BoltSource::Auto, BoltSource::Ble, BoltSource::Boot}) {
    if (equals(s, n, nameOf(v))) { out = v; return true; }
  }
  return false;
}

bool parseBootMode(const char* s, size_t n, BootMode& out) {
  for (BootMode v : {BootMode::Stay, BootMode::Lock}) {
    if (equals(s, n, nameOf(v))) { out = v; return true; }
  }
  return false;
}

bool parseLockOpenPolicy(const char* s, size_t n, LockOpenPolicy& out) {
  for (LockOpenPolicy v : {LockOpenPolicy::Refuse, LockOpenPolicy::Allow}) {
    if (equals(s, n, nameOf(v))) { out = v; return true; }
  }
  return false;
}

bool parseVers(const char* s, size_t n, bool& speaks2) {
  speaks2 = false;
  if (s == nullptr || n < 1 || n > kVersMax) return false;
  long prev = 0;
  size_t i = 0, count = 0;
  while (true) {
    if (++count > 8) return false;
    if (i >= n || s[i] < '1' || s[i] > '9') return false;  // a number, no leading zero
    long v = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i++] - '0');
      if (v > 999) return false;
    }
    if (v <= prev) return false;  // strictly ascending
    if (v == 2) speaks2 = true;
    prev = v;
    if (i == n) return true;
    if (s[i++] != ',') return false;
  }
}

bool isValidDeviceId(const char* s, size_t n) {
  if (s == nullptr || n < kDeviceIdMin || n > kDeviceIdMax) return false;
  for (size_t i = 0; i < n; ++i) {
    if (!isAlnum(s[i]) && s[i] != '_' && s[i] != '-') return false;
  }
  return true;
}

bool isValidCommandId(const char* s, size_t n) {
  if (s == nullptr || n < 1 || n > kCommandIdMax) return false;
  for (size_t i = 0; i < n; ++i) {
    if (!isAlnum(s[i]) && s[i] != '-') return false;
  }
  return true;
}

bool isValidPrefix(const char* s, size_t n) {
  if (s == nullptr || n < 1 || n > kPrefixMax || s[0] == '/' || s[n - 1] == '/') return false;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    if (c == '+' || c == '#' || c == '\0' || static_cast<unsigned char>(c) < 0x20) return false;
    if (c == '/' && s[i + 1] == '/') return false;
  }
  return true;
}

bool buildTopic(char* out, size_t cap, const char* prefix, const char* deviceId, TopicKind kind) {
  if (out == nullptr || cap == 0) return false;
  out[0] = '\0';
  if (prefix == nullptr || deviceId == nullptr) return false;
  const size_t p = std::strlen(prefix), d = std::strlen(deviceId);
  const char* k = nameOf(kind);
  const size_t kn = std::strlen(k);
  if (!isValidPrefix(prefix, p) || !isValidDeviceId(deviceId, d)) return false;
  if (p + 1 + d + 1 + kn + 1 > cap) return false;
  char* w = out;
  std::memcpy(w, prefix, p); w += p; *w++ = '/';
  std::memcpy(w, deviceId, d); w += d; *w++ = '/';
  std::memcpy(w, k, kn); w += kn; *w = '\0';
  return true;
}

}  // namespace smartlock
