#include "codec.h"

#include <cstring>

#include "json.h"

namespace smartlock {
namespace {

enum Member : uint8_t {
  kV, kType, kDev, kId, kAction, kCtr, kTs, kBoot, kSeq, kStatus,
  kUptime, kRssi, kBattery, kPower, kIssue, kFw, kAck, kMemberCount
};
constexpr const char* kNames[kMemberCount] = {"v", "type", "dev", "id", "action", "ctr", "ts",
                                             "boot", "seq", "status", "uptime", "rssi", "battery",
                                             "power", "issue", "fw", "ack"};
enum class Kind : uint8_t { Int, Ident, Text, Object };
constexpr Kind kKinds[kMemberCount] = {Kind::Int, Kind::Ident, Kind::Ident, Kind::Ident, Kind::Ident,
                                       Kind::Int, Kind::Int, Kind::Int, Kind::Int, Kind::Ident,
                                       Kind::Int, Kind::Int, Kind::Int, Kind::Ident, Kind::Text,
                                       Kind::Text, Kind::Object};
constexpr uint32_t bit(Member m) { return 1u << m; }
constexpr uint32_t kCmdRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kId) | bit(kAction) | bit(kCtr) | bit(kTs);
constexpr uint32_t kStatusRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kBoot) | bit(kSeq) | bit(kStatus) | bit(kCtr) | bit(kTs);
constexpr uint32_t kTimeRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kBoot) | bit(kSeq) | bit(kTs);
constexpr uint32_t kStatusOptional = bit(kUptime) | bit(kRssi) | bit(kBattery) | bit(kPower) | bit(kIssue) | bit(kFw) | bit(kAck);

// One syntactic pass over B: every member's value kind is checked here, meaning later only.
struct Fields {
  uint32_t seen = 0;
  int64_t ints[kMemberCount] = {};
  StrView strs[kMemberCount];
  bool ackParsed = false;
  AckFields ack;
};

int memberIndex(const StrView& name) {
  for (int i = 0; i < kMemberCount; ++i) {
    if (name.equals(kNames[i])) return i;
  }
  return -1;
}

bool parseAck(JsonReader& r, AckFields& out) {
  if (!r.consume('{')) return false;
  bool haveId = false, haveResult = false, haveReason = false;
  bool first = true;
  while (!r.consume('}')) {
    if (!first && !r.consume(',')) return false;
    first = false;
    StrView name, value;
    bool esc = false;
    if (!r.readString(name, esc) || esc || !r.consume(':') || !r.readString(value, esc)) return false;
    if (name.equals("id") && !haveId) {
      haveId = !esc && isValidCommandId(value.data, value.len) && value.copyTo(out.id, sizeof out.id);
      if (!haveId) return false;
    } else if (name.equals("result") && !haveResult) {
      haveResult = !esc && parseAckResult(value.data, value.len, out.result);
      if (!haveResult) return false;
    } else if (name.equals("reason") && !haveReason) {
      haveReason = value.copyTo(out.reason, sizeof out.reason);
      if (!haveReason) return false;
    } else {
      return false;  // duplicate or unknown
    }
  }
  return haveId && haveResult;
}

bool scan(const char* b, size_t n, Fields& f) {
  if (b == nullptr || n > kMaxPayload) return false;
  JsonReader r(b, n);
  if (!r.consume('{')) return false;
  bool first = true;
  while (!r.consume('}')) {
    if (!first && !r.consume(',')) return false;
    first = false;
    StrView name;
    bool esc = false;
    if (!r.readString(name, esc) || esc || !r.consume(':')) return false;
    const int m = memberIndex(name);
    if (m < 0 || (f.seen & (1u << m))) return false;  // unknown or duplicate
    f.seen |= 1u << m;
    switch (kKinds[m]) {
      case Kind::Int:
        if (!r.readInt(f.ints[m])) return false;
        break;
      case Kind::Ident:
        if (!r.readString(f.strs[m], esc) || esc) return false;
        break;
      case Kind::Text:
        if (!r.readString(f.strs[m], esc)) return false;
        break;
      case Kind::Object:
        if (!parseAck(r, f.ack)) return false;
        f.ackParsed = true;
        break;
    }
  }
  return r.atEnd();
}

// The verdict order of the protocol: syntax, version, type, device; then the type's members.
std::optional<RejectReason> checkHeader(const Fields& f, MessageType expected, const char* topicDevice) {
  if (!(f.seen & bit(kV)) || !(f.seen & bit(kType)) || !(f.seen & bit(kDev))) return RejectReason::Malformed;
  if (f.ints[kV] != kProtocolVersion) return RejectReason::BadVersion;
  if (!f.strs[kType].equals(nameOf(expected))) return RejectReason::WrongType;
  if (topicDevice == nullptr || !f.strs[kDev].equals(topicDevice)) return RejectReason::WrongDevice;
  return std::nullopt;
}

bool inRange(int64_t v, int64_t lo, int64_t hi) { return v >= lo && v <= hi; }

}  // namespace

