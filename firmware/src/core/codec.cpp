#include "codec.h"

#include <cstring>
#include <type_traits>

#include "json.h"

namespace smartlock {
namespace {

enum Member : uint8_t {
  kV, kType, kDev, kId, kAction, kCtr, kTs, kBoot, kSeq, kStatus,
  kUptime, kRssi, kBattery, kPower, kIssue, kFw, kAck,
  kDoor, kSrc, kCid, kVers, kVer, kRelock, kLockOpen, kUpd,
  kKey,  // v3 rekey
  kBefore, kKids, kBle,  // v3 blerev; the status's "ble"
  kHb,   // v3 status: the announced heartbeat (docs/protocol.md §13.4)
  kMemberCount
};
constexpr const char* kNames[kMemberCount] = {"v", "type", "dev", "id", "action", "ctr", "ts",
                                             "boot", "seq", "status", "uptime", "rssi", "battery",
                                             "power", "issue", "fw", "ack",
                                             "door", "src", "cid", "vers", "ver", "relock", "lockOpen", "upd",
                                             "key", "before", "kids", "ble", "hb"};
// "boot" is an integer in statuses, hellos and time messages but a string in cfg: IntOrIdent.
// Object is the ack; UpdObject the v3 status's firmware-update progress (docs/protocol.md §14.4).
// Every string member, identifier or free text (issue, fw), follows the one string rule (JsonReader::readString).
enum class Kind : uint8_t { Int, Str, Object, IntOrIdent, UpdObject };
constexpr Kind kKinds[kMemberCount] = {Kind::Int, Kind::Str, Kind::Str, Kind::Str, Kind::Str,
                                       Kind::Int, Kind::Int, Kind::IntOrIdent, Kind::Int, Kind::Str,
                                       Kind::Int, Kind::Int, Kind::Int, Kind::Str, Kind::Str,
                                       Kind::Str, Kind::Object,
                                       Kind::Str, Kind::Str, Kind::Str, Kind::Str, Kind::Int,
                                       Kind::Int, Kind::Str, Kind::UpdObject,
                                       Kind::Str, Kind::Int, Kind::Str, Kind::Str, Kind::Int};
constexpr uint32_t bit(Member m) { return 1u << m; }
constexpr uint32_t kCmdRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kId) | bit(kAction) | bit(kCtr) | bit(kTs);
constexpr uint32_t kStatusRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kBoot) | bit(kSeq) | bit(kStatus) | bit(kCtr) | bit(kTs);
constexpr uint32_t kTimeRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kBoot) | bit(kSeq) | bit(kTs);
constexpr uint32_t kStatusOptional = bit(kUptime) | bit(kRssi) | bit(kBattery) | bit(kPower) | bit(kIssue) | bit(kFw) | bit(kAck);
constexpr uint32_t kStatusV2Required = kStatusRequired | bit(kDoor) | bit(kSrc);
constexpr uint32_t kStatusV2Optional = kStatusOptional | bit(kCid);  // cid: required iff src is REMOTE
constexpr uint32_t kStatusV3Optional = kStatusV2Optional | bit(kUpd) | bit(kBle) | bit(kHb);
constexpr uint32_t kHelloRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kBoot) | bit(kSeq) | bit(kVers) | bit(kTs) | bit(kFw);
constexpr uint32_t kWelcomeRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kVer) | bit(kTs);
constexpr uint32_t kRekeyRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kId) | bit(kCtr) | bit(kTs) | bit(kKey);
constexpr uint32_t kBlerevRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kId) | bit(kCtr) | bit(kTs) | bit(kBefore) | bit(kKids);
static_assert(kMemberCount <= 32, "members are a 32-bit set");
constexpr uint32_t kCfgRequired = bit(kV) | bit(kType) | bit(kDev) | bit(kId) | bit(kCtr) | bit(kTs) | bit(kRelock) | bit(kBoot) | bit(kLockOpen);

