// Over-the-air secret rotation on the lock (docs/protocol.md §13.3): the new K' is persisted before
// the ack, the lock switches on the first server message signed under K', and a restart at any
// step resumes (issue 13 item 3).
#include <doctest/doctest.h>

#include "printers.h"
#include "v3_rig.h"

using namespace smartlock;
using namespace v3rig;

namespace {
const DeviceKey kNext = helpers::key("f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff");

std::string hexOf(const DeviceKey& k) {
  char h[kSigHexLen + 1];
  toHex(k.data(), k.size(), h);
  return h;
}

// The rekey body for K' under the lock's current K: the pad is symmetric, so opening hex(K') seals it.
std::string rekeyBody(const DeviceKey& current, const std::string& id, long long ctr, const DeviceKey& next) {
  DeviceKey sealed{};
  REQUIRE(openRekeyKey(current, id.c_str(), hexOf(next).c_str(), sealed));
  return "{\"v\":3,\"type\":\"rekey\",\"dev\":\"front-door\",\"id\":\"" + id + "\",\"ctr\":" + std::to_string(ctr) +
         ",\"ts\":" + std::to_string(kNow) + ",\"key\":\"" + hexOf(sealed) + "\"}";
}

void sendRekey(Rig& r, const std::string& id = "rekey-1") {
  r.deliverSigned(r.keys.cmd, rekeyBody(r.key, id, ++r.ctr, kNext));
}

// A server message under K' (here a v3 time answering nothing: its signature alone switches the lock).
void serverUsesNewKey(Rig& r) {
  r.deliverSigned(deriveV2Keys(kNext).cmd, asV3(helpers::timeBodyV2(kDev, 1, 1, kNow)));
}

std::string lastStatus(Rig& r) {
  std::string last;
  for (const auto& p : r.mqtt.on(kStatusTopic)) {
    if (p.payload.find("\"type\":\"status\"") != std::string::npos) last = p.payload;
  }
  return last;
}

std::string password(const DeviceKey& k) {
  char pw[kSigHexLen + 1];
  mqttPasswordV2(k, pw);
  return pw;
}
}  // namespace

TEST_CASE("rekey: the new secret is persisted (pending) before the ack ok; the lock keeps its old secret until the server uses the new one") {
  Rig r;
  r.online(3);
  fakes::Journal journal;
  r.storage.journal = &journal;
  r.mqtt.journal = &journal;
  sendRekey(r);
  r.run(300);
  int persisted = journal.indexOf(std::string("storeText ") + kKeyPendingKey), acked = -1;
  for (size_t i = 0; i < journal.events.size(); ++i) {
    if (journal.events[i].find("\"ack\":{\"id\":\"rekey-1\",\"result\":\"ok\"") != std::string::npos) acked = static_cast<int>(i);
  }
  REQUIRE(persisted >= 0);
  REQUIRE(acked >= 0);
  CHECK(persisted < acked);
  const int counted = journal.indexOf("store ctr=" + std::to_string(r.ctr));  // the rekey's counter too
  REQUIRE(counted >= 0);
  CHECK(counted < acked);
  CHECK(r.storage.texts[kKeyPendingKey] == hexOf(kNext));
  CHECK(r.acks() == std::vector<std::string>{"rekey-1:ok"});
  CHECK(r.app->keyRing().hasPending());
  // Still the old secret: its statuses verify under the old status key.
  CHECK_FALSE(verifyMessage(r.keys.status, lastStatus(r).data(), lastStatus(r).size(), kDev, MessageType::Status, 3));
}

TEST_CASE("rekey: a lock that cannot persist the new secret acks rejected (storage) and keeps no pending key") {
  Rig r;
  r.online(3);
  r.storage.failWrites = true;
  sendRekey(r);
  r.run(300);
  CHECK(r.acks() == std::vector<std::string>{"rekey-1:rejected"});
  CHECK_FALSE(r.app->keyRing().hasPending());
}

