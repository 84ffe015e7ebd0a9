// Bluetooth offline keys, the lock's checks (docs/protocol.md §16.4): the worked example byte for
// byte, one case per verdict, nonces, the clock, revocation, and the offline-use queue.
#include <doctest/doctest.h>

#include <cstring>

#include "ble_rig.h"
#include "printers.h"

using namespace smartlock;
using blerig::Key;
using blerig::Rig;

TEST_CASE("ble: the worked example (§16.9) byte for byte: key(ble), s, the challenge, sig(B), R and sig(R)") {
  const DeviceKey bleKey = derivePurposeKey(helpers::key(), KeyPurpose::Ble);
  char hex[65];
  toHex(bleKey.data(), bleKey.size(), hex);
  CHECK(std::string(hex) == "896076042684a2eb3399bb02188764dd23f483038b85e3f8480cf0bd1352d29d");
  const Key key;
  CHECK(key.capability() ==
        "{\"v\":3,\"type\":\"blekey\",\"dev\":\"front-door\",\"kid\":\"8f14e45fceea167a\",\"uid\":\"u-alice\","
        "\"act\":\"LU\",\"nb\":1795760000,\"na\":1795788800}");
  CHECK(blerig::hmacHex(bleKey, key.capability()) == "ca4d68cae7f73a05896461c433ec820ea88a30b9098eed58ab722a94158b5296");
  const std::string b = key.body("UNLOCK", blerig::kNonce);
  CHECK(blerig::hmacHex(key.secret(helpers::key()), b) == "d0a40e7ef6b18a0498d55ecafe274f5b03cfa1138b87a0b63ee7b810ab35eed7");

  Rig r;
  CHECK(r.challenge() ==
        "{\"v\":3,\"type\":\"blechal\",\"dev\":\"front-door\",\"n\":\"00112233445566778899aabbccddeeff\",\"t\":1795760000}");
  const std::string request =
      b.substr(0, b.size() - 1) + ",\"sig\":\"d0a40e7ef6b18a0498d55ecafe274f5b03cfa1138b87a0b63ee7b810ab35eed7\"}";
  CHECK(r.send(request) == BleVerdict::Ok);
  CHECK(r.actuator.starts == std::vector<Action>{Action::Unlock});
  CHECK(r.lock->source() == BoltSource::Ble);
  CHECK(r.ble->resultPending());  // R waits for the bolt
  r.settle();
  CHECK(r.result() ==
        "{\"v\":3,\"type\":\"bleres\",\"dev\":\"front-door\",\"n\":\"00112233445566778899aabbccddeeff\",\"result\":\"ok\","
        "\"status\":\"UNLOCKED\",\"sig\":\"49e3b31511a8a3836c112302472e020b9b24a512f804b8fef41ab9eef9452691\"}");
  CHECK(r.ble->takeResultChanged());
  CHECK_FALSE(r.ble->takeResultChanged());
  REQUIRE(r.ble->peekUse() != nullptr);
  char use[kBleUseMax + 1];
  REQUIRE(formatBleUse(*r.ble->peekUse(), use, sizeof use));
  CHECK(std::string(use) == "8f14e45fceea167a.U.1795760000");

  // The blerev of the example, signed with the cmd key.
  const std::string blerev = helpers::sign(
      deriveV2Keys(helpers::key()).cmd,
      "{\"v\":3,\"type\":\"blerev\",\"dev\":\"front-door\",\"id\":\"blerev-7a1c\",\"ctr\":42,\"ts\":1795760100,\"before\":0,"
      "\"kids\":\"8f14e45fceea167a\"}");
  CHECK(blerev.substr(blerev.size() - 66, 64) == "541aa1c81dfdca8945aca59e55f237acbf585b5104af90a58bc4e86062c69a75");
}

namespace {
bool isSigned(const std::string& result) { return result.find(",\"sig\":\"") != std::string::npos; }
std::string reasonOf(const std::string& result) {
  const size_t at = result.find("\"reason\":\"");
  if (at == std::string::npos) return "";
  return result.substr(at + 10, result.find('"', at + 10) - at - 10);
}
// Rejected: nothing moved, nothing to report, R names the verdict and is signed from check 5 on.
void checkRejected(Rig& r, BleVerdict v, bool signedR) {
  CHECK(r.actuator.starts.empty());
  CHECK(r.ble->queued() == 0);
  CHECK_FALSE(r.ble->resultPending());
  CHECK(reasonOf(r.result()) == nameOf(v));
  CHECK(r.result().find("\"result\":\"rejected\"") != std::string::npos);
  CHECK(isSigned(r.result()) == signedR);
}
}  // namespace

