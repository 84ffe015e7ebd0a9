// Bluetooth offline keys through the whole lock (docs/protocol.md §16.5-§16.6): blerev over MQTT
// (v3, checked like cfg, persisted before its ack), and offline uses reported as the v3 status
// member "ble", one per status, dropped only once published (like acks), across a power cut.
#include <doctest/doctest.h>

#include "ble_rig.h"
#include "printers.h"
#include "v3_rig.h"

using namespace smartlock;

namespace {

// The server's time for the lock (§7a): the answer to its last status.
void syncTime(v3rig::Rig& r) {
  const auto last = r.published().back();
  const long long seq = last.type == "hello" ? last.hello.seq : last.status.seq;
  r.deliverSigned(r.keys.cmd, v3rig::asV3(helpers::timeBodyV2(v3rig::kDev, (long long)r.app->controller().bootCount(), seq,
                                                              v3rig::kNow)));
  r.run(200);
  REQUIRE(r.app->timeSynced());
}

BleVerdict openOverBle(v3rig::Rig& r, const std::string& op = "UNLOCK", const blerig::Key& key = blerig::Key()) {
  char buf[kBleMessageMax + 1];
  const size_t n = r.app->ble().readChallenge(buf, sizeof buf);
  REQUIRE(n > 0);
  const std::string request = key.request(r.key, op, blerig::nonceOf(std::string(buf, n)));
  return r.app->ble().request(request.data(), request.size());
}

std::vector<std::string> bleMembers(v3rig::Rig& r) {
  std::vector<std::string> out;
  for (auto& s : r.statuses()) {
    if (!s.status.ble) continue;
    char text[kBleUseMax + 1];
    REQUIRE(formatBleUse(*s.status.ble, text, sizeof text));
    out.emplace_back(text);
  }
  return out;
}

std::string blerevBody(long long ctr, long long ts, long long before, const std::string& kids, const std::string& id = "blerev-7a1c") {
  return "{\"v\":3,\"type\":\"blerev\",\"dev\":\"front-door\",\"id\":\"" + id + "\",\"ctr\":" + std::to_string(ctr) +
         ",\"ts\":" + std::to_string(ts) + ",\"before\":" + std::to_string(before) + ",\"kids\":\"" + kids + "\"}";
}

}  // namespace

TEST_CASE("ble app: an opening over Bluetooth moves the bolt (src BLE) and is reported once as \"ble\" in a v3 status") {
  v3rig::Rig r;
  r.online(3);
  syncTime(r);
  const long long at = v3rig::kNow;  // the server's time at the sync, 0.2 s ago
  r.mqtt.closeOnFailedPublish = false;
  r.mqtt.failPublishes = 1;  // the status carrying the use is lost: it must go out again
  CHECK(openOverBle(r) == BleVerdict::Ok);
  r.run(8000);
  REQUIRE(r.app->netState() == NetState::Online);
  CHECK(r.actuator.starts == std::vector<Action>{Action::Unlock});
  CHECK(bleMembers(r) == std::vector<std::string>{"8f14e45fceea167a.U." + std::to_string(at)});
  CHECK(r.app->ble().queued() == 0);
  for (const auto& p : r.mqtt.on(v3rig::kStatusTopic)) {
    if (p.payload.find("\"ble\":") != std::string::npos) {
      CHECK(p.qos == 1);
      CHECK(p.payload.find("\"src\":\"BLE\"") != std::string::npos);
      CHECK(p.payload.find("\"ble\":\"8f14e45fceea167a.U.") != std::string::npos);
    }
  }
  CHECK(r.statuses().back().status.src == BoltSource::Ble);
  CHECK(r.statuses().back().status.status == LockStatus::Unlocked);
  const std::string result(r.app->ble().result(), r.app->ble().resultLength());
  CHECK(result.find("\"result\":\"ok\",\"status\":\"UNLOCKED\",\"sig\":\"") != std::string::npos);
}

TEST_CASE("ble app: uses made without a network, or in a v2 session, wait and survive a power cut; each is reported") {
  v3rig::Rig r;
  r.online(3);
  syncTime(r);
  r.mqtt.drop();
  r.mqtt.acceptConnect = false;  // the network is down
  r.run(300);
  const long long at = v3rig::kNow;  // the server's time at the sync, 0.5 s ago
  CHECK(openOverBle(r, "UNLOCK") == BleVerdict::Ok);
  r.run(500);
  CHECK(openOverBle(r, "LOCK") == BleVerdict::Ok);
  r.run(500);
  CHECK(r.app->ble().queued() == 2);
  r.boot();  // power cut
  CHECK(r.app->ble().queued() == 2);
  r.mqtt.acceptConnect = true;
  r.online(2);  // a v2 session cannot carry "ble"
  r.run(10000);
  CHECK(bleMembers(r).empty());
  CHECK(r.app->ble().queued() == 2);
  r.mqtt.drop();
  r.run(200);  // the lock sees the session end
  for (int i = 0; i < 300 && r.app->netState() != NetState::Online; ++i) r.run(100);
  r.run(200);  // the hello of this session
  r.welcome(3);
  r.run(3000);
  REQUIRE(r.app->protocolVersion() == 3);
  // In order, each once, stamped with the lock's time (the server's, kept since the sync).
  const auto members = bleMembers(r);
  REQUIRE(members.size() == 2);
  CHECK(members[0] == "8f14e45fceea167a.U." + std::to_string(at));
  CHECK(members[1].rfind("8f14e45fceea167a.L.", 0) == 0);
  CHECK(members[1] >= "8f14e45fceea167a.L." + std::to_string(at));
  CHECK(r.app->ble().queued() == 0);
}

