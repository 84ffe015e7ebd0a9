// The update agent's rules on a FakeFlash with an emulated ESP-IDF bootloader: what it refuses
// before writing anything, what fails the download or the check of what was written, and how a
// trial image is kept (welcome) or rolled back (no welcome in 5 min, reboot before confirming).
#include <doctest/doctest.h>

#include "update_fakes.h"

using namespace smartlock;
using updfakes::Device;
using updfakes::Ota;

namespace {

// Nothing was written, the old image runs and stays valid.
void checkUntouched(Device& d) {
  CHECK(d.flash.running == 0);
  CHECK(d.flash.bootSlot == 0);
  CHECK(d.flash.slots[0].state == Ota::Valid);
  CHECK(d.fw == "1.0.0");
}

}  // namespace

TEST_CASE("an update is downloaded, verified, tried and confirmed on the first welcome") {
  Device d;
  d.powerOn();
  REQUIRE(d.start("valid release") == std::nullopt);
  CHECK(d.state() == "DOWNLOADING");
  CHECK(d.agent->busy());
  d.runToTrial();
  CHECK(d.flash.running == 1);
  CHECK(d.fw == "1.1.0");
  CHECK(d.flash.slots[1].state == Ota::Pending);
  CHECK(d.state() == "TRIAL");
  CHECK(d.agent->storedArc() == 0);  // not before it is confirmed
  CHECK(d.downloader.urls == std::vector<std::string>{"http://127.0.0.1:8080/firmware/1.1.0.bin"});

  d.agent->welcomed();
  CHECK(d.state() == "CONFIRMED");
  CHECK(d.flash.slots[1].state == Ota::Valid);
  CHECK(d.agent->storedArc() == 2);
  CHECK(d.storage.values["arc"] == 2);
  CHECK(std::string(d.agent->progress()->id) == "upd-0b7e6f0e-2f6c-4a53-9a0e-6a4f3f1d2c11");

  // The outcome survives a reboot until it was reported, then the agent is idle.
  d.powerOn();
  CHECK(d.state() == "CONFIRMED");
  d.agent->reported();
  CHECK(d.agent->progress() == nullptr);
  d.powerOn();
  CHECK(d.agent->progress() == nullptr);
  CHECK(d.fw == "1.1.0");
}

TEST_CASE("the agent reports each step: DOWNLOADING, VERIFYING, REBOOTING, then TRIAL after the reboot") {
  Device d;
  d.powerOn();
  REQUIRE(d.start("valid release") == std::nullopt);
  std::vector<std::string> seen{d.state()};
  for (int i = 0; i < 100 && !d.flash.rebootRequested; ++i) {
    d.agent->loop();
    d.clock.advance(100);
    if (seen.back() != d.state()) seen.push_back(d.state());
  }
  CHECK(seen == std::vector<std::string>{"DOWNLOADING", "VERIFYING", "REBOOTING"});
  d.powerOn();
  CHECK(d.state() == "TRIAL");
}

TEST_CASE("a bad signature, wrong hardware, a downgrade or an oversized image are refused before any download") {
  Device d;
  d.powerOn();
  CHECK(d.start("last bit of msig flipped") == UpdReason::BadSignature);
  CHECK(d.start("manifest changed after signing") == UpdReason::BadSignature);
  CHECK(d.start("signature of another manifest") == UpdReason::BadSignature);
  CHECK(d.start("valid but for other hardware") == UpdReason::WrongHw);

  d.storage.values["arc"] = 2;
  d.powerOn();
  CHECK(d.start("valid but older") == UpdReason::Downgrade);

  d.flash.capacity = 58;  // one byte short of the image
  CHECK(d.start("valid release") == UpdReason::TooBig);
  CHECK(d.downloader.urls.empty());
  CHECK(d.agent->progress() == nullptr);
  checkUntouched(d);
}

TEST_CASE("an update is refused while the bolt moves or the battery is below 20 percent") {
  Device d;
  d.powerOn();
  CHECK(d.start("valid release", LockConditions{true, 90}) == UpdReason::Busy);
  CHECK(d.start("valid release", LockConditions{false, 19}) == UpdReason::BatteryLow);
  CHECK(d.downloader.urls.empty());
  CHECK(d.start("valid release", LockConditions{false, 20}) == std::nullopt);
  CHECK(d.start("valid release", LockConditions{false, 100}) == UpdReason::Busy);  // one at a time
}

TEST_CASE("the version already running is confirmed at once, without a download") {
  Device d;
  d.flash.slots[0].data = d.newImage;  // running 1.1.0 already
  d.powerOn();
  REQUIRE(d.fw == "1.1.0");
  CHECK(d.start("valid release") == std::nullopt);
  CHECK(d.state() == "CONFIRMED");
  CHECK(d.downloader.urls.empty());
  CHECK_FALSE(d.agent->busy());
}

