#include "led_actuator.h"

namespace smartlock {

const char* nameOf(Indication what) {
  switch (what) {
    case Indication::Locked: return "red (LOCKED)";
    case Indication::Unlocked: return "green (UNLOCKED)";
    case Indication::Moving: return "blink (MOVING)";
    case Indication::Jammed: return "red blink (JAMMED)";
  }
  return "?";
}

void LedActuator::start(Action action) {
  target_ = action;
  moving_ = true;
  startedMs_ = clock_.millis();
  leds_.show(Indication::Moving);
}

MoveState LedActuator::poll() {
  const uint32_t now = clock_.millis();
  leds_.tick(now);
  if (!moving_) return MoveState::Idle;
  if (static_cast<uint32_t>(now - startedMs_) < moveMs_) return MoveState::Moving;
  moving_ = false;
  if (jam_) {
    leds_.show(Indication::Jammed);
    return MoveState::Jammed;
  }
  leds_.show(target_ == Action::Lock ? Indication::Locked : Indication::Unlocked);
  position_ = target_ == Action::Lock ? LockStatus::Locked : LockStatus::Unlocked;
  return MoveState::Done;
}

bool LedActuator::place(Action where) {
  if (moving_) return false;
  position_ = where == Action::Lock ? LockStatus::Locked : LockStatus::Unlocked;
  leds_.show(where == Action::Lock ? Indication::Locked : Indication::Unlocked);
  return true;
}

}  // namespace smartlock