// One syntactic pass over B: every member's value kind is checked here, meaning later only.
struct Fields {
  uint32_t seen = 0;
  int64_t ints[kMemberCount] = {};
  StrView strs[kMemberCount];
  uint32_t isString = 0;  // which IntOrIdent members came as strings
  bool ackParsed = false;
  AckFields ack;
  UpdFields upd;
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
    if (!r.readString(name) || !r.consume(':') || !r.readString(value)) return false;
    if (name.equals("id") && !haveId) {
      haveId = isValidCommandId(value.data, value.len) && value.copyTo(out.id, sizeof out.id);
      if (!haveId) return false;
    } else if (name.equals("result") && !haveResult) {
      haveResult = parseAckResult(value.data, value.len, out.result);
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

// {"id":"upd-..","state":"..",["reason":".."]}: a reason exactly with FAILED and ROLLED_BACK.
bool parseUpd(JsonReader& r, UpdFields& out) {
  if (!r.consume('{')) return false;
  bool haveId = false, haveState = false, haveReason = false;
  for (bool first = true; !r.consume('}'); first = false) {
    StrView name, value;
    if ((!first && !r.consume(',')) || !r.readString(name) || !r.consume(':') || !r.readString(value)) {
      return false;
    }
    if (name.equals("id") && !haveId) {
      haveId = value.len > 4 && std::strncmp(value.data, "upd-", 4) == 0 && isValidCommandId(value.data, value.len) &&
               value.copyTo(out.id, sizeof out.id);
      if (!haveId) return false;
    } else if (name.equals("state") && !haveState) {
      haveState = parseUpdState(value.data, value.len, out.state);
      if (!haveState) return false;
    } else if (name.equals("reason") && !haveReason) {
      UpdReason reason;
      haveReason = parseUpdReason(value.data, value.len, reason);
      if (!haveReason) return false;
      out.reason = reason;
    } else {
      return false;  // duplicate or unknown
    }
  }
  return haveId && haveState && haveReason == updStateHasReason(out.state);
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
    if (!r.readString(name) || !r.consume(':')) return false;
    const int m = memberIndex(name);
    if (m < 0 || (f.seen & (1u << m))) return false;  // unknown or duplicate
    f.seen |= 1u << m;
    switch (kKinds[m]) {
      case Kind::Int:
        if (!r.readInt(f.ints[m])) return false;
        break;
      case Kind::Str:
        if (!r.readString(f.strs[m])) return false;
        break;
      case Kind::Object:
        if (!parseAck(r, f.ack)) return false;
        f.ackParsed = true;
        break;
      case Kind::UpdObject:
        if (!parseUpd(r, f.upd)) return false;
        break;
      case Kind::IntOrIdent:
        if (r.peekIs('"')) {
          if (!r.readString(f.strs[m])) return false;
          f.isString |= 1u << m;
        } else if (!r.readInt(f.ints[m])) {
          return false;
        }
        break;
    }
  }
  return r.atEnd();
}

// The verdict order of the protocol: syntax, version, type, device; then the type's members.
std::optional<RejectReason> checkHeader(const Fields& f, MessageType expected, const char* topicDevice, int version) {
  if (!(f.seen & bit(kV)) || !(f.seen & bit(kType)) || !(f.seen & bit(kDev))) return RejectReason::Malformed;
  if (f.ints[kV] != version) return RejectReason::BadVersion;
  if (!f.strs[kType].equals(nameOf(expected))) return RejectReason::WrongType;
  if (topicDevice == nullptr || !f.strs[kDev].equals(topicDevice)) return RejectReason::WrongDevice;
  return std::nullopt;
}

bool inRange(int64_t v, int64_t lo, int64_t hi) { return v >= lo && v <= hi; }

// An integer member (IntOrIdent members must not have come as strings).
bool intIn(const Fields& f, Member m, int64_t lo, int64_t hi) {
  return !(f.isString & bit(m)) && inRange(f.ints[m], lo, hi);
}

bool isVersion(int version) { return isKnownVersion(version); }

// Which shared counters a message type has: boot comes with seq (a cfg's boot is a mode, parsed on its own).
template <typename M, typename = void> constexpr bool kHasBootSeq = false;
template <typename M> constexpr bool kHasBootSeq<M, std::void_t<decltype(M::seq)>> = true;
template <typename M, typename = void> constexpr bool kHasCtr = false;
template <typename M> constexpr bool kHasCtr<M, std::void_t<decltype(M::ctr)>> = true;

// The members messages share, copied once the parser checked them: dev and ts always, boot, seq
// and ctr where the message type has them. dev equals topicDevice, which is a valid id.
template <typename M>
void copyShared(const Fields& f, M& out) {
  f.strs[kDev].copyTo(out.dev, sizeof out.dev);
  if constexpr (kHasBootSeq<M>) {
    out.boot = f.ints[kBoot];
    out.seq = f.ints[kSeq];
  }
  if constexpr (kHasCtr<M>) out.ctr = f.ints[kCtr];
  out.ts = f.ints[kTs];
}

// Kept even from a broken command or cfg: a signed one still deserves a rejection that names it.
void keepId(const Fields& f, char (&id)[kCommandIdMax + 1]) {
  if ((f.seen & bit(kId)) && isValidCommandId(f.strs[kId].data, f.strs[kId].len)) {
    f.strs[kId].copyTo(id, sizeof id);
  }
}

}  // namespace

