// Protocol v3 firmware-update vocabulary: the "upd" status member's states and reasons
// (docs/protocol.md, "Firmware updates (v3)").
#pragma once
#include <cstddef>
#include <cstdint>

#include "protocol.h"

namespace smartlock {

constexpr uint32_t kTrialWelcomeMs = 300000;  // a trial image not welcomed within 5 min rolls back
constexpr uint8_t kUpdateBatteryMin = 20;     // percent; below it no update starts
constexpr size_t kUpdateUrlMax = 200;

enum class UpdState : uint8_t { Downloading, Verifying, Rebooting, Trial, Confirmed, Failed, RolledBack };
enum class UpdReason : uint8_t {
  None,
  BadSignature,  // the manifest's release signature does not check (or the manifest is malformed)
  WrongHw,
  Downgrade,     // manifest arc below the lock's stored arc
  TooBig,
  Busy,          // bolt moving, or another update under way
  BatteryLow,
  Download,
  Truncated,
  BadHash,
  Flash,
  NoWelcome,
  Crash,
};

const char* nameOf(UpdState s);    // "DOWNLOADING", ...
const char* nameOf(UpdReason r);   // "bad_signature", ...; "" for None
bool parseUpdState(const char* s, size_t n, UpdState& out);
bool parseUpdReason(const char* s, size_t n, UpdReason& out);  // never None
// FAILED and ROLLED_BACK carry a reason, the others must not.
inline bool updStateHasReason(UpdState s) { return s == UpdState::Failed || s == UpdState::RolledBack; }

}  // namespace smartlock
