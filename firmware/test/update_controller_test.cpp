// A signed v3 update reaching the lock: checked like a cfg (signature with the cmd key, replay,
// stale), its counter persisted, handed to the update agent, acked; commands are refused while
// flash is written.
#include <doctest/doctest.h>

#include <memory>

#include "codec_update.h"
#include "fakes.h"
#include "helpers.h"
#include "key_schedule.h"
#include "lock_controller.h"
#include "printers.h"
#include "update_fakes.h"

using namespace smartlock;

namespace {
const DeviceKey kCmdKey = derivePurposeKey(helpers::key(), KeyPurpose::Cmd);
const int64_t kNow = 1795760000;
const char* kId = "upd-0b7e6f0e-2f6c-4a53-9a0e-6a4f3f1d2c11";

std::string updateBody(const minijson::Value& c, long long ctr, long long ts, const char* id = kId) {
  return std::string("{\"v\":3,\"type\":\"update\",\"dev\":\"front-door\",\"id\":\"") + id + "\",\"ctr\":" +
         std::to_string(ctr) + ",\"ts\":" + std::to_string(ts) + ",\"url\":\"http://127.0.0.1:8080/fw/1.1.0.bin\",\"man\":\"" +
         c["manifest"].str + "\",\"msig\":\"" + c["msig"].str + "\"}";
}

struct Rig {
  updfakes::Device dev;  // flash, downloader, agent
  fakes::FakeStorage storage;
  fakes::FakeActuator actuator;
  fakes::FakeBolt bolt;
  std::unique_ptr<LockController> lock;
  Rig() {
    dev.clock.unix = kNow;
    dev.powerOn();
    actuator.bolt = &bolt;
    lock = std::make_unique<LockController>(LockControllerDeps{storage, actuator, dev.clock, nullptr, nullptr, &bolt},
                                            helpers::key(), "front-door");
    lock->begin();
    lock->setVersion(kUpdateProtocolVersion);
  }
  void send(const std::string& casePrefix, long long ctr, long long ts = kNow, std::optional<uint8_t> battery = 80,
            const DeviceKey& key = kCmdKey) {
    const std::string p = helpers::sign(key, updateBody(updfakes::vectorCase(dev.vectors, casePrefix), ctr, ts));
    lock->handleUpdate(p.data(), p.size(), *dev.agent, battery);
  }
  std::string ack() {
    const auto a = lock->popAck();
    if (!a) return "none";
    std::string s = nameOf(a->result);
    if (a->reason[0]) s += std::string(" ") + a->reason;
    return s;
  }
};

}  // namespace

TEST_CASE("update: a signed update is acked ok, its counter persisted, and the agent starts downloading") {
  Rig r;
  r.send("valid release", 5);
  CHECK(r.ack() == "ok");
  CHECK(r.lock->lastCounter() == 5);
  CHECK(r.storage.values["ctr"] == 5);
  CHECK(r.dev.state() == "DOWNLOADING");
}

TEST_CASE("update: replayed, stale, unsigned or wrongly keyed updates never reach the agent") {
  Rig r;
  r.send("valid release", 5);
  REQUIRE(r.ack() == "ok");
  Rig s;
  s.send("valid release", 5);
  REQUIRE(s.ack() == "ok");
  s.send("valid release", 5);
  CHECK(s.ack() == "rejected replay");
  s.send("valid release", 6, kNow - 31);
  CHECK(s.ack() == "rejected stale");
  s.send("valid release", 7, kNow, 80, helpers::key());  // v1 key: not the cmd key
  CHECK(s.ack() == "none");                              // bad signatures are never answered
  CHECK(s.lock->rejectedCount(RejectReason::BadSignature) == 1);
  CHECK(s.lock->lastCounter() == 5);
}

TEST_CASE("update: the agent's refusals are acked rejected with its reason, the counter consumed") {
  Rig r;
  r.send("last bit of msig flipped", 1);
  CHECK(r.ack() == "rejected bad_signature");
  r.send("valid but for other hardware", 2);
  CHECK(r.ack() == "rejected wrong_hw");
  r.send("valid release", 3, kNow, 19);
  CHECK(r.ack() == "rejected battery_low");
  CHECK(r.lock->lastCounter() == 3);
  CHECK(r.dev.downloader.urls.empty());
}

TEST_CASE("update: while flash is written commands are refused as busy, without consuming the counter") {
  Rig r;
  r.send("valid release", 1);
  REQUIRE(r.ack() == "ok");
  r.lock->setFlashBusy(r.dev.agent->busy());
  const std::string cmd = helpers::sign(kCmdKey, helpers::cmdBodyV2("front-door", "c-9", "UNLOCK", 2, kNow));
  r.lock->setVersion(kProtocolV2);  // commands keep their v2 schema
  r.lock->handleCommand(cmd.data(), cmd.size());
  CHECK(r.ack() == "rejected busy");
  CHECK(r.lock->lastCounter() == 1);
  r.lock->setFlashBusy(false);
  r.lock->handleCommand(cmd.data(), cmd.size());
  CHECK(r.lock->lastCounter() == 2);
}

TEST_CASE("update: verifyUpdate names the id of a signed but malformed update, so it is answered") {
  updfakes::Device d;
  const auto& c = updfakes::vectorCase(d.vectors, "valid release");
  std::string body = updateBody(c, 1, kNow);
  body.replace(body.find("http://"), 7, "ftp://");
  const std::string p = helpers::sign(kCmdKey, body);
  const CommandContext ctx{kCmdKey, "front-door", 0, kNow, kUpdateProtocolVersion};
  const UpdateVerdict v = verifyUpdate(ctx, p.data(), p.size());
  CHECK(v.reject == RejectReason::Malformed);
  CHECK(v.answerable);
  CHECK(std::string(v.update.id) == kId);
}