std::optional<RejectReason> parseCommand(const char* b, size_t n, const char* topicDevice, CommandMessage& out,
                                         int version) {
  out = CommandMessage{};
  Fields f;
  const bool syntaxOk = scan(b, n, f);
  keepId(f, out.id);
  if (!syntaxOk) return RejectReason::Malformed;
  if (!isVersion(version)) return RejectReason::BadVersion;
  if (auto why = checkHeader(f, MessageType::Cmd, topicDevice, version)) return why;
  if (f.seen != kCmdRequired || out.id[0] == '\0') return RejectReason::Malformed;
  if (!parseAction(f.strs[kAction].data, f.strs[kAction].len, out.action)) return RejectReason::Malformed;
  if (!inRange(f.ints[kCtr], 1, kMaxSafeInteger) || !inRange(f.ints[kTs], 0, kMaxSafeInteger)) {
    return RejectReason::Malformed;
  }
  copyShared(f, out);
  return std::nullopt;
}

std::optional<RejectReason> parseStatus(const char* b, size_t n, const char* topicDevice, StatusMessage& out,
                                        int version) {
  out = StatusMessage{};
  Fields f;
  if (!scan(b, n, f)) return RejectReason::Malformed;
  if (!isVersion(version)) return RejectReason::BadVersion;
  if (auto why = checkHeader(f, MessageType::Status, topicDevice, version)) return why;
  const bool v2 = usesPurposeKeys(version);  // v3 statuses are v2's with "v":3
  const uint32_t required = v2 ? kStatusV2Required : kStatusRequired;
  const uint32_t optional = version >= sinceVersion(MessageType::Update) ? kStatusV3Optional
                            : v2                                          ? kStatusV2Optional
                                                                          : kStatusOptional;
  if ((f.seen & required) != required || (f.seen & ~(required | optional))) return RejectReason::Malformed;
  if (!parseLockStatus(f.strs[kStatus].data, f.strs[kStatus].len, out.status) ||
      (!v2 && (out.status == LockStatus::Locking || out.status == LockStatus::Unlocking)) ||
      !intIn(f, kBoot, 1, kMaxSafeInteger) || !inRange(f.ints[kSeq], 1, kMaxSafeInteger) ||
      !inRange(f.ints[kCtr], 0, kMaxSafeInteger) || !inRange(f.ints[kTs], 0, kMaxSafeInteger)) {
    return RejectReason::Malformed;
  }
  copyShared(f, out);
  if (v2) {
    if (!parseDoorState(f.strs[kDoor].data, f.strs[kDoor].len, out.door) ||
        !parseBoltSource(f.strs[kSrc].data, f.strs[kSrc].len, out.src)) {
      return RejectReason::Malformed;
    }
    const bool hasCid = f.seen & bit(kCid);
    if (hasCid != (out.src == BoltSource::Remote)) return RejectReason::Malformed;
    if (hasCid && !(isValidCommandId(f.strs[kCid].data, f.strs[kCid].len) && f.strs[kCid].copyTo(out.cid, sizeof out.cid))) {
      return RejectReason::Malformed;
    }
  }
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
  if (f.seen & bit(kUpd)) out.upd = f.upd;
  if (f.seen & bit(kBle)) {
    BleUse use;
    if (!parseBleUse(f.strs[kBle].data, f.strs[kBle].len, use)) return RejectReason::Malformed;
    out.ble = use;
  }
  if (f.seen & bit(kHb)) {
    if (!inRange(f.ints[kHb], kHeartbeatMinS, kHeartbeatMaxS)) return RejectReason::Malformed;
    out.hb = static_cast<uint16_t>(f.ints[kHb]);
  }
  return std::nullopt;
}

std::optional<RejectReason> parseTime(const char* b, size_t n, const char* topicDevice, TimeMessage& out,
                                      int version) {
  out = TimeMessage{};
  Fields f;
  if (!scan(b, n, f)) return RejectReason::Malformed;
  if (!isVersion(version)) return RejectReason::BadVersion;
  if (auto why = checkHeader(f, MessageType::Time, topicDevice, version)) return why;
  if (f.seen != kTimeRequired || !intIn(f, kBoot, 1, kMaxSafeInteger) ||
      !inRange(f.ints[kSeq], 1, kMaxSafeInteger) || !inRange(f.ints[kTs], 1, kMaxSafeInteger)) {
    return RejectReason::Malformed;
  }
  copyShared(f, out);
  return std::nullopt;
}

std::optional<RejectReason> parseHello(const char* b, size_t n, const char* topicDevice, HelloMessage& out) {
  out = HelloMessage{};
  Fields f;
  if (!scan(b, n, f)) return RejectReason::Malformed;
  if (auto why = checkHeader(f, MessageType::Hello, topicDevice, kProtocolV2)) return why;
  bool speaks2 = false;
  if (f.seen != kHelloRequired || !intIn(f, kBoot, 1, kMaxSafeInteger) || !inRange(f.ints[kSeq], 1, kMaxSafeInteger) ||
      !inRange(f.ints[kTs], 0, kMaxSafeInteger) || !parseVers(f.strs[kVers].data, f.strs[kVers].len, speaks2) ||
      !f.strs[kVers].copyTo(out.vers, sizeof out.vers) || !f.strs[kFw].copyTo(out.fw, sizeof out.fw)) {
    return RejectReason::Malformed;
  }
  copyShared(f, out);
  return std::nullopt;
}

