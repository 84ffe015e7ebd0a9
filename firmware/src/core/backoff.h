// Reconnect delays: exponential with "full jitter" (a uniform draw in [0, min(cap, base * 2^n)]),
// so a fleet of locks that lost the same broker does not reconnect in lock-step.
#pragma once
#include <cstdint>

#include "ports.h"

namespace smartlock {

class Backoff {
 public:
  Backoff(uint32_t baseMs, uint32_t capMs) : baseMs_(baseMs), capMs_(capMs < baseMs ? baseMs : capMs) {}

  // Delay before the next attempt; each call counts as one more failure.
  uint32_t nextDelayMs(Random& random);
  // The upper bound the next call draws under (for logs and tests).
  uint32_t ceilingMs() const;
  void reset() { attempts_ = 0; }
  uint32_t attempts() const { return attempts_; }

 private:
  uint32_t baseMs_;
  uint32_t capMs_;
  uint32_t attempts_ = 0;
};

}  // namespace smartlock
