// Decides whether a cmd payload may move the lock. Pure: the caller supplies the persisted
// counter and the clock reading, and persists the counter itself before actuating.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "codec.h"
#include "signature.h"

namespace smartlock {

struct CommandVerdict {
  std::optional<RejectReason> reject;  // nullopt = execute
  // Only a message that passed the signature check and named a valid id is answered: an
  // unsigned one could be anybody's, and the protocol forbids replying to bad signatures.
  bool answerable = false;
  CommandMessage cmd;
};

struct CommandContext {
  const DeviceKey& key;
  const char* deviceId;               // the device of the topic, i.e. our own id
  uint64_t lastCounter;               // last accepted ctr, as persisted
  std::optional<int64_t> nowUnix;     // nullopt while the clock is not synced
  int version = kProtocolVersion;     // 2 or 3: key is the cmd purpose key and "v" must be version
};

CommandVerdict verifyCommand(const CommandContext& ctx, const char* payload, size_t len);

// Envelope, signature, then the members of a server "time" message for our own device. The
// caller (ServerClock) decides whether its (boot, seq) answers a status it recently sent.
std::optional<RejectReason> verifyTime(const DeviceKey& key, const char* payload, size_t len, const char* deviceId,
                                       TimeMessage& out, int version = kProtocolVersion);

// v2 server messages, verified with the v2 cmd key. A cfg's verdict also covers ctr (Replay) and,
// once the clock is synced, ts (Stale), exactly like a command's.
std::optional<RejectReason> verifyWelcome(const DeviceKey& cmdKey, const char* payload, size_t len,
                                          const char* deviceId, WelcomeMessage& out);
struct CfgVerdict {
  std::optional<RejectReason> reject;  // nullopt = apply
  bool answerable = false;             // signed and named a valid id
  CfgMessage cfg;
};
CfgVerdict verifyCfg(const CommandContext& ctx, const char* payload, size_t len);

// v3 rekey: verified like a cfg (signature, members, ctr, ts); the caller opens the key.
struct RekeyVerdict {
  std::optional<RejectReason> reject;
  bool answerable = false;
  RekeyMessage rekey;
};
RekeyVerdict verifyRekey(const CommandContext& ctx, const char* payload, size_t len);

// v3 blerev: verified like a cfg (signature, members, ctr, ts); the caller persists the list.
struct BlerevVerdict {
  std::optional<RejectReason> reject;
  bool answerable = false;
  BlerevMessage blerev;
};
BlerevVerdict verifyBlerev(const CommandContext& ctx, const char* payload, size_t len);

// Only the signature: whether payload was signed with key (the lock's test for a server that switched secrets).
bool signedWith(const DeviceKey& key, const char* payload, size_t len);

// The vector-level check: envelope, signature, then parse as the expected type. Used by the
// tests and the fuzzer, and by anyone verifying a status (the virtual lock's tools).
// version selects the schema (and so the "v" required): 1, or 2 with the purpose key as key.
std::optional<RejectReason> verifyMessage(const DeviceKey& key, const char* payload, size_t len,
                                          const char* topicDevice, MessageType expected,
                                          int version = kProtocolVersion);

}  // namespace smartlock
