// Protocols v1, v2 and v3: the one typed contract shared by the lock core, the host tools and the tests.
// Mirrors /docs/protocol.md; a change here is a wire change and needs a protocol version bump.
#pragma once
#include <cstddef>
#include <cstdint>

namespace smartlock {

constexpr int kProtocolVersion = 1;  // v1: what every lock speaks until a server welcomes it into v2
constexpr int kProtocolV2 = 2;
constexpr int kProtocolV3 = 3;  // v2 on the wire plus new message types (docs/protocol.md §13)
constexpr int kHighestVersion = kProtocolV3;
constexpr const char* kSpokenVersions = "1,2,3";  // the hello's "vers" of a lock that speaks up to kHighestVersion
// "vers" for a lock configured to speak up to maxVersion: "1", "1,2" or "1,2,3" (nullptr if unknown).
const char* spokenVersions(int maxVersion);
// Every version from v2 on signs with the HKDF purpose keys and has the v2 members (door, src, ...).
constexpr bool usesPurposeKeys(int version) { return version >= kProtocolV2 && version <= kHighestVersion; }
constexpr bool isKnownVersion(int version) { return version >= kProtocolVersion && version <= kHighestVersion; }
constexpr size_t kVersMax = 32;
constexpr int64_t kRelockMaxS = 3600;
// A v2 lock repeats its hello until welcomed: 10 s, 20 s, 40 s, ... at most 10 min.
constexpr uint32_t kHelloFirstRetryMs = 10000;
constexpr uint32_t kHelloMaxRetryMs = 600000;

// Limits. Every buffer on the parsing path is sized from these, so hostile input cannot grow memory.
constexpr size_t kMaxPayload = 1024;      // larger MQTT payloads are dropped unread
constexpr size_t kDeviceIdMin = 3;
constexpr size_t kDeviceIdMax = 64;       // ^[A-Za-z0-9_-]{3,64}$
constexpr size_t kCommandIdMax = 64;      // ^[A-Za-z0-9-]{1,64}$
constexpr size_t kIssueMax = 64;
constexpr size_t kFwMax = 32;
constexpr size_t kReasonMax = 32;
constexpr size_t kPrefixMax = 64;
constexpr size_t kSigHexLen = 64;
constexpr size_t kKeyLen = 32;  // a device secret K, and every purpose key
constexpr size_t kMaxTopic = kPrefixMax + 1 + kDeviceIdMax + 1 + 12 + 1;  // "availability" is 12
// Integers travel through JavaScript on the server: keep them exactly representable there.
constexpr int64_t kMaxSafeInteger = 9007199254740991LL;  // 2^53 - 1

// Timing (docs/protocol.md §7, "Availability and timing").
constexpr int64_t kMaxClockSkewS = 30;
constexpr uint32_t kHeartbeatMs = 9000;
// The v3 status member "hb" (docs/protocol.md §13.4): the heartbeat a lock announces, in seconds.
constexpr uint16_t kHeartbeatMinS = 9;
constexpr uint16_t kHeartbeatMaxS = 300;
constexpr uint16_t kKeepAliveS = 10;  // <= 15 s so a dead lock's will fires within ~22 s
// A server "time" message is taken only if it answers a status this lock sent at most this long
// ago (by its monotonic clock), so a recorded one cannot set the clock back later (§7a).
constexpr uint32_t kTimeAnswerWindowMs = 30000;

enum class TopicKind : uint8_t { Cmd, Status, Availability };
enum class MessageType : uint8_t { Cmd, Status, Time, Hello, Welcome, Cfg, Update, Rekey, Blerev };
// The first version a message type exists in (a new v3 type: add it to MessageType, nameOf and here).
// hello and welcome always travel as "v":2: they negotiate, so they cannot depend on the result.
int sinceVersion(MessageType t);
enum class Action : uint8_t { Lock, Unlock };
// Locking/Unlocking exist only in v2 statuses; a v1 status reports the last settled state instead.
enum class LockStatus : uint8_t { Locked, Unlocked, Jammed, Unknown, Locking, Unlocking };
enum class DoorState : uint8_t { Open, Closed, Unknown };  // Unknown = the lock has no door sensor
// What caused the last bolt change (v2 "src"); Remote carries the command id as "cid".
enum class BoltSource : uint8_t { Remote, Manual, Auto, Ble, Boot };
enum class BootMode : uint8_t { Stay, Lock };          // cfg "boot"
enum class LockOpenPolicy : uint8_t { Refuse, Allow };  // cfg "lockOpen"
enum class Power : uint8_t { Mains, Battery, Low };
enum class AckResult : uint8_t { Ok, Rejected, Failed };

// Why a message was not accepted. The first six are also the verdicts of docs/protocol-vectors.json.
enum class RejectReason : uint8_t {
  Malformed,     // envelope, JSON or member constraints broken (no reply if the signature was not checked)
  BadSignature,  // HMAC mismatch: dropped silently, never answered
  BadVersion,    // signed, but "v" is not 1
  WrongType,     // signed, but "type" is not the one expected on this topic
  WrongDevice,   // signed, but "dev" is not the device of the topic
  Replay,        // ctr <= last accepted ctr
  Stale,         // clock synced and |now - ts| > 30 s
  Busy,          // the actuator is still moving; the counter is not consumed
  Storage,       // the counter could not be persisted, so the lock refuses to move
  DoorOpen,      // LOCK while the door is open and cfg lockOpen is REFUSE (the default)
};

const char* nameOf(TopicKind k);
const char* nameOf(MessageType t);
const char* nameOf(Action a);
const char* nameOf(LockStatus s);
const char* nameOf(Power p);
const char* nameOf(AckResult r);
const char* nameOf(DoorState d);
const char* nameOf(BoltSource s);
const char* nameOf(BootMode m);
const char* nameOf(LockOpenPolicy p);
const char* nameOf(RejectReason r);  // snake_case name, as in the vectors ("bad_signature")
// The reason carried in a status ack; protocol names replay, stale and malformed.
const char* ackReason(RejectReason r);

bool parseAction(const char* s, size_t n, Action& out);
bool parseLockStatus(const char* s, size_t n, LockStatus& out);
bool parsePower(const char* s, size_t n, Power& out);
bool parseAckResult(const char* s, size_t n, AckResult& out);
bool parseDoorState(const char* s, size_t n, DoorState& out);
bool parseBoltSource(const char* s, size_t n, BoltSource& out);
bool parseBootMode(const char* s, size_t n, BootMode& out);
bool parseLockOpenPolicy(const char* s, size_t n, LockOpenPolicy& out);
// "vers": 1..8 positive integers of at most 3 digits, no leading zeros, strictly ascending,
// separated by single commas (^[1-9][0-9]{0,2}(,[1-9][0-9]{0,2}){0,7}$). Sets speaks2 when 2 is among them.
bool parseVers(const char* s, size_t n, bool& speaks2);

bool isValidDeviceId(const char* s, size_t n);
bool isValidCommandId(const char* s, size_t n);
bool isValidPrefix(const char* s, size_t n);  // 1..64 chars, no MQTT wildcards, no empty levels

// Writes "<prefix>/<deviceId>/<kind>" into out (NUL-terminated). False when inputs are invalid or
// do not fit, in which case out is an empty string.
bool buildTopic(char* out, size_t cap, const char* prefix, const char* deviceId, TopicKind kind);

}  // namespace smartlock