TEST_CASE("ble: malformed requests (size, shape, string rule, member order, types, window) are refused") {
  const Key key;
  const auto refuse = [&](const std::string& request, bool signedR = false) {
    Rig r;
    r.challenge();
    CAPTURE(request);
    CHECK(r.send(request) == BleVerdict::Malformed);
    checkRejected(r, BleVerdict::Malformed, signedR);
    return r;
  };
  const DeviceKey k = helpers::key();
  const std::string good = key.request(k, "UNLOCK", blerig::kNonce);
  refuse(good.substr(0, good.size() - 1));                                    // no closing brace
  refuse(good + std::string(401 - good.size(), ' '));                         // over 400 bytes
  refuse(helpers::sign(key.secret(k), "{\"type\":\"bleop\",\"v\":3" + key.body("UNLOCK", blerig::kNonce).substr(22)));  // order
  refuse(helpers::sign(key.secret(k), "{\"v\":3, \"type\"" + key.body("UNLOCK", blerig::kNonce).substr(13)));  // whitespace
  Key bad = key;
  bad.uid = "u\\alice";
  refuse(bad.request(k, "UNLOCK", blerig::kNonce));  // the one string rule: no backslash
  bad = key;
  bad.kid = "8F14E45FCEEA167A";
  refuse(bad.request(k, "UNLOCK", blerig::kNonce));  // kid: lowercase hex
  bad = key;
  bad.act = "X";
  refuse(bad.request(k, "UNLOCK", blerig::kNonce));
  refuse(key.request(k, "OPEN", blerig::kNonce));
  refuse(key.request(k, "UNLOCK", "0011"));  // n: 32 hex
  refuse(helpers::sign(key.secret(k), "{\"v\":2" + key.body("UNLOCK", blerig::kNonce).substr(6)));
  refuse(helpers::sign(key.secret(k), "{\"v\":3,\"type\":\"bleop\",\"dev\":\"front-door\",\"kid\":\"8f14e45fceea167a\"}"));
  // Check 5 comes after the signature: a window over 12 h, or nb >= na, is refused with a signed R.
  bad = key;
  bad.na = bad.nb + 43201;
  refuse(bad.request(k, "UNLOCK", blerig::kNonce), true);
  bad.na = bad.nb;
  refuse(bad.request(k, "UNLOCK", blerig::kNonce), true);
  bad.na = bad.nb + 43200;  // 12 h exactly is allowed
  Rig r;
  CHECK(r.open(bad) == BleVerdict::Ok);
}

TEST_CASE("ble: a request for another lock is wrong_device and does not use up the nonce") {
  Rig r;
  Key other;
  other.dev = "back-door";
  const std::string n = blerig::nonceOf(r.challenge());
  CHECK(r.send(other.request(r.k, "UNLOCK", n)) == BleVerdict::WrongDevice);
  checkRejected(r, BleVerdict::WrongDevice, false);
  CHECK(r.send(Key().request(r.k, "UNLOCK", n)) == BleVerdict::Ok);
}

TEST_CASE("ble: nonces are single use, expire after 30 s, and a new read replaces the old one") {
  const Key key;
  SUBCASE("replay of a used nonce, after an ok") {
    Rig r;
    const std::string request = key.request(r.k, "UNLOCK", blerig::nonceOf(r.challenge()));
    CHECK(r.send(request) == BleVerdict::Ok);
    r.settle();
    r.actuator.starts.clear();
    r.ble->usePublished();
    CHECK(r.send(request) == BleVerdict::BadNonce);
    checkRejected(r, BleVerdict::BadNonce, false);
  }
  SUBCASE("a rejected request uses the nonce up too") {
    Rig r;
    const std::string n = blerig::nonceOf(r.challenge());
    CHECK(r.send(key.request(r.k, "UNLOCK", n).replace(20, 1, "X")) != BleVerdict::Ok);  // any tampering
    CHECK(r.send(helpers::sign(helpers::key(("ff" + std::string(62, '0')).c_str()), key.body("UNLOCK", n))) == BleVerdict::BadSignature);
    CHECK(r.send(key.request(r.k, "UNLOCK", n)) == BleVerdict::BadNonce);
  }
  SUBCASE("30 s is fine, 30.001 s is too late") {
    Rig r;
    std::string n = blerig::nonceOf(r.challenge());
    r.clock.advance(30000);
    CHECK(r.send(key.request(r.k, "UNLOCK", n)) == BleVerdict::Ok);
    r.settle();
    r.actuator.starts.clear();
    r.ble->usePublished();
    n = blerig::nonceOf(r.challenge());
    r.clock.advance(30001);
    CHECK(r.send(key.request(r.k, "LOCK", n)) == BleVerdict::BadNonce);
    checkRejected(r, BleVerdict::BadNonce, false);
  }
  SUBCASE("no challenge read, or an older one") {
    Rig r;
    CHECK(r.send(key.request(r.k, "UNLOCK", blerig::kNonce)) == BleVerdict::BadNonce);
    const std::string first = blerig::nonceOf(r.challenge());
    const std::string second = blerig::nonceOf(r.challenge());
    CHECK(first != second);
    CHECK(r.send(key.request(r.k, "UNLOCK", first)) == BleVerdict::BadNonce);
    checkRejected(r, BleVerdict::BadNonce, false);
  }
}

