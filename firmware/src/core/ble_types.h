// Bluetooth offline keys (docs/protocol.md §16): the vocabulary shared by the codec (the v3 message
// "blerev" and the status member "ble"), the lock controller and ble_access.h.
#pragma once
#include <cstddef>
#include <cstdint>

#include "protocol.h"

namespace smartlock {

// GATT (the lock is the peripheral).
constexpr const char* kBleServiceUuid = "011d9a56-712b-4fb3-8c53-227cafb83176";
constexpr const char* kBleChallengeUuid = "3ca6911f-0df8-4095-b4d9-1eb1faaec813";  // read
constexpr const char* kBleRequestUuid = "4fac3ed9-466d-4436-ac93-eeeaf7877db5";    // write with response
constexpr const char* kBleResultUuid = "e6d740e2-e475-42d7-9326-d1625bf8fc7a";     // read + notify

constexpr size_t kBleRequestMax = 400;   // a longer write is malformed
constexpr size_t kBleMessageMax = 320;   // room for any challenge or result the lock writes
constexpr uint32_t kBleNonceMs = 30000;  // a challenge is good for one request within 30 s
constexpr int64_t kBleMaxWindowS = 43200;  // na - nb: hours, not weeks (revocation is not instant)
constexpr int64_t kBleEarlyS = 60;         // a key may be used this early (clock drift)
constexpr size_t kBleRevokedMax = 32;      // kids in one blerev
constexpr size_t kBleUseQueue = 16;        // offline uses waiting to be reported
constexpr size_t kBleKidHexLen = 16;
constexpr size_t kBleNonceLen = 16;  // bytes; 32 hex on the wire
// "ble":"<kid>.<L|U>.<unix s>"
constexpr size_t kBleUseMax = kBleKidHexLen + 3 + 16;

// The lock's answer to a request, in the order the checks run (§16.4). Ok actuated.
enum class BleVerdict : uint8_t {
  Ok, Malformed, WrongDevice, BadNonce, BadSignature, NoClock, NotYet, Expired, Revoked, NotAllowed,
  SafeMode, Busy, DoorOpen,
};
const char* nameOf(BleVerdict v);  // "ok", "malformed", "wrong_device", ...

// The server's revocation list as the lock keeps it: every kid listed, and every key whose nb is
// before `before` (0: none), is refused.
struct BleRevocations {
  uint64_t kids[kBleRevokedMax] = {};
  size_t count = 0;
  int64_t before = 0;
  bool revokes(uint64_t kid, int64_t nb) const;
};

// Whoever keeps the list: persists it before it applies (false: it could not be stored, nothing changed).
class BleRevocationStore {
 public:
  virtual ~BleRevocationStore() = default;
  virtual bool replaceRevocations(const BleRevocations& list) = 0;
};

// One accepted offline use, reported as the v3 status member "ble".
struct BleUse {
  uint64_t kid = 0;
  Action op = Action::Unlock;
  int64_t at = 0;  // the lock's unix seconds
};

// 16 lowercase hex digits <-> the kid's 8 bytes, big-endian.
bool parseKid(const char* s, size_t n, uint64_t& out);
void kidHex(uint64_t kid, char (&out)[kBleKidHexLen + 1]);
// "kid,kid,...": at most kBleRevokedMax kids, "" for none.
bool parseKidList(const char* s, size_t n, BleRevocations& out);
// "<kid>.<L|U>.<unix s>" (unix s: 0..2^53-1, no leading zeros). False if out is too small.
bool formatBleUse(const BleUse& use, char* out, size_t cap);
bool parseBleUse(const char* s, size_t n, BleUse& out);

}  // namespace smartlock
