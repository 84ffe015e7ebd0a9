// docs/ble-vectors.json is the Bluetooth contract shared with the api (design §7): every case must
// get exactly its verdict from this lock too. Until the api's generator has written the file, the
// same runner checks the cases of docs/protocol.md §16.9's worked example built in here.
//
// Read from each case (names tolerated in either spelling, absent = default):
//   request (the bytes written to the request characteristic), verdict ("ok", "malformed", ...),
//   state: nonce (the outstanding one; absent = the request's n), now (unix s; null or absent
//   with noClock = no clock), nonceAgeMs, kids ("a,b" or an array), before, safeMode, busy
//   (moving), doorOpen; optionally result (R, compared byte for byte when present).
// Top level: deviceSecret (default 00..1f), deviceId (default front-door), bleKey (checked).
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ble_rig.h"
#include "mini_json.h"
#include "printers.h"

using namespace smartlock;

namespace {

struct VectorCase {
  std::string name, request, verdict, result;
  std::string nonce;  // "" = the request's n
  std::optional<int64_t> now;
  uint32_t nonceAgeMs = 0;
  std::string kids;
  int64_t before = 0;
  bool safeMode = false, busy = false, doorOpen = false;
  std::string bolt = "LOCKED";  // where the bolt is, or where it is moving to (LOCKING / UNLOCKING)
};

const minijson::Value* find(const minijson::Value& v, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    auto it = v.members.find(n);
    if (it != v.members.end()) return &it->second;
  }
  return nullptr;
}
std::string strOf(const minijson::Value& v, std::initializer_list<const char*> names, const std::string& def = "") {
  const minijson::Value* x = find(v, names);
  return x && x->type == minijson::Value::Type::String ? x->str : def;
}
bool boolOf(const minijson::Value& v, std::initializer_list<const char*> names) {
  const minijson::Value* x = find(v, names);
  // mini_json has no booleans: true/1 read as a number, a string "true" as text.
  return x && ((x->type == minijson::Value::Type::Number && x->number != 0) || x->str == "true");
}

std::string nonceIn(const std::string& request) {
  const size_t at = request.find(",\"n\":\"");
  return at == std::string::npos ? "" : request.substr(at + 6, 32);
}

// One case on a fresh lock in the case's state.
void runCase(const VectorCase& c, const DeviceKey& k, const std::string& dev) {
  CAPTURE(c.name);
  // `now` is the lock's time when the request arrives; the challenge was read nonceAgeMs before it.
  std::optional<int64_t> challengedAt = c.now;
  if (challengedAt) *challengedAt -= static_cast<int64_t>(c.nonceAgeMs / 1000);
  blerig::Rig r(challengedAt);
  r.k = k;
  if (dev != blerig::kDev) return;  // the rig's lock is front-door; other devices are the api's business
  r.boot();
  if (c.bolt == "UNLOCKED" || c.bolt == "LOCKING") {  // the api's cases say where the bolt is
    REQUIRE_FALSE(r.lock->startBleMove(Action::Unlock).has_value());
    r.settle();
  }
  std::string nonce = c.nonce.empty() ? nonceIn(c.request) : c.nonce;
  if (nonce.size() != 32) nonce = blerig::kNonce;  // a malformed request: any outstanding nonce
  r.random.first.clear();
  for (size_t i = 0; i < 32; i += 8) r.random.first.push_back(static_cast<uint32_t>(std::stoul(nonce.substr(i, 8), nullptr, 16)));
  r.random.i = 0;
  REQUIRE(blerig::nonceOf(r.challenge()) == nonce);
  r.clock.advance(c.nonceAgeMs);
  if (!c.kids.empty() || c.before != 0) {
    BleRevocations list;
    REQUIRE(parseKidList(c.kids.data(), c.kids.size(), list));
    list.before = c.before;
    REQUIRE(r.ble->replaceRevocations(list));
  }
  r.lock->setSafeMode(c.safeMode);
  if (c.doorOpen) {
    r.door.state = DoorState::Open;
    r.lock->poll();
  }
  if (c.busy || c.bolt == "LOCKING" || c.bolt == "UNLOCKING") {
    r.actuator.pollsPerMove = 100;
    REQUIRE_FALSE(r.lock->startBleMove(c.bolt == "LOCKING" ? Action::Lock : Action::Unlock).has_value());
  }
  CHECK(std::string(nameOf(r.send(c.request))) == c.verdict);
  r.actuator.pollsPerMove = 1;
  r.settle();
  if (!c.result.empty()) CHECK(r.result() == c.result);
}