TEST_CASE("ble: a key signed with another lock's secret, or a changed member, is bad_signature") {
  Rig r;
  Key key;
  const std::string n = blerig::nonceOf(r.challenge());
  const std::string forged = helpers::sign(key.secret(helpers::key(("20" + std::string(62, '1')).c_str())), key.body("UNLOCK", n));
  CHECK(r.send(forged) == BleVerdict::BadSignature);
  checkRejected(r, BleVerdict::BadSignature, false);
  // A user who widens their own key (act L -> LU) with the old signature.
  key.act = "L";
  std::string widened = key.request(r.k, "UNLOCK", blerig::nonceOf(r.challenge()));
  widened.replace(widened.find("\"act\":\"L\""), 9, "\"act\":\"LU\"");
  CHECK(r.send(widened) == BleVerdict::BadSignature);
}

TEST_CASE("ble: the clock: none (after a power loss) refuses every key; a key is good from nb - 60 s until na") {
  const Key key;
  SUBCASE("no clock") {
    Rig r(std::nullopt);
    CHECK(r.challenge().find("\"t\":0}") != std::string::npos);
    CHECK(r.open(key) == BleVerdict::NoClock);
    checkRejected(r, BleVerdict::NoClock, true);
  }
  SUBCASE("not yet") {
    Rig r(blerig::kNb - 61);
    CHECK(r.open(key) == BleVerdict::NotYet);
    checkRejected(r, BleVerdict::NotYet, true);
    Rig early(blerig::kNb - 60);
    CHECK(early.open(key) == BleVerdict::Ok);
  }
  SUBCASE("expired") {
    Rig r(blerig::kNa);
    CHECK(r.open(key) == BleVerdict::Expired);
    checkRejected(r, BleVerdict::Expired, true);
    Rig last(blerig::kNa - 1);
    CHECK(last.open(key) == BleVerdict::Ok);
  }
}

TEST_CASE("ble: revocation by kid and by before, kept across a restart, replaced whole") {
  Rig r;
  Key key;
  BleRevocations list;
  REQUIRE(parseKidList("0000000000000001,8f14e45fceea167a", 33, list));
  REQUIRE(r.ble->replaceRevocations(list));
  CHECK(r.open(key) == BleVerdict::Revoked);
  checkRejected(r, BleVerdict::Revoked, true);
  r.boot();  // power cut: the list was persisted
  CHECK(r.ble->revocations().count == 2);
  CHECK(r.open(key) == BleVerdict::Revoked);

  BleRevocations byTime;
  byTime.before = key.nb + 1;  // every key issued before then
  REQUIRE(r.ble->replaceRevocations(byTime));
  CHECK(r.open(key) == BleVerdict::Revoked);
  r.boot();
  CHECK(r.ble->revocations().before == key.nb + 1);
  CHECK(r.open(key) == BleVerdict::Revoked);
  key.nb += 1;  // a key issued since is fine
  key.kid = "0123456789abcdef";
  CHECK(r.open(key) == BleVerdict::Ok);

  // A list that could not be stored changes nothing.
  r.settle();
  r.storage.failWrites = true;
  CHECK_FALSE(r.ble->replaceRevocations(BleRevocations{}));
  r.storage.failWrites = false;
  r.boot();
  CHECK(r.ble->revocations().before == blerig::kNb + 1);
}

TEST_CASE("ble: act limits the operation: not_allowed") {
  Rig r;
  Key key;
  key.act = "L";
  CHECK(r.open(key, "UNLOCK") == BleVerdict::NotAllowed);
  checkRejected(r, BleVerdict::NotAllowed, true);
  key.act = "U";
  CHECK(r.open(key, "LOCK") == BleVerdict::NotAllowed);
  CHECK(r.open(key, "UNLOCK") == BleVerdict::Ok);
}

