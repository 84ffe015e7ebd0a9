// Strict codec for the signed JSON messages of protocol v1.
//
// Parsing rules (the input is B, the payload with its signature suffix replaced by "}"):
// - one flat JSON object, no insignificant whitespace anywhere (the protocol forbids it);
// - members in any order; a duplicate member, or a member that is not in the v1 schema of
//   cmd or status, makes the message malformed: a v1 lock cannot know what an unknown member
//   means, and the signature is over the exact bytes, so growth goes through a new "v";
// - integers: optional '-', no leading zeros, no fraction or exponent, within [0, 2^53-1]
//   (what the JavaScript server can represent exactly) unless a member says otherwise;
// - identifier strings (type, dev, id, action, status, power, result) must not contain escapes;
//   free-text strings (issue, fw, reason) may, and are kept raw (escapes not decoded);
// - order of checks, which decides the verdict: JSON syntax -> "v" -> "type" -> "dev" -> the
//   members of that type.
// Nothing allocates: every string lands in a fixed buffer sized from protocol.h.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "protocol.h"

namespace smartlock {

struct AckFields {
  char id[kCommandIdMax + 1] = {};
  AckResult result = AckResult::Ok;
  char reason[kReasonMax + 1] = {};  // "" = absent
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
  std::optional<int64_t> uptime;
  std::optional<int32_t> rssi;
  std::optional<uint8_t> battery;
  std::optional<Power> power;
  bool hasIssue = false;
  char issue[kIssueMax + 1] = {};
  bool hasFw = false;
  char fw[kFwMax + 1] = {};
  std::optional<AckFields> ack;
};

// The server's time, answering status (boot, seq) of this lock (docs/protocol.md §7a).
struct TimeMessage {
  char dev[kDeviceIdMax + 1] = {};
  int64_t boot = 0, seq = 0, ts = 0;
};

// Each returns nullopt when B is a well-formed message of that type for topicDevice.
std::optional<RejectReason> parseCommand(const char* b, size_t n, const char* topicDevice, CommandMessage& out);
std::optional<RejectReason> parseStatus(const char* b, size_t n, const char* topicDevice, StatusMessage& out);
std::optional<RejectReason> parseTime(const char* b, size_t n, const char* topicDevice, TimeMessage& out);

// What the lock reports. Optional members are written only when set, in the protocol's order.
struct StatusReport {
  int64_t boot = 1, seq = 1;
  LockStatus status = LockStatus::Unknown;
  int64_t ctr = 0;
  int64_t ts = 0;
  std::optional<int64_t> uptime;
  std::optional<int32_t> rssi;
  std::optional<uint8_t> battery;
  std::optional<Power> power;
  const char* issue = nullptr;  // nullptr = absent, "" = no issue
  const char* fw = nullptr;
  const AckFields* ack = nullptr;
};

// Writes B (unsigned, member order v,type,dev,boot,seq,status,ctr,ts,uptime,rssi,battery,power,
// issue,fw,ack) into out and returns its length, or 0 if it does not fit in cap (NUL included).
size_t buildStatus(const char* dev, const StatusReport& r, char* out, size_t cap);

}  // namespace smartlock
