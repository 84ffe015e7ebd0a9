#include "power_policy.h"

namespace smartlock {

namespace {
uint16_t clampHeartbeat(uint16_t s) { return s < kHeartbeatMinS ? kHeartbeatMinS : s > kHeartbeatMaxS ? kHeartbeatMaxS : s; }
}  // namespace

PowerPolicy::PowerPolicy(const PowerConfig& config, uint32_t mainsHeartbeatMs) : c_(config), mainsHeartbeatMs_(mainsHeartbeatMs) {
  c_.batteryHeartbeatS = clampHeartbeat(c_.batteryHeartbeatS);
  if (c_.clearPercent <= c_.lowPercent) c_.clearPercent = static_cast<uint8_t>(c_.lowPercent + 1);
}

uint32_t PowerPolicy::heartbeatMs() const {
  return c_.profile == PowerProfile::Battery ? static_cast<uint32_t>(c_.batteryHeartbeatS) * 1000u : mainsHeartbeatMs_;
}

std::optional<uint16_t> PowerPolicy::announcedHeartbeatS() const {
  if (c_.profile != PowerProfile::Battery) return std::nullopt;
  return c_.batteryHeartbeatS;
}

bool PowerPolicy::observe(std::optional<uint8_t> batteryPercent) {
  if (!batteryPercent) return false;
  const bool was = low_;
  if (*batteryPercent <= c_.lowPercent) low_ = true;
  if (*batteryPercent >= c_.clearPercent) low_ = false;
  return low_ != was;
}

std::optional<Power> PowerPolicy::reportedPower(std::optional<Power> sensed) const {
  if (low_) return Power::Low;
  if (sensed) return sensed;
  if (c_.profile == PowerProfile::Battery) return Power::Battery;
  return std::nullopt;
}

uint32_t PowerPolicy::sleepBudgetMs(uint32_t untilHeartbeatMs, bool busy) const {
  if (c_.profile != PowerProfile::Battery || busy) return 0;
  return untilHeartbeatMs < c_.sleepSliceMs ? untilHeartbeatMs : c_.sleepSliceMs;
}

}  // namespace smartlock
