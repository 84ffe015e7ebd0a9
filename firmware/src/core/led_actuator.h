// An Actuator whose only output is the indicator: red = locked, green = unlocked, blinking while
// moving. It stands in for the motor on a bare devkit, in Wokwi and in the virtual lock; a real
// motor driver implements Actuator the same way and can share the indicator.
#pragma once
#include <cstdint>
#include <optional>

#include "ports.h"

namespace smartlock {

enum class Indication : uint8_t { Locked, Unlocked, Moving, Jammed };

class LedIndicator {
 public:
  virtual ~LedIndicator() = default;
  virtual void show(Indication what) = 0;  // called on changes only
  virtual void tick(uint32_t /*nowMs*/) {}  // lets GPIO implementations blink
};

const char* nameOf(Indication what);

// It is also the bolt's sensor: it knows where its pretend bolt is (nullopt until told or moved),
// and a hand can turn it (the virtual lock's "turn" control) while it is not moving.
class LedActuator : public Actuator, public BoltSensor {
 public:
  LedActuator(LedIndicator& leds, Clock& clock, uint32_t moveMs) : leds_(leds), clock_(clock), moveMs_(moveMs) {}

  void start(Action action) override;
  MoveState poll() override;
  std::optional<LockStatus> bolt() override { return position_; }
  void setJam(bool jam) { jam_ = jam; }  // every following move fails, to exercise the JAMMED path
  // Where the bolt is at power-on (shown at once), or a turn by hand. False while moving.
  bool place(Action where);

 private:
  LedIndicator& leds_;
  Clock& clock_;
  uint32_t moveMs_;
  bool jam_ = false;
  bool moving_ = false;
  Action target_ = Action::Lock;
  uint32_t startedMs_ = 0;
  std::optional<LockStatus> position_;
};

}  // namespace smartlock
