#include <doctest/doctest.h>

#include "fakes.h"
#include "printers.h"

using namespace smartlock;
using namespace fakes;

TEST_CASE("the LED actuator senses its pretend bolt: unknown until placed or moved, turned by hand only when idle") {
  RecordingLeds leds;
  FakeClock clock;
  LedActuator a(leds, clock, 1000);
  CHECK(a.bolt() == std::nullopt);
  CHECK(a.place(Action::Unlock));
  CHECK(a.bolt() == LockStatus::Unlocked);
  CHECK(leds.shown.back() == Indication::Unlocked);
  a.start(Action::Lock);
  CHECK_FALSE(a.place(Action::Unlock));  // no hand on the thumb-turn while the motor runs
  CHECK(a.bolt() == LockStatus::Unlocked);
  clock.advance(1000);
  CHECK(a.poll() == MoveState::Done);
  CHECK(a.bolt() == LockStatus::Locked);
  a.setJam(true);
  a.start(Action::Unlock);
  clock.advance(1000);
  CHECK(a.poll() == MoveState::Jammed);
  CHECK(a.bolt() == LockStatus::Locked);  // a jammed bolt stayed where it was
}