std::optional<RejectReason> parseCommand(const char* b, size_t n, const char* topicDevice, CommandMessage& out) {
  out = CommandMessage{};
  Fields f;
  const bool syntaxOk = scan(b, n, f);
  // Keep the id even from a broken command: a signed one still deserves a named rejection.
  if ((f.seen & bit(kId)) && isValidCommandId(f.strs[kId].data, f.strs[kId].len)) {
    f.strs[kId].copyTo(out.id, sizeof out.id);
  }
  if (!syntaxOk) return RejectReason::Malformed;
  if (auto why = checkHeader(f, MessageType::Cmd, topicDevice)) return why;
  if (f.seen != kCmdRequired || out.id[0] == '\0') return RejectReason::Malformed;
  if (!parseAction(f.strs[kAction].data, f.strs[kAction].len, out.action)) return RejectReason::Malformed;
  if (!inRange(f.ints[kCtr], 1, kMaxSafeInteger) || !inRange(f.ints[kTs], 0, kMaxSafeInteger)) {
    return RejectReason::Malformed;
  }
  f.strs[kDev].copyTo(out.dev, sizeof out.dev);  // equals topicDevice, which is a valid id
  out.ctr = f.ints[kCtr];
  out.ts = f.ints[kTs];
  return std::nullopt;
}

std::optional<RejectReason> parseStatus(const char* b, size_t n, const char* topicDevice, StatusMessage& out) {
  out = StatusMessage{};
  Fields f;
  if (!scan(b, n, f)) return RejectReason::Malformed;
  if (auto why = checkHeader(f, MessageType::Status, topicDevice)) return why;
  if ((f.seen & kStatusRequired) != kStatusRequired || (f.seen & ~(kStatusRequired | kStatusOptional))) {
    return RejectReason::Malformed;
  }
  if (!parseLockStatus(f.strs[kStatus].data, f.strs[kStatus].len, out.status) ||
      !inRange(f.ints[kBoot], 1, kMaxSafeInteger) || !inRange(f.ints[kSeq], 1, kMaxSafeInteger) ||
      !inRange(f.ints[kCtr], 0, kMaxSafeInteger) || !inRange(f.ints[kTs], 0, kMaxSafeInteger)) {
    return RejectReason::Malformed;
  }
  f.strs[kDev].copyTo(out.dev, sizeof out.dev);
  out.boot = f.ints[kBoot];
  out.seq = f.ints[kSeq];
  out.ctr = f.ints[kCtr];
  out.ts = f.ints[kTs];
  if (f.seen & bit(kUptime)) {
    if (!inRange(f.ints[kUptime], 0, kMaxSafeInteger)) return RejectReason::Malformed;
    out.uptime = f.ints[kUptime];
  }
  if (f.seen & bit(kRssi)) {
    if (!inRange(f.ints[kRssi], -200, 0)) return RejectReason::Malformed;
    out.rssi = static_cast<int32_t>(f.ints[kRssi]);
  }
  if (f.seen & bit(kBattery)) {
    if (!inRange(f.ints[kBattery], 0, 100)) return RejectReason::Malformed;
    out.battery = static_cast<uint8_t>(f.ints[kBattery]);
  }
  if (f.seen & bit(kPower)) {
    Power p;
    if (!parsePower(f.strs[kPower].data, f.strs[kPower].len, p)) return RejectReason::Malformed;
    out.power = p;
  }
  if (f.seen & bit(kIssue)) {
    out.hasIssue = f.strs[kIssue].copyTo(out.issue, sizeof out.issue);
    if (!out.hasIssue) return RejectReason::Malformed;
  }
  if (f.seen & bit(kFw)) {
    out.hasFw = f.strs[kFw].copyTo(out.fw, sizeof out.fw);
    if (!out.hasFw) return RejectReason::Malformed;
  }
  if (f.ackParsed) out.ack = f.ack;
  return std::nullopt;
}

std::optional<RejectReason> parseTime(const char* b, size_t n, const char* topicDevice, TimeMessage& out) {
  out = TimeMessage{};
  Fields f;
  if (!scan(b, n, f)) return RejectReason::Malformed;
  if (auto why = checkHeader(f, MessageType::Time, topicDevice)) return why;
  if (f.seen != kTimeRequired || !inRange(f.ints[kBoot], 1, kMaxSafeInteger) ||
      !inRange(f.ints[kSeq], 1, kMaxSafeInteger) || !inRange(f.ints[kTs], 1, kMaxSafeInteger)) {
    return RejectReason::Malformed;
  }
  f.strs[kDev].copyTo(out.dev, sizeof out.dev);
  out.boot = f.ints[kBoot];
  out.seq = f.ints[kSeq];
  out.ts = f.ints[kTs];
  return std::nullopt;
}

size_t buildStatus(const char* dev, const StatusReport& r, char* out, size_t cap) {
  if (dev == nullptr || !isValidDeviceId(dev, std::strlen(dev))) return 0;
  if (r.issue != nullptr && std::strlen(r.issue) > kIssueMax) return 0;
  if (r.fw != nullptr && std::strlen(r.fw) > kFwMax) return 0;
  JsonWriter w(out, cap);
  w.open().key("v").num(kProtocolVersion).key("type").str("status").key("dev").str(dev);
  w.key("boot").num(r.boot).key("seq").num(r.seq).key("status").str(nameOf(r.status));
  w.key("ctr").num(r.ctr).key("ts").num(r.ts);
  if (r.uptime) w.key("uptime").num(*r.uptime);
  if (r.rssi) w.key("rssi").num(*r.rssi);
  if (r.battery) w.key("battery").num(*r.battery);
  if (r.power) w.key("power").str(nameOf(*r.power));
  if (r.issue) w.key("issue").str(r.issue);
  if (r.fw) w.key("fw").str(r.fw);
  if (r.ack) {
    if (std::strlen(r.ack->reason) > kReasonMax) return 0;
    w.key("ack").open().key("id").str(r.ack->id).key("result").str(nameOf(r.ack->result));
    if (r.ack->reason[0] != '\0') w.key("reason").str(r.ack->reason);
    w.close();
  }
  w.close();
  return w.length();
}

}  // namespace smartlock