std::optional<RejectReason> parseWelcome(const char* b, size_t n, const char* topicDevice, WelcomeMessage& out) {
  out = WelcomeMessage{};
  Fields f;
  if (!scan(b, n, f)) return RejectReason::Malformed;
  if (auto why = checkHeader(f, MessageType::Welcome, topicDevice, kProtocolV2)) return why;
  if (f.seen != kWelcomeRequired || !inRange(f.ints[kVer], 1, 999) || !inRange(f.ints[kTs], 1, kMaxSafeInteger)) {
    return RejectReason::Malformed;
  }
  copyShared(f, out);
  out.ver = f.ints[kVer];
  return std::nullopt;
}

std::optional<RejectReason> parseCfg(const char* b, size_t n, const char* topicDevice, CfgMessage& out, int version) {
  out = CfgMessage{};
  Fields f;
  const bool syntaxOk = scan(b, n, f);
  keepId(f, out.id);
  if (!syntaxOk) return RejectReason::Malformed;
  if (version < sinceVersion(MessageType::Cfg) || !isVersion(version)) return RejectReason::BadVersion;
  if (auto why = checkHeader(f, MessageType::Cfg, topicDevice, version)) return why;
  if (f.seen != kCfgRequired || out.id[0] == '\0' || !(f.isString & bit(kBoot)) ||
      !parseBootMode(f.strs[kBoot].data, f.strs[kBoot].len, out.boot) ||
      !parseLockOpenPolicy(f.strs[kLockOpen].data, f.strs[kLockOpen].len, out.lockOpen) ||
      !inRange(f.ints[kCtr], 1, kMaxSafeInteger) || !inRange(f.ints[kTs], 0, kMaxSafeInteger) ||
      !inRange(f.ints[kRelock], 0, kRelockMaxS)) {
    return RejectReason::Malformed;
  }
  copyShared(f, out);
  out.relockS = static_cast<uint16_t>(f.ints[kRelock]);
  return std::nullopt;
}

std::optional<RejectReason> parseRekey(const char* b, size_t n, const char* topicDevice, RekeyMessage& out, int version) {
  out = RekeyMessage{};
  Fields f;
  const bool syntaxOk = scan(b, n, f);
  keepId(f, out.id);
  if (!syntaxOk) return RejectReason::Malformed;
  if (version < sinceVersion(MessageType::Rekey) || !isVersion(version)) return RejectReason::BadVersion;
  if (auto why = checkHeader(f, MessageType::Rekey, topicDevice, version)) return why;
  if (f.seen != kRekeyRequired || out.id[0] == '\0' || !inRange(f.ints[kCtr], 1, kMaxSafeInteger) ||
      !inRange(f.ints[kTs], 0, kMaxSafeInteger) || f.strs[kKey].len != 2 * kKeyLen) {
    return RejectReason::Malformed;
  }
  for (size_t i = 0; i < f.strs[kKey].len; ++i) {
    const char c = f.strs[kKey].data[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return RejectReason::Malformed;  // lowercase hex only
  }
  copyShared(f, out);
  f.strs[kKey].copyTo(out.key, sizeof out.key);
  return std::nullopt;
}

std::optional<RejectReason> parseBlerev(const char* b, size_t n, const char* topicDevice, BlerevMessage& out,
                                        int version) {
  out = BlerevMessage{};
  Fields f;
  const bool syntaxOk = scan(b, n, f);
  keepId(f, out.id);
  if (!syntaxOk) return RejectReason::Malformed;
  if (version < sinceVersion(MessageType::Blerev) || !isVersion(version)) return RejectReason::BadVersion;
  if (auto why = checkHeader(f, MessageType::Blerev, topicDevice, version)) return why;
  const StrView& id = f.strs[kId];
  if (f.seen != kBlerevRequired || out.id[0] == '\0' || id.len <= 7 || std::strncmp(id.data, "blerev-", 7) != 0 ||
      !inRange(f.ints[kCtr], 1, kMaxSafeInteger) || !inRange(f.ints[kTs], 0, kMaxSafeInteger) ||
      !inRange(f.ints[kBefore], 0, kMaxSafeInteger) || !parseKidList(f.strs[kKids].data, f.strs[kKids].len, out.list)) {
    return RejectReason::Malformed;
  }
  copyShared(f, out);
  out.list.before = f.ints[kBefore];
  return std::nullopt;
}

}  // namespace smartlock
