// A power cut at every durable step of an update (every flash and storage write, numbered by
// the PowerRail), and a second cut at every step of the recovery after it. Whatever the cuts,
// the lock must end on the old image (update FAILED or ROLLED_BACK, arc unchanged) or on the new
// one confirmed (arc raised), never bricked and never booting a half-written slot (FakeFlash's
// bootloader REQUIREs a complete, not invalid image at every power-on).
#include <doctest/doctest.h>

#include "update_fakes.h"

using namespace smartlock;
using updfakes::Device;
using updfakes::Ota;
using updfakes::PowerCut;

namespace {

// Power on, start the update, run it to the end; a PowerCut may come out of any of it.
void updateOnce(Device& d, bool& started) {
  d.powerOn();
  if (!started) {
    const auto r = d.start("valid release");
    REQUIRE(r == std::nullopt);
    started = true;
  }
  d.run();
}

// Runs the whole thing with cuts at the given steps, rebooting after each cut.
void runWithCuts(Device& d, std::vector<int> cuts) {
  bool started = false;
  for (size_t round = 0;; ++round) {
    d.rail.steps = 0;
    d.rail.cutAt = round < cuts.size() ? cuts[round] : -1;
    try {
      updateOnce(d, started);
      return;
    } catch (const PowerCut&) {
      // the power came back; the next round boots from what flash and storage hold
    }
    REQUIRE(round < 10);
  }
}

void checkEndState(Device& d) {
  const auto& running = d.flash.slots[d.flash.running];
  REQUIRE(running.complete);
  const bool onNew = running.data == d.newImage;
  const bool onOld = running.data == updfakes::oldImage();
  REQUIRE((onNew || onOld));
  CHECK(running.state == Ota::Valid);  // nothing left pending: the next reboot cannot roll back by surprise
  const std::string state = d.state();
  if (onNew) {
    CHECK(d.fw == "1.1.0");
    CHECK(d.storage.values["arc"] == 2);
    CHECK(state == "CONFIRMED");
  } else {
    CHECK(d.fw == "1.0.0");
    CHECK(d.storage.values.count("arc") == 0);
    // Before the update was accepted nothing is reported; after, the outcome says why it failed.
    const bool known = state == "none" || state == "FAILED download" || state == "ROLLED_BACK crash";
    CHECK_MESSAGE(known, state);
  }
  // The lock can always be updated again (idle, not stuck in a phase).
  CHECK_FALSE(d.agent->busy());
}

int stepsOfCleanUpdate() {
  Device d;
  d.rail.cutAt = -1;
  bool started = false;
  int total = 0;
  d.rail.steps = 0;
  updateOnce(d, started);
  total = d.rail.steps;
  CHECK(d.state() == "CONFIRMED");
  return total;
}

}  // namespace

TEST_CASE("power cut: a clean update takes 14 durable steps, each persisted before the next flash change") {
  Device d;
  d.powerOn();
  REQUIRE(d.start("valid release") == std::nullopt);
  d.run();
  CHECK(d.rail.log == std::vector<std::string>{
                          "storeText updid", "store upd",  // Writing (id first, then the record naming it)
                          "flash begin", "flash write", "flash write", "flash write", "flash write", "flash finish",
                          "store upd",                     // Switching, only after the read-back hash matched
                          "flash set boot",
                          "store upd",                     // Trial, at the new image's first boot
                          "flash mark valid", "store arc",
                          "store upd",                     // Outcome CONFIRMED
                      });
  CHECK(stepsOfCleanUpdate() == 14);
}

TEST_CASE("power cut at every step of an update: the lock ends on the old image or the new one confirmed") {
  const int n = stepsOfCleanUpdate();
  int onNew = 0, onOld = 0;
  for (int cut = 0; cut < n + 3; ++cut) {
    CAPTURE(cut);
    Device d;
    runWithCuts(d, {cut});
    checkEndState(d);
    (d.fw == "1.1.0" ? onNew : onOld) += 1;
  }
  // Both ends happen: early cuts keep the old image, late ones the new.
  CHECK(onNew > 0);
  CHECK(onOld > 0);
}

TEST_CASE("power cut at every step, then again at every step of the recovery") {
  const int n = stepsOfCleanUpdate();
  int runs = 0;
  for (int first = 0; first < n; ++first) {
    for (int second = 0; second < 8; ++second) {
      CAPTURE(first);
      CAPTURE(second);
      Device d;
      runWithCuts(d, {first, second});
      checkEndState(d);
      ++runs;
    }
  }
  CHECK(runs == n * 8);
}

TEST_CASE("power cut while rolling back a trial that got no welcome: it still ends on the old image") {
  Device probe;
  probe.powerOn();
  REQUIRE(probe.start("valid release") == std::nullopt);
  probe.runToTrial();
  probe.rail.steps = 0;
  probe.run(false, 1000, 1000);
  const int rollbackSteps = probe.rail.steps;
  REQUIRE(probe.state() == "ROLLED_BACK no_welcome");
  for (int cut = 0; cut <= rollbackSteps; ++cut) {
    CAPTURE(cut);
    Device d;
    d.powerOn();
    REQUIRE(d.start("valid release") == std::nullopt);
    d.runToTrial();
    d.rail.steps = 0;
    d.rail.cutAt = cut;
    try {
      d.run(false, 1000, 1000);
    } catch (const PowerCut&) {
      d.powerOn();
      d.run(false, 1000, 1000);
    }
    CHECK(d.fw == "1.0.0");
    CHECK(d.flash.slots[d.flash.running].state == Ota::Valid);
    const std::string s = d.state();
    CHECK_MESSAGE((s == "ROLLED_BACK no_welcome" || s == "ROLLED_BACK crash"), s);
  }
}
