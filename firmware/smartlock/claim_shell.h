// The ESP32's side of claiming (docs/protocol.md §15, firmware/README.md "Claiming"): the factory
// identity (made once, kept in NVS), its code on the serial port while the lock is unclaimed, the
// core's UnclaimedApp when a broker is known, and the long press that factory-resets the lock.
#pragma once
#include <Arduino.h>

#include "claim_code.h"
#include "unclaimed_app.h"

#ifndef CLAIM_RESET_PIN
#define CLAIM_RESET_PIN 0  // the devkit's BOOT button, active low
#endif

namespace claimshell {

constexpr uint32_t kLongPressMs = 5000;

// Loads the factory identity, or makes and stores one at the very first start.
inline bool factoryIdentity(smartlock::Storage& storage, smartlock::Random& random, smartlock::FactoryIdentity& id) {
  if (smartlock::loadFactoryIdentity(storage, id)) return true;
  id = smartlock::newFactoryIdentity(random);
  return smartlock::storeFactoryIdentity(storage, id);
}

inline void printCode(const smartlock::FactoryIdentity& id) {
  char code[smartlock::kClaimCodeLen + 1];
  if (smartlock::formatClaimCode(id, code)) Serial.printf("[claim] unclaimed; code %s\n", code);
}

// Call from loop(): true once the button has been held for kLongPressMs (then factory-reset).
class LongPress {
 public:
  void begin() { pinMode(CLAIM_RESET_PIN, INPUT_PULLUP); }
  bool held() {
    const bool down = digitalRead(CLAIM_RESET_PIN) == LOW;
    const uint32_t now = millis();
    if (!down) {
      since_ = 0;
      return false;
    }
    if (since_ == 0) since_ = now == 0 ? 1 : now;
    return now - since_ >= kLongPressMs;
  }

 private:
  uint32_t since_ = 0;
};

}  // namespace claimshell
