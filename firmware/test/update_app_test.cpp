// A firmware update through the whole lock (LockApp in a v3 session, on fakes): the signed v3
// update is acked, every state goes out in a signed v3 status's "upd", commands are busy while
// flash is written, the new image says hello with its new fw and is confirmed by the welcome; a
// new image that is never welcomed comes back as the old one, reporting ROLLED_BACK no_welcome.
#include <doctest/doctest.h>

#include "codec_update.h"
#include "printers.h"
#include "update_fakes.h"
#include "v3_rig.h"

using namespace smartlock;

namespace {

const char* kId = "upd-0b7e6f0e-2f6c-4a53-9a0e-6a4f3f1d2c11";

struct UpdateRig {
  v3rig::Rig lock;
  updfakes::PowerRail rail;
  updfakes::FakeFlash flash{&rail};
  updfakes::FakeDownloader downloader;
  minijson::Value vectors = updfakes::loadUpdateVectors();
  EcdsaReleaseVerifier verifier{updfakes::publicKeyOf(vectors)};
  std::string fw;
  std::unique_ptr<UpdateAgent> agent;

  UpdateRig() {
    flash.slots[0].data = updfakes::oldImage();
    flash.slots[0].complete = true;
    flash.slots[0].state = updfakes::Ota::Valid;
    downloader.body = updfakes::bytesOfHex(vectors["image"]["hex"].str);
    powerOn();
  }
  // The bootloader picks a slot; the agent boots before the app, as in the shells.
  void powerOn() {
    lock.mqtt.drop();
    lock.app.reset();
    const int slot = flash.powerOn();
    fw = updfakes::fwOfImage(flash.slots[slot].data);
    lock.cfg.fw = fw.c_str();
    UpdateAgentConfig ucfg;
    ucfg.hw = "esp32";
    ucfg.runningFw = lock.cfg.fw;
    agent = std::make_unique<UpdateAgent>(ucfg, UpdateAgentDeps{flash, downloader, verifier, lock.storage, lock.clock});
    agent->boot();
    LockAppDeps deps{lock.mqtt, lock.clock, lock.storage, lock.actuator, lock.random, nullptr, nullptr, &lock.door, &lock.bolt};
    deps.update = agent.get();
    lock.app = std::make_unique<LockApp>(lock.cfg, deps);
    REQUIRE(lock.app->begin());
  }
  void sendUpdate(const std::string& casePrefix) {
    const auto& c = updfakes::vectorCase(vectors, casePrefix);
    const std::string body = std::string("{\"v\":3,\"type\":\"update\",\"dev\":\"front-door\",\"id\":\"") + kId +
                             "\",\"ctr\":" + std::to_string(++lock.ctr) + ",\"ts\":" + std::to_string(v3rig::kNow) +
                             ",\"url\":\"http://127.0.0.1:8080/firmware/1.1.0.bin\",\"man\":\"" + c["manifest"].str +
                             "\",\"msig\":\"" + c["msig"].str + "\"}";
    lock.deliverSigned(lock.keys.cmd, body);
  }
  void runUntilReboot(uint32_t maxMs = 20000) {
    for (uint32_t t = 0; t < maxMs && !flash.rebootRequested; t += 100) {
      lock.app->loop();
      lock.clock.advance(100);
    }
    REQUIRE(flash.rebootRequested);
  }
  // The "upd" members of the signed statuses published so far, as "STATE" or "STATE reason".
  std::vector<std::string> updStates() {
    std::vector<std::string> out;
    for (const auto& p : lock.mqtt.on(v3rig::kStatusTopic)) {
      if (p.payload.find("\"type\":\"status\"") == std::string::npos) continue;
      REQUIRE_FALSE(checkSignature(p.payload[5] == '1' ? lock.key : lock.keys.status, p.payload.data(), p.payload.size()));
      const size_t at = p.payload.find(",\"upd\":{");
      if (at == std::string::npos) continue;
      CHECK(p.payload.rfind("{\"v\":3,", 0) == 0);  // only v3 statuses carry it
      CHECK(p.payload.find(",\"sig\":") > at);       // after ack, before the signature
      const std::string upd = p.payload.substr(at, p.payload.find('}', at) - at);
      CHECK(upd.find(std::string("\"id\":\"") + kId + "\"") != std::string::npos);
      const size_t s = upd.find("\"state\":\"") + 9;
      std::string v = upd.substr(s, upd.find('"', s) - s);
      const size_t r = upd.find("\"reason\":\"");
      if (r != std::string::npos) v += " " + upd.substr(r + 10, upd.find('"', r + 10) - r - 10);
      if (out.empty() || out.back() != v) out.push_back(v);
    }
    return out;
  }
  std::string lastHelloFw() {
    std::string fwSeen;
    for (const auto& p : lock.published()) if (p.type == "hello") fwSeen = p.hello.fw;
    return fwSeen;
  }
};

}  // namespace

