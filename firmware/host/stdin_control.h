// The virtual lock's hands: one command per line on stdin, so a test (or a person) can open and
// close the door and turn the bolt by hand while the lock runs.
//   door open | door closed        the door sensor's reading (door close also works)
//   turn lock | turn unlock        the thumb-turn (refused while the motor moves)
//   factory reset                  the long press: the lock forgets K and waits to be claimed
//   ble-challenge | ble-request <json>   the Bluetooth characteristics (virtual_lock.cpp, via extra)
// Each accepted line is echoed on stderr as "[hand] ..."; stdin at EOF (e.g. /dev/null) is ignored.
#pragma once
#include <functional>
#include <string>

#include "led_actuator.h"
#include "ports.h"

namespace host {

class VirtualDoor : public smartlock::DoorSensor {
 public:
  smartlock::DoorState door() override { return state_; }
  void set(smartlock::DoorState s) { state_ = s; }

 private:
  smartlock::DoorState state_ = smartlock::DoorState::Closed;
};

class StdinControl {
 public:
  // door may be nullptr (the lock has no door sensor: "door ..." lines are refused).
  StdinControl(VirtualDoor* door, smartlock::LedActuator& bolt) : door_(door), bolt_(bolt) {}
  void poll();                           // never blocks
  bool apply(const std::string& line);   // one command; false (and a message) if unusable
  // More commands (e.g. the update's "crash next image"): true if it took the line.
  std::function<bool(const std::string&)> extra;
  bool takeResetRequest() {             // true once per "factory reset" line
    const bool r = resetRequested_;
    resetRequested_ = false;
    return r;
  }

 private:
  VirtualDoor* door_;
  smartlock::LedActuator& bolt_;
  std::string pending_;
  bool eof_ = false;
  bool resetRequested_ = false;
};

}  // namespace host