TEST_CASE("rekey: the first server message signed under K' switches the lock; then it signs with K' and ignores the old key") {
  Rig r;
  r.online(3);
  sendRekey(r);
  r.run(300);
  serverUsesNewKey(r);
  r.run(300);
  CHECK_FALSE(r.app->keyRing().hasPending());
  CHECK(r.storage.texts[kKeyCurrentKey] == hexOf(kNext));
  const V2Keys next = deriveV2Keys(kNext);
  const std::string s = lastStatus(r);
  CHECK_FALSE(verifyMessage(next.status, s.data(), s.size(), kDev, MessageType::Status, 3));
  // A command under the old key is now a bad signature; one under K' moves the bolt.
  r.commandV3("old-key", "UNLOCK");
  r.run(500);
  CHECK(r.actuator.starts.empty());
  r.deliverSigned(next.cmd, asV3(helpers::cmdBodyV2(kDev, "new-key", "UNLOCK", ++r.ctr, kNow)));
  r.run(1500);
  CHECK(r.actuator.starts.size() == 1);
}

TEST_CASE("rekey: a restart with a pending key logs in with the old secret, re-acks the resent rekey, then switches") {
  Rig r;
  r.online(3);
  sendRekey(r);
  r.run(300);
  r.mqtt.drop();
  r.boot();  // kill -9 after the ack: the same storage, a new process
  r.run(300);
  CHECK(r.app->keyRing().hasPending());
  CHECK(r.mqtt.password != password(kNext));  // the old secret's password until the switch
  r.welcome(3);
  r.run(200);
  sendRekey(r);  // the server resends after the welcome: a new ctr, the same id and key
  r.run(300);
  CHECK(r.acks().back() == "rekey-1:ok");
  serverUsesNewKey(r);
  r.run(300);
  CHECK_FALSE(r.app->keyRing().hasPending());
  r.mqtt.drop();
  r.boot();  // after the switch a restart keeps K'
  r.run(300);
  CHECK(r.app->keyRing().rotated());
  CHECK(r.mqtt.password == password(kNext));
}

TEST_CASE("rekey: a restart with a pending key switches on a welcome signed under K' (the server switched meanwhile)") {
  Rig r;
  r.online(3);
  sendRekey(r);
  r.run(300);
  r.mqtt.drop();
  r.boot();
  r.run(200);
  r.mqtt.deliver(kCmdTopic, helpers::sign(deriveV2Keys(kNext).cmd, helpers::welcomeBody(kDev, 3, kNow)));
  r.run(300);
  CHECK_FALSE(r.app->keyRing().hasPending());
  CHECK(r.app->protocolVersion() == 3);  // and the welcome itself was taken, under K'
}

TEST_CASE("rekey: a secret flashed later wins over a rotated one") {
  Rig r;
  r.online(3);
  sendRekey(r);
  r.run(300);
  serverUsesNewKey(r);
  r.run(300);
  r.mqtt.drop();
  r.cfg.key = helpers::key("abababababababababababababababababababababababababababababababab");
  r.boot();
  r.run(300);
  CHECK_FALSE(r.app->keyRing().rotated());
  CHECK(r.mqtt.password != password(kNext));
}

TEST_CASE("rekey: dropped in a v2 session, refused as a replay, and malformed without a 64-hex key") {
  Rig v2;
  v2.online(2);
  v2.deliverSigned(v2.keys.cmd, rekeyBody(v2.key, "rekey-1", 5, kNext));
  v2.run(300);
  CHECK(v2.acks().empty());
  CHECK_FALSE(v2.app->keyRing().hasPending());

  Rig r;
  r.online(3);
  r.ctr = 10;
  r.commandV3("c-1", "UNLOCK");  // raises the lock's counter to 11
  r.run(1500);
  r.deliverSigned(r.keys.cmd, rekeyBody(r.key, "rekey-2", 3, kNext));
  r.run(300);
  CHECK(r.acks().back() == "rekey-2:rejected");
  CHECK_FALSE(r.app->keyRing().hasPending());
  RekeyMessage m;
  const std::string shortKey = "{\"v\":3,\"type\":\"rekey\",\"dev\":\"front-door\",\"id\":\"rekey-3\",\"ctr\":20,\"ts\":0,\"key\":\"abc\"}";
  CHECK(parseRekey(shortKey.data(), shortKey.size(), kDev, m) == RejectReason::Malformed);
  CHECK(std::string(m.id) == "rekey-3");
}