TEST_CASE("ble app: after a power cut the lock has no clock and refuses every key (no_clock) until the server's time") {
  v3rig::Rig r;
  r.online(3);
  syncTime(r);
  r.boot();
  r.online(3);
  CHECK(openOverBle(r) == BleVerdict::NoClock);
  syncTime(r);
  CHECK(openOverBle(r) == BleVerdict::Ok);
}

TEST_CASE("ble app: blerev over MQTT is checked like cfg, persisted before its ack, and applied") {
  v3rig::Rig r;
  fakes::Journal journal;
  r.online(3);
  syncTime(r);
  r.storage.journal = &journal;
  r.mqtt.journal = &journal;
  r.deliverSigned(r.keys.cmd, blerevBody(++r.ctr, v3rig::kNow, 0, blerig::kKid));
  r.run(300);
  CHECK(r.acks() == std::vector<std::string>{"blerev-7a1c:ok"});
  const int stored = journal.indexOf("store brv.cur=0");
  REQUIRE(stored >= 0);
  int acked = -1;
  for (size_t i = 0; i < journal.events.size(); ++i) {
    if (journal.events[i].find("\"ack\":{\"id\":\"blerev-7a1c\"") != std::string::npos) acked = static_cast<int>(i);
  }
  CHECK(stored < acked);
  CHECK(openOverBle(r) == BleVerdict::Revoked);

  // Replaced whole: an empty list lifts the revocation.
  r.deliverSigned(r.keys.cmd, blerevBody(++r.ctr, v3rig::kNow, 0, "", "blerev-2"));
  r.run(300);
  CHECK(openOverBle(r) == BleVerdict::Ok);
  r.run(500);

  // Replay, stale, unsigned, and its v2 form: refused; the list stays.
  r.deliverSigned(r.keys.cmd, blerevBody(r.ctr, v3rig::kNow, 0, blerig::kKid, "blerev-3"));
  r.deliverSigned(r.keys.cmd, blerevBody(++r.ctr, v3rig::kNow - 3600, 0, blerig::kKid, "blerev-4"));
  r.deliverSigned(r.key, blerevBody(++r.ctr, v3rig::kNow, 0, blerig::kKid, "blerev-5"));
  r.deliverSigned(r.keys.cmd, "{\"v\":2" + blerevBody(++r.ctr, v3rig::kNow, 0, blerig::kKid, "blerev-6").substr(6));
  r.run(3000);
  const auto acks = r.acks();
  CHECK(std::vector<std::string>(acks.begin() + 2, acks.end()) ==
        std::vector<std::string>{"blerev-3:rejected", "blerev-4:rejected", "blerev-6:rejected"});
  CHECK(r.app->ble().revocations().count == 0);

  // Storage failing: rejected (storage), nothing applied.
  r.storage.failWrites = true;
  r.deliverSigned(r.keys.cmd, blerevBody(++r.ctr, v3rig::kNow, 0, blerig::kKid, "blerev-7"));
  r.run(300);
  r.storage.failWrites = false;
  r.run(1500);
  CHECK(r.acks().back() == "blerev-7:rejected");
  CHECK(r.app->ble().revocations().count == 0);
  std::string reason;
  for (auto& st : r.statuses()) {
    if (st.status.ack && std::string(st.status.ack->id) == "blerev-7") reason = st.status.ack->reason;
  }
  CHECK(reason == "storage");
}

TEST_CASE("ble app: blerev in a v2 session is dropped unanswered") {
  v3rig::Rig r;
  r.online(2);
  r.deliverSigned(r.keys.cmd, blerevBody(++r.ctr, v3rig::kNow, 0, blerig::kKid));
  r.run(500);
  CHECK(r.acks().empty());
  CHECK(r.app->droppedMessages() == 1);
  CHECK(r.app->ble().revocations().count == 0);
}

TEST_CASE("ble app: the worked example's status with \"ble\" (docs/protocol.md §16.9) verifies and parses as v3 only") {
  const std::string body =
      "{\"v\":3,\"type\":\"status\",\"dev\":\"front-door\",\"boot\":5,\"seq\":7,\"status\":\"UNLOCKED\",\"door\":\"CLOSED\","
      "\"src\":\"BLE\",\"ctr\":42,\"ts\":1795760160,\"ble\":\"8f14e45fceea167a.U.1795760000\"}";
  const DeviceKey ks = deriveV2Keys(helpers::key()).status;
  const std::string payload = helpers::sign(ks, body);
  CHECK(payload.substr(payload.size() - 66, 64) == "b56115955dabc6521eb4cbefeb819ccc58ef96d14bf260ab925073895cfe7b9e");
  CHECK_FALSE(verifyMessage(ks, payload.data(), payload.size(), "front-door", MessageType::Status, 3));
  StatusMessage s;
  REQUIRE_FALSE(parseStatus(body.data(), body.size(), "front-door", s, 3));
  REQUIRE(s.ble.has_value());
  CHECK(s.ble->kid == 0x8f14e45fceea167aull);
  CHECK(s.ble->at == 1795760000);
  const std::string v2 = "{\"v\":2" + body.substr(6);
  CHECK(parseStatus(v2.data(), v2.size(), "front-door", s, 2) == RejectReason::Malformed);  // not a v2 member
  // What the lock writes: after upd (none here), before sig.
  char buf[kMaxPayload + 1];
  const std::string without = body.substr(0, body.find(",\"ble\"")) + "}";
  without.copy(buf, without.size());
  const size_t n = appendBle(buf, without.size(), sizeof buf, BleUse{0x8f14e45fceea167aull, Action::Unlock, 1795760000});
  CHECK(std::string(buf, n) == body);
}
