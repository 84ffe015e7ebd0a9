// The lock-side behaviour a v2 server configures with a signed cfg message, and its persistence.
// Packed into one Storage value so a power cut mid-write leaves the old or the new settings,
// never half of each.
#pragma once
#include <cstdint>

#include "ports.h"
#include "protocol.h"

namespace smartlock {

constexpr const char* kSettingsKey = "cfg";

struct LockSettings {
  uint16_t relockS = 0;                              // 0 = no auto-relock
  BootMode boot = BootMode::Stay;                    // a power blip must not lock people out
  LockOpenPolicy lockOpen = LockOpenPolicy::Refuse;  // never throw the bolt into an open door
  bool operator==(const LockSettings& o) const {
    return relockS == o.relockS && boot == o.boot && lockOpen == o.lockOpen;
  }
};

// Defaults when nothing (or something unreadable) was stored.
LockSettings loadSettings(Storage& storage);
bool storeSettings(Storage& storage, const LockSettings& s);

}  // namespace smartlock