std::vector<VectorCase> casesOf(const minijson::Value& v) {
  std::vector<VectorCase> out;
  for (const auto& item : v["cases"].items) {
    VectorCase c;
    c.name = strOf(item, {"name"});
    c.request = strOf(item, {"request", "payload"});
    c.verdict = strOf(item, {"verdict", "expect"});
    c.result = strOf(item, {"result", "R"});
    const minijson::Value* st = find(item, {"state", "lock"});
    const minijson::Value& s = st ? *st : item;
    c.nonce = strOf(s, {"nonce", "outstandingNonce", "n"});
    const minijson::Value* now = find(s, {"now", "nowUnix", "clock"});
    // 0 is the api's "no time since boot" (a status's ts 0).
    if (now && now->type == minijson::Value::Type::Number && now->number != 0) c.now = static_cast<int64_t>(now->number);
    if (boolOf(s, {"noClock"})) c.now.reset();
    if (const minijson::Value* age = find(s, {"nonceAgeMs"})) c.nonceAgeMs = static_cast<uint32_t>(age->number);
    if (const minijson::Value* age = find(s, {"nonceAgeS"})) c.nonceAgeMs = static_cast<uint32_t>(age->number * 1000);
    c.bolt = strOf(s, {"bolt"}, "LOCKED");
    if (const minijson::Value* kids = find(s, {"kids", "revoked", "revokedKids"})) {
      if (kids->type == minijson::Value::Type::String) c.kids = kids->str;
      for (const auto& kid : kids->items) c.kids += (c.kids.empty() ? "" : ",") + kid.str;
    }
    if (const minijson::Value* before = find(s, {"before"})) c.before = static_cast<int64_t>(before->number);
    c.safeMode = boolOf(s, {"safeMode"});
    c.busy = boolOf(s, {"busy", "moving"});
    c.doorOpen = boolOf(s, {"doorOpen"}) || strOf(s, {"door"}) == "OPEN";
    out.push_back(c);
  }
  return out;
}

// docs/protocol.md §16.9 when the shared file is not there yet.
std::vector<VectorCase> builtInCases(const DeviceKey& k) {
  const blerig::Key key;
  const std::string n = blerig::kNonce;
  std::vector<VectorCase> out;
  auto add = [&](const std::string& name, const std::string& request, const std::string& verdict) {
    VectorCase c;
    c.name = name;
    c.request = request;
    c.verdict = verdict;
    c.now = blerig::kNb;
    c.nonce = n;
    out.push_back(c);
    return &out.back();
  };
  add("worked example", key.request(k, "UNLOCK", n), "ok")->result =
      "{\"v\":3,\"type\":\"bleres\",\"dev\":\"front-door\",\"n\":\"00112233445566778899aabbccddeeff\",\"result\":\"ok\","
      "\"status\":\"UNLOCKED\",\"sig\":\"49e3b31511a8a3836c112302472e020b9b24a512f804b8fef41ab9eef9452691\"}";
  add("malformed: member order", helpers::sign(key.secret(k), "{\"type\":\"bleop\",\"v\":3" + key.body("UNLOCK", n).substr(22)),
      "malformed");
  blerig::Key other = key;
  other.dev = "back-door";
  add("wrong device", other.request(k, "UNLOCK", n), "wrong_device");
  add("bad nonce", key.request(k, "UNLOCK", "ffeeddccbbaa99887766554433221100"), "bad_nonce");
  add("bad nonce: older than 30 s", key.request(k, "UNLOCK", n), "bad_nonce")->nonceAgeMs = 30001;
  add("bad signature", helpers::sign(helpers::key(std::string(64, 'e').c_str()), key.body("UNLOCK", n)), "bad_signature");
  blerig::Key wide = key;
  wide.na = wide.nb + 43201;
  add("malformed: window over 12 h", wide.request(k, "UNLOCK", n), "malformed");
  add("no clock", key.request(k, "UNLOCK", n), "no_clock")->now.reset();
  add("not yet", key.request(k, "UNLOCK", n), "not_yet")->now = blerig::kNb - 61;
  add("expired", key.request(k, "UNLOCK", n), "expired")->now = blerig::kNa;
  add("revoked by kid", key.request(k, "UNLOCK", n), "revoked")->kids = blerig::kKid;
  add("revoked by before", key.request(k, "UNLOCK", n), "revoked")->before = blerig::kNb + 1;
  blerig::Key lockOnly = key;
  lockOnly.act = "L";
  add("not allowed", lockOnly.request(k, "UNLOCK", n), "not_allowed");
  add("safe mode", key.request(k, "UNLOCK", n), "safe_mode")->safeMode = true;
  add("busy", key.request(k, "LOCK", n), "busy")->busy = true;
  add("door open", key.request(k, "LOCK", n), "door_open")->doorOpen = true;
  return out;
}

}  // namespace

TEST_CASE("ble vectors: every case of docs/ble-vectors.json (or of §16.9 until it exists) gets its verdict") {
  const char* override = std::getenv("SMARTLOCK_BLE_VECTORS");
  std::ifstream in(override ? override : "../../docs/ble-vectors.json");
  if (!in && !override) in.open("../docs/ble-vectors.json");
  DeviceKey k = helpers::key();
  if (!in.good()) {
    MESSAGE("docs/ble-vectors.json is not there yet: checking the worked example's cases of docs/protocol.md §16.9");
    const auto cases = builtInCases(k);
    CHECK(cases.size() == 16);  // the worked example and one per verdict of §16.4
    for (const auto& c : cases) runCase(c, k, blerig::kDev);
    return;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const minijson::Value v = minijson::Parser(ss.str()).parse();
  const std::string secret = strOf(v, {"deviceSecret", "K"}, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  k = blerig::keyOfHex(secret);
  const std::string bleKey = strOf(v, {"bleKey", "keyBle"});
  if (!bleKey.empty()) {
    const DeviceKey derived = derivePurposeKey(k, KeyPurpose::Ble);
    char hex[65];
    toHex(derived.data(), derived.size(), hex);
    CHECK(std::string(hex) == bleKey);
  }
  const auto cases = casesOf(v);
  CHECK(cases.size() >= 13);  // one per verdict at least
  for (const auto& c : cases) runCase(c, k, strOf(v, {"deviceId", "dev"}, blerig::kDev));
}
