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
  }
  return "?";
}

const char* nameOf(Action a) { return a == Action::Lock ? "LOCK" : "UNLOCK"; }

const char* nameOf(LockStatus s) {
  switch (s) {
    case LockStatus::Locked: return "LOCKED";
    case LockStatus::Unlocked: return "UNLOCKED";
    case LockStatus::Jammed: return "JAMMED";
    case LockStatus::Unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

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
  }
  return "?";
}

const char* ackReason(RejectReason r) {
  switch (r) {
    case RejectReason::Replay: return "replay";
    case RejectReason::Stale: return "stale";
    case RejectReason::Busy: return "busy";
    case RejectReason::Storage: return "storage";
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
  for (LockStatus v : {LockStatus::Locked, LockStatus::Unlocked, LockStatus::Jammed, LockStatus::Unknown}) {
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