TEST_CASE("update through the lock: acked, reported step by step, rebooted, said hello as 1.1.0, confirmed by the welcome") {
  UpdateRig r;
  r.lock.online(3);
  CHECK(r.lastHelloFw() == "1.0.0");
  r.downloader.stall = true;  // hold the download to try the bolt meanwhile
  r.sendUpdate("valid release");
  r.lock.run(300);
  CHECK(r.lock.acks().back() == std::string(kId) + ":ok");
  r.lock.commandV3("c-1", "UNLOCK");
  r.lock.run(300);
  CHECK(r.lock.actuator.starts.empty());  // never moves while writing flash
  CHECK(r.lock.acks().back() == "c-1:rejected");
  r.downloader.stall = false;
  r.runUntilReboot();
  CHECK(r.updStates() == std::vector<std::string>{"DOWNLOADING", "VERIFYING", "REBOOTING"});

  r.lock.mqtt.published.clear();
  r.powerOn();
  CHECK(r.fw == "1.1.0");
  r.lock.run(200);
  CHECK(r.lastHelloFw() == "1.1.0");
  CHECK(r.agent->onTrial());
  r.lock.welcome(3);
  r.lock.run(200);
  CHECK_FALSE(r.agent->onTrial());
  CHECK(r.flash.slots[1].state == updfakes::Ota::Valid);
  CHECK(r.lock.storage.values["arc"] == 2);
  CHECK(r.updStates() == std::vector<std::string>{"CONFIRMED"});
  // Reported once (QoS 1), then no more.
  const size_t n = r.lock.mqtt.published.size();
  r.lock.run(10000);
  REQUIRE(r.lock.mqtt.published.size() > n);
  CHECK(r.lock.mqtt.published.back().payload.find("\"upd\"") == std::string::npos);
}

TEST_CASE("update through the lock: a new image never welcomed is rolled back and says so once the old one is welcomed") {
  UpdateRig r;
  r.lock.online(3);
  r.sendUpdate("valid release");
  r.runUntilReboot();
  r.powerOn();
  CHECK(r.fw == "1.1.0");
  r.lock.mqtt.brokerAnswers = false;  // the new image never reaches the server
  r.runUntilReboot(kTrialWelcomeMs + 10000);
  r.lock.mqtt.brokerAnswers = true;
  r.lock.mqtt.published.clear();
  r.powerOn();
  CHECK(r.fw == "1.0.0");
  r.lock.online(3);
  r.lock.run(500);
  CHECK(r.updStates() == std::vector<std::string>{"ROLLED_BACK no_welcome"});
  CHECK(r.lock.storage.values.count("arc") == 0);
}

TEST_CASE("update through the lock: refused before any download, acked rejected with the reason; dropped outside v3") {
  UpdateRig r;
  r.lock.online(3);
  r.sendUpdate("valid but for other hardware");
  r.lock.run(300);
  CHECK(r.lock.acks().back() == std::string(kId) + ":rejected");
  CHECK(r.lock.statuses().empty() == false);
  const std::string last = r.lock.mqtt.on(v3rig::kStatusTopic).back().payload;
  CHECK(last.find("\"reason\":\"wrong_hw\"") != std::string::npos);
  CHECK(r.downloader.urls.empty());

  UpdateRig v2;
  v2.lock.online(2);
  v2.sendUpdate("valid release");
  v2.lock.run(300);
  CHECK(v2.downloader.urls.empty());
  CHECK(v2.lock.app->droppedMessages() == 1);
}