TEST_CASE("ble: the remote command rules: safe_mode, busy, door_open") {
  const Key key;
  SUBCASE("safe mode") {
    Rig r;
    r.lock->setSafeMode(true);
    CHECK(r.open(key) == BleVerdict::SafeMode);
    checkRejected(r, BleVerdict::SafeMode, true);
  }
  SUBCASE("busy: the bolt is moving, or flash is written") {
    Rig r;
    r.actuator.pollsPerMove = 10;
    CHECK(r.open(key, "UNLOCK") == BleVerdict::Ok);
    r.actuator.starts.clear();
    r.ble->usePublished();
    CHECK(r.open(key, "LOCK") == BleVerdict::Busy);
    checkRejected(r, BleVerdict::Busy, true);
    CHECK(r.result().find("\"status\":\"UNLOCKING\"") != std::string::npos);
    Rig f;
    f.lock->setFlashBusy(true);
    CHECK(f.open(key) == BleVerdict::Busy);
  }
  SUBCASE("LOCK into an open door under lockOpen REFUSE; UNLOCK is fine") {
    Rig r;
    r.door.state = DoorState::Open;
    r.lock->poll();
    CHECK(r.open(key, "LOCK") == BleVerdict::DoorOpen);
    checkRejected(r, BleVerdict::DoorOpen, true);
    CHECK(r.open(key, "UNLOCK") == BleVerdict::Ok);
  }
}

TEST_CASE("ble: the use queue keeps 16, drops the oldest when full, and survives a restart") {
  Rig r;
  const Key key;
  for (int i = 0; i < 18; ++i) {
    CHECK(r.open(key, i % 2 ? "LOCK" : "UNLOCK") == BleVerdict::Ok);
    r.settle();
    r.clock.advance(1000);
  }
  CHECK(r.ble->queued() == kBleUseQueue);
  CHECK(r.ble->droppedUses() == 2);
  CHECK(r.ble->peekUse()->at == blerig::kNb + 2);  // uses 0 and 1 were dropped
  CHECK(r.ble->peekUse()->op == Action::Unlock);
  r.ble->usePublished();
  r.boot();
  REQUIRE(r.ble->queued() == kBleUseQueue - 1);
  CHECK(r.ble->peekUse()->at == blerig::kNb + 3);
  CHECK(r.ble->peekUse()->op == Action::Lock);
  CHECK(r.ble->peekUse()->kid == 0x8f14e45fceea167aull);
  for (size_t i = 0; i < kBleUseQueue - 1; ++i) r.ble->usePublished();
  CHECK(r.ble->peekUse() == nullptr);
  r.boot();
  CHECK(r.ble->queued() == 0);
}

TEST_CASE("ble: the status member and the kid list parse only in their one form") {
  BleUse u;
  CHECK(parseBleUse("8f14e45fceea167a.U.1795760000", 29, u));
  CHECK(u.op == Action::Unlock);
  CHECK(u.at == 1795760000);
  for (const char* bad : {"8f14e45fceea167a.X.1", "8f14e45fceea167a.U.01", "8F14E45FCEEA167A.U.1", "8f14e45fceea167a.U.",
                          "8f14e45fceea167a-U-1", "8f14e45fceea167a.U.99999999999999999"}) {
    CAPTURE(bad);
    CHECK_FALSE(parseBleUse(bad, std::strlen(bad), u));
  }
  BleRevocations list;
  CHECK(parseKidList("", 0, list));
  CHECK(list.count == 0);
  for (const char* bad : {",", "8f14e45fceea167a,", "8f14e45fceea167", "8f14e45fceea167a;0000000000000000"}) {
    CAPTURE(bad);
    CHECK_FALSE(parseKidList(bad, std::strlen(bad), list));
  }
  std::string many;
  for (int i = 0; i < 33; ++i) many += (i ? "," : "") + std::string(16, "0123456789abcdef"[i % 16]);
  CHECK_FALSE(parseKidList(many.data(), many.size(), list));
  CHECK(parseKidList(many.data(), many.size() - 17, list));
  CHECK(list.count == 32);
}

TEST_CASE("ble: a stored revocation list that lost an entry refuses every key instead of forgetting one") {
  Rig r;
  BleRevocations list;
  REQUIRE(parseKidList("0000000000000001,0000000000000002", 33, list));
  REQUIRE(r.ble->replaceRevocations(list));
  CHECK(r.open(Key()) == BleVerdict::Ok);
  r.settle();
  r.storage.values.erase("brv0.1");  // flash lost the second kid
  r.boot();
  CHECK(r.open(Key()) == BleVerdict::Revoked);
}

TEST_CASE("ble: an ok is answered once the bolt settled, with the settled status (JAMMED when the motor jammed)") {
  Rig r;
  r.actuator.next = MoveState::Jammed;
  CHECK(r.open(Key()) == BleVerdict::Ok);
  CHECK(r.result().empty());
  r.settle();
  CHECK(r.result().find("\"result\":\"ok\",\"status\":\"JAMMED\",\"sig\":\"") != std::string::npos);
}

TEST_CASE("ble: a malformed write does not use up the phone's nonce") {
  Rig r;
  const std::string n = blerig::nonceOf(r.challenge());
  CHECK(r.send("{\"v\":3}") == BleVerdict::Malformed);
  CHECK(r.result().find("\"n\":\"\"") != std::string::npos);  // no n could be read
  CHECK(r.send(Key().request(r.k, "UNLOCK", n)) == BleVerdict::Ok);
}
