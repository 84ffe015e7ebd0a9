// Boot-loop guard: a lock that resets again and again (a crash, a watchdog, a brownout when the
// motor starts) must not keep driving the bolt. Every boot bumps a persisted run of short boots; a
// boot that stays up windowMs clears it. When the run reaches maxShortBoots, this boot is in safe
// mode: no actuation at all, MQTT and diagnostics only, and the status says so in `issue`. The run
// was cleared by then only if this boot stayed up, so the next reset after that starts normally.
#pragma once
#include <cstdint>

#include "ports.h"

namespace smartlock {

constexpr char kIssueSafeMode[] = "safe mode: boot loop";

struct BootGuardConfig {
  uint8_t maxShortBoots = 5;  // N: this many boots in a row that each ended before windowMs ...
  uint32_t windowMs = 60000;  // M: ... put the lock in safe mode
};

class BootGuard {
 public:
  BootGuard(Storage& storage, const BootGuardConfig& config) : storage_(storage), cfg_(config) {}

  // Counts this boot as a short one until it proves otherwise. Returns true for safe mode.
  bool begin();
  // With the time since begin(): once windowMs have passed, this boot was not short (cleared once).
  void poll(uint64_t uptimeMs);

  bool safeMode() const { return safe_; }
  uint64_t shortBoots() const { return run_; }  // including this one, until cleared

 private:
  Storage& storage_;
  BootGuardConfig cfg_;
  uint64_t run_ = 0;
  bool safe_ = false;
  bool cleared_ = false;
};

}  // namespace smartlock
