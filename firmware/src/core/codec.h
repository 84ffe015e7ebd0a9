// Strict codec for the signed JSON messages of protocols v1, v2 and v3.
//
// Parsing rules (the input is B, the payload with its signature suffix replaced by "}"):
// - one flat JSON object, no insignificant whitespace anywhere (the protocol forbids it);
// - members in any order; a duplicate member, or a member that is not in the schema of that
//   version and type, makes the message malformed: within a version the schema is closed, a lock
//   cannot know what an unknown member means, and the signature is over the exact bytes, so growth
//   goes through a new "v" that is only sent to a peer that announced it in its hello;
// - integers: optional '-', no leading zeros, no fraction or exponent, within [0, 2^53-1]
//   (what the JavaScript server can represent exactly) unless a member says otherwise;
// - identifier strings (type, dev, id, action, status, power, result, door, src, cid, vers, boot
//   of cfg, lockOpen) must not contain escapes; free-text strings (issue, fw, reason) may, and are
//   kept raw (escapes not decoded);
// - order of checks, which decides the verdict: JSON syntax -> "v" -> "type" -> "dev" -> the
//   members of that type. Each parser takes the version it expects ("v" must equal it).
// v2 adds: hello and status (lock -> server), welcome and cfg (server -> lock); cmd and time
// keep their v1 members. v3 is v2 with "v":3 (statuses, cmd, time, cfg) plus its own types;
// hello and welcome stay "v":2 in every version (they negotiate). Nothing allocates: every string lands in a fixed buffer.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "ble_types.h"
#include "protocol.h"
#include "update_types.h"

