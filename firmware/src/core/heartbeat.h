// When to publish a status: every period, and at once when something changed.
#pragma once
#include <cstdint>

namespace smartlock {

class Heartbeat {
 public:
  explicit Heartbeat(uint32_t periodMs) : periodMs_(periodMs) {}

  void requestNow() { pending_ = true; }
  bool due(uint32_t nowMs) const {
    return pending_ || !everSent_ || static_cast<uint32_t>(nowMs - lastMs_) >= periodMs_;
  }
  // The next beat counts from the last status actually sent, whatever triggered it.
  void sent(uint32_t nowMs) {
    lastMs_ = nowMs;
    everSent_ = true;
    pending_ = false;
  }
  uint32_t periodMs() const { return periodMs_; }
  // 0 when due; else how long until the period runs out (a light sleep must not pass it).
  uint32_t untilDueMs(uint32_t nowMs) const {
    if (due(nowMs)) return 0;
    return periodMs_ - static_cast<uint32_t>(nowMs - lastMs_);
  }

 private:
  uint32_t periodMs_;
  uint32_t lastMs_ = 0;
  bool everSent_ = false;
  bool pending_ = false;
};

}  // namespace smartlock
