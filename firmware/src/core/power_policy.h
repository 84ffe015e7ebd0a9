// Power profiles and the flat-battery rule (docs/protocol.md §13.4; firmware/README.md, "Battery").
//
// Mains: a status every 9 s (kHeartbeatMs), never sleeps, announces no "hb" (the server's mains rule).
// Battery: a status every batteryHeartbeatS (9..300 s, announced as "hb" in v3 statuses so the server's
// offline rule follows it), and between loop passes the radio dozes: LockApp asks the Sleeper for a
// light sleep of at most sleepSliceMs, never past the next heartbeat, and never while the bolt moves,
// an ack waits or a message is queued. The slice bounds how late a command is read.
//
// Flat battery, whatever the profile: at or below lowPercent the lock stops auto-relocking (each relock
// spends a motor move and locks the door again), reports power "LOW" and the issue
// kIssueBatteryLow, so that what is left goes to kReservedUnlocks unlocks. It ends at or above
// clearPercent (new batteries), so a reading that wavers around the threshold does not flap.
#pragma once
#include <cstdint>
#include <optional>

#include "protocol.h"

namespace smartlock {

enum class PowerProfile : uint8_t { Mains, Battery };

// The platform's light sleep. The ESP32 shell turns on Wi-Fi modem sleep (WIFI_PS_MAX_MODEM) once
// and implements lightSleep with esp_sleep_enable_timer_wakeup(ms * 1000) + esp_light_sleep_start();
// the association survives, the broker's keepalive is kept by the next loop pass.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void lightSleep(uint32_t ms) = 0;
};

// How many unlocks the flat-battery threshold keeps charge for (firmware/README.md, "Battery").
constexpr uint16_t kReservedUnlocks = 100;
constexpr const char* kIssueBatteryLow = "Battery low: auto-relock off";

struct PowerConfig {
  PowerProfile profile = PowerProfile::Mains;
  uint16_t batteryHeartbeatS = 60;  // clamped to kHeartbeatMinS..kHeartbeatMaxS
  uint8_t lowPercent = 15;          // at or below: the flat-battery rule
  uint8_t clearPercent = 20;        // at or above: the rule ends
  uint32_t sleepSliceMs = 250;      // the longest single light sleep
};

class PowerPolicy {
 public:
  PowerPolicy(const PowerConfig& config, uint32_t mainsHeartbeatMs);

  PowerProfile profile() const { return c_.profile; }
  uint32_t heartbeatMs() const;
  // What a v3 status carries as "hb": the battery interval; nothing on mains (the server's default).
  std::optional<uint16_t> announcedHeartbeatS() const;
  // Follows a battery reading (none: unchanged). True when the flat-battery rule started or ended.
  bool observe(std::optional<uint8_t> batteryPercent);
  bool low() const { return low_; }
  // LOW under the rule, else what the hardware senses, else BATTERY on the battery profile (a mains
  // lock that senses nothing reports nothing, as before profiles).
  std::optional<Power> reportedPower(std::optional<Power> sensed) const;
  // How long the lock may sleep now: 0 on mains or when busy, else up to the slice and never past
  // the next heartbeat.
  uint32_t sleepBudgetMs(uint32_t untilHeartbeatMs, bool busy) const;

 private:
  PowerConfig c_;
  uint32_t mainsHeartbeatMs_;
  bool low_ = false;
};

}  // namespace smartlock