TEST_CASE("a truncated image fails as truncated and the old image stays") {
  Device d;
  d.downloader.endAt = 40;
  d.powerOn();
  REQUIRE(d.start("valid release") == std::nullopt);
  d.run();
  CHECK(d.state() == "FAILED truncated");
  checkUntouched(d);
  CHECK_FALSE(d.flash.slots[1].complete);
}

TEST_CASE("a broken connection, a refused download or a stalled one fails as download") {
  SUBCASE("broken") {
    Device d;
    d.downloader.errorAt = 32;
    d.powerOn();
    REQUIRE(d.start("valid release") == std::nullopt);
    d.run();
    CHECK(d.state() == "FAILED download");
    checkUntouched(d);
  }
  SUBCASE("refused") {
    Device d;
    d.downloader.refuse = true;
    d.powerOn();
    REQUIRE(d.start("valid release") == std::nullopt);
    d.run();
    CHECK(d.state() == "FAILED download");
    checkUntouched(d);
  }
  SUBCASE("stalled for 30 s") {
    Device d;
    d.downloader.stall = true;
    d.powerOn();
    REQUIRE(d.start("valid release") == std::nullopt);
    d.run(true, 1000);
    CHECK(d.state() == "FAILED download");
    CHECK(d.clock.nowMs >= 5000 + 30000);
    checkUntouched(d);
  }
}

TEST_CASE("an image other than the signed one fails as bad_hash; so does a slot that holds other bytes than were sent") {
  SUBCASE("another image of the same size") {
    Device d;
    d.downloader.body.back() ^= 0x20;
    d.powerOn();
    REQUIRE(d.start("valid release") == std::nullopt);
    d.run();
    CHECK(d.state() == "FAILED bad_hash");
    checkUntouched(d);
  }
  SUBCASE("a bad flash write") {
    Device d;
    d.flash.flipWrittenByte = true;
    d.powerOn();
    REQUIRE(d.start("valid release") == std::nullopt);
    d.run();
    CHECK(d.state() == "FAILED bad_hash");
    checkUntouched(d);
  }
  SUBCASE("a longer image than signed is too_big") {
    Device d;
    d.downloader.body.push_back('!');
    d.powerOn();
    REQUIRE(d.start("valid release") == std::nullopt);
    d.run();
    CHECK(d.state() == "FAILED too_big");
    checkUntouched(d);
  }
}

TEST_CASE("a trial image without a welcome for 5 minutes is rolled back as no_welcome") {
  Device d;
  d.powerOn();
  REQUIRE(d.start("valid release") == std::nullopt);
  d.run(false, 1000, 1000);
  CHECK(d.state() == "ROLLED_BACK no_welcome");
  CHECK(d.fw == "1.0.0");
  CHECK(d.flash.running == 0);
  CHECK(d.flash.slots[1].state == Ota::Invalid);
  CHECK(d.agent->storedArc() == 0);
}

TEST_CASE("the trial lasts 5 minutes from boot: 4:59 without a welcome is still on trial") {
  Device d;
  d.powerOn();
  REQUIRE(d.start("valid release") == std::nullopt);
  d.runToTrial();
  REQUIRE(d.state() == "TRIAL");
  d.clock.advance(kTrialWelcomeMs - 1000);
  d.agent->loop();
  CHECK(d.state() == "TRIAL");
  CHECK_FALSE(d.flash.rebootRequested);
  d.clock.advance(1000);
  d.agent->loop();
  CHECK(d.flash.rebootRequested);
}

TEST_CASE("a trial image that reboots before confirming is rolled back as crash") {
  Device d;
  d.powerOn();
  REQUIRE(d.start("valid release") == std::nullopt);
  d.runToTrial();
  REQUIRE(d.state() == "TRIAL");
  d.powerOn();  // it "crashed": the bootloader falls back to the old slot
  CHECK(d.state() == "ROLLED_BACK crash");
  CHECK(d.fw == "1.0.0");
  CHECK(d.flash.slots[1].state == Ota::Invalid);
  CHECK(d.agent->storedArc() == 0);
  // A welcome now confirms nothing.
  d.agent->welcomed();
  CHECK(d.state() == "ROLLED_BACK crash");
}

TEST_CASE("without a bootloader rollback the agent itself rolls back a trial image that rebooted") {
  Device d;
  d.powerOn();
  REQUIRE(d.start("valid release") == std::nullopt);
  d.runToTrial();
  REQUIRE(d.state() == "TRIAL");
  d.flash.slots[1].state = Ota::New;  // a bootloader that boots it again as pending
  d.powerOn();
  CHECK(d.flash.rebootRequested);     // the agent asked for the rollback
  d.powerOn();
  CHECK(d.state() == "ROLLED_BACK crash");
  CHECK(d.fw == "1.0.0");
}

TEST_CASE("a storage failure refuses the update before anything is written") {
  Device d;
  d.powerOn();
  d.storage.failWrites = true;
  CHECK(d.start("valid release") == UpdReason::Flash);
  CHECK(d.downloader.urls.empty());
  CHECK_FALSE(d.agent->busy());
  checkUntouched(d);
}
