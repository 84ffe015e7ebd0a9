// Protocol v3 firmware update on the wire (docs/protocol.md, "Firmware updates (v3)"):
//   server -> lock  {"v":3,"type":"update","dev":..,"id":"upd-..","ctr":N,"ts":T,"url":..,"man":..,"msig":..,"sig":..}
//   lock -> server  a status member "upd":{"id":"upd-..","state":"<STATE>"[,"reason":".."]}, after "ack"
// Same parsing rules as codec.h (B without whitespace, closed schema, no duplicates, members in
// any order, verdict order JSON -> v -> type -> dev -> members). Kept apart from codec.cpp so the
// update message can grow without touching the v1/v2 codec.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "command_verifier.h"
#include "firmware_manifest.h"
#include "protocol.h"
#include "update_agent.h"
#include "update_types.h"

namespace smartlock {

constexpr int kUpdateProtocolVersion = kProtocolV3;  // the first version with "update" (sinceVersion)

struct UpdateMessage {
  char dev[kDeviceIdMax + 1] = {};
  char id[kCommandIdMax + 1] = {};  // filled as soon as it parses, so a rejection can name it
  int64_t ctr = 0, ts = 0;
  char url[kUpdateUrlMax + 1] = {};
  char man[kManifestMax + 1] = {};
  char msig[kReleaseSigHexLen + 1] = {};
};

// nullopt when B is a well-formed v3 update for topicDevice. The manifest is checked here only
// for its characters and length; what it says is the UpdateAgent's to judge (after its signature).
std::optional<RejectReason> parseUpdate(const char* b, size_t n, const char* topicDevice, UpdateMessage& out);

// Envelope, signature (ctx.key: the v2/v3 cmd key), members, then ctr (Replay) and, once the
// clock is synced, ts (Stale): exactly a cfg's checks.
struct UpdateVerdict {
  std::optional<RejectReason> reject;  // nullopt = hand it to the UpdateAgent
  bool answerable = false;             // signed and named a valid id
  UpdateMessage update;
};
UpdateVerdict verifyUpdate(const CommandContext& ctx, const char* payload, size_t len);

// The agent's view of a parsed message.
UpdateRequest updateRequestOf(const UpdateMessage& m);

// Inserts ,"upd":{...} before the closing brace of B (a status body of length len in out, whose
// last char is '}'). Returns the new length, or 0 if it would not fit in cap (NUL included) or p
// is not reportable (no id, or a reason where the state takes none or none where it needs one).
size_t appendUpd(char* out, size_t len, size_t cap, const UpdateProgress& p);

bool isValidUpdateId(const char* s, size_t n);  // "upd-" then command-id characters, <= 64
bool isValidImageUrl(const char* s, size_t n);  // http:// or https://, a host, printable, <= 200

}  // namespace smartlock