namespace smartlock {

struct AckFields {
  char id[kCommandIdMax + 1] = {};  // a command id, or in v2 a cfg id (same syntax)
  AckResult result = AckResult::Ok;
  char reason[kReasonMax + 1] = {};  // "" = absent
};

// v3: a status's firmware-update progress, "upd" (docs/protocol.md §14.4).
struct UpdFields {
  char id[kCommandIdMax + 1] = {};
  UpdState state = UpdState::Downloading;
  std::optional<UpdReason> reason;  // present exactly with FAILED and ROLLED_BACK
};

struct CommandMessage {
  char dev[kDeviceIdMax + 1] = {};
  char id[kCommandIdMax + 1] = {};  // filled as soon as it parses, so a rejection can name it
  Action action = Action::Lock;
  int64_t ctr = 0;
  int64_t ts = 0;
};

struct StatusMessage {
  char dev[kDeviceIdMax + 1] = {};
  int64_t boot = 0, seq = 0, ctr = 0, ts = 0;
  LockStatus status = LockStatus::Unknown;
  // v2 only
  DoorState door = DoorState::Unknown;
  BoltSource src = BoltSource::Boot;
  char cid[kCommandIdMax + 1] = {};  // "" unless src is REMOTE
  std::optional<int64_t> uptime;
  std::optional<int32_t> rssi;
  std::optional<uint8_t> battery;
  std::optional<Power> power;
  bool hasIssue = false;
  char issue[kIssueMax + 1] = {};
  bool hasFw = false;
  char fw[kFwMax + 1] = {};
  std::optional<AckFields> ack;
  std::optional<UpdFields> upd;  // v3 only
  std::optional<BleUse> ble;     // v3 only: one offline use (docs/protocol.md §16.6)
  std::optional<uint16_t> hb;    // v3 only (docs/protocol.md §13.4)
};

// The server's time, answering status (boot, seq) of this lock (docs/protocol.md §7a).
struct TimeMessage {
  char dev[kDeviceIdMax + 1] = {};
  int64_t boot = 0, seq = 0, ts = 0;
};

// v2: the lock's announcement after every (re)connect.
struct HelloMessage {
  char dev[kDeviceIdMax + 1] = {};
  int64_t boot = 0, seq = 0, ts = 0;
  char vers[kVersMax + 1] = {};
  char fw[kFwMax + 1] = {};
};

// v2: the server's answer to a hello, naming the version it will speak to this lock.
struct WelcomeMessage {
  char dev[kDeviceIdMax + 1] = {};
  int64_t ver = 0, ts = 0;
};

// v2: lock-side behaviour, applied and persisted by the lock, acknowledged like a command.
struct CfgMessage {
  char dev[kDeviceIdMax + 1] = {};
  char id[kCommandIdMax + 1] = {};  // filled as soon as it parses, so a rejection can name it
  int64_t ctr = 0, ts = 0;
  uint16_t relockS = 0;  // 0 = off
  BootMode boot = BootMode::Stay;
  LockOpenPolicy lockOpen = LockOpenPolicy::Refuse;
};

// v3: the lock's new secret K', encrypted under the current K (docs/protocol.md §13.3). key is the
// 64 lowercase hex digits of K' XOR pad (key_ring.h opens it).
struct RekeyMessage {
  char dev[kDeviceIdMax + 1] = {};
  char id[kCommandIdMax + 1] = {};  // filled as soon as it parses, so a rejection can name it
  int64_t ctr = 0, ts = 0;
  char key[2 * kKeyLen + 1] = {};
};

// v3: the lock's Bluetooth revocation list (docs/protocol.md §16.5), replacing the whole list.
struct BlerevMessage {
  char dev[kDeviceIdMax + 1] = {};
  char id[kCommandIdMax + 1] = {};  // "blerev-..."; filled as soon as it parses, so a rejection can name it
  int64_t ctr = 0, ts = 0;
  BleRevocations list;  // kids and before
};

// Each returns nullopt when B is a well-formed message of that type and version for topicDevice.
std::optional<RejectReason> parseCommand(const char* b, size_t n, const char* topicDevice, CommandMessage& out,
                                         int version = kProtocolVersion);
std::optional<RejectReason> parseStatus(const char* b, size_t n, const char* topicDevice, StatusMessage& out,
                                        int version = kProtocolVersion);
std::optional<RejectReason> parseTime(const char* b, size_t n, const char* topicDevice, TimeMessage& out,
                                      int version = kProtocolVersion);
std::optional<RejectReason> parseHello(const char* b, size_t n, const char* topicDevice, HelloMessage& out);
std::optional<RejectReason> parseWelcome(const char* b, size_t n, const char* topicDevice, WelcomeMessage& out);
std::optional<RejectReason> parseCfg(const char* b, size_t n, const char* topicDevice, CfgMessage& out,
                                     int version = kProtocolV2);
std::optional<RejectReason> parseRekey(const char* b, size_t n, const char* topicDevice, RekeyMessage& out,
                                       int version = kProtocolV3);

std::optional<RejectReason> parseBlerev(const char* b, size_t n, const char* topicDevice, BlerevMessage& out,
                                        int version = kProtocolV3);

// What the lock reports. Optional members are written only when set, in the protocol's order.
struct StatusReport {
  int version = kProtocolVersion;
  int64_t boot = 1, seq = 1;
  LockStatus status = LockStatus::Unknown;  // Locking/Unlocking only in v2
  DoorState door = DoorState::Unknown;      // v2
  BoltSource src = BoltSource::Boot;        // v2
  const char* cid = nullptr;                // v2, required when src is Remote, else ignored
  int64_t ctr = 0;
  int64_t ts = 0;
  std::optional<int64_t> uptime;
  std::optional<int32_t> rssi;
  std::optional<uint8_t> battery;
  std::optional<Power> power;
  std::optional<uint16_t> hb;   // v3 only, kHeartbeatMinS..kHeartbeatMaxS (docs/protocol.md §13.4)
  const char* issue = nullptr;  // nullptr = absent, "" = no issue
  const char* fw = nullptr;
  const AckFields* ack = nullptr;
};

// Writes B (unsigned; member order v,type,dev,boot,seq,status,[door,src,cid,]ctr,ts,uptime,rssi,
// battery,power,hb,issue,fw,ack) into out and returns its length, or 0 if it does not fit in cap
// (NUL included) or breaks the schema of r.version.
size_t buildStatus(const char* dev, const StatusReport& r, char* out, size_t cap);

// Inserts ,"ble":"<kid>.<L|U>.<unix s>" before the closing brace of a status body B of length len
// (docs/protocol.md §16.6; after "upd" when there is one). The new length, or 0 if it does not fit in cap.
size_t appendBle(char* out, size_t len, size_t cap, const BleUse& use);

// hello B (always "v":2): v,type,dev,boot,seq,vers,ts,fw, with vers = spokenVersions(maxVersion).
// fw nullptr is written as "".
size_t buildHello(const char* dev, int64_t boot, int64_t seq, int64_t ts, const char* fw, char* out, size_t cap,
                  int maxVersion = kHighestVersion);

}  // namespace smartlock
