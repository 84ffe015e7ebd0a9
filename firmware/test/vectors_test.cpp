// docs/protocol-vectors.json is the contract shared with the TypeScript side: every case must
// get exactly its verdict here too.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "command_verifier.h"
#include "key_schedule.h"
#include "mini_json.h"
#include "printers.h"

using namespace smartlock;

namespace {

minijson::Value loadVectors() {
  // SMARTLOCK_VECTORS lets a branch check a vectors file that is not merged yet.
  const char* override = std::getenv("SMARTLOCK_VECTORS");
  std::ifstream in(override ? override : "../../docs/protocol-vectors.json");
  if (!in && !override) in.open("../docs/protocol-vectors.json");
  REQUIRE_MESSAGE(in.good(), "run the tests from firmware/test (make test does)");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  return minijson::Parser(text).parse();
}

DeviceKey keyOf(const std::string& hex) {
  DeviceKey k{};
  REQUIRE(parseDeviceKey(hex.data(), hex.size(), k));
  return k;
}

std::string hmacHex(const DeviceKey& k, const std::string& s) {
  const Digest d = hmacSha256(k, reinterpret_cast<const uint8_t*>(s.data()), s.size());
  char hex[65];
  toHex(d.data(), d.size(), hex);
  return hex;
}

}  // namespace

TEST_CASE("protocol vectors: mqtt passwords match") {
  const auto v = loadVectors();
  CHECK(v["protocol"].number == 1);
  REQUIRE(v["mqttPassword"].items.size() >= 1);
  for (const auto& c : v["mqttPassword"].items) {
    char pw[65];
    mqttPassword(keyOf(c["deviceSecret"].str), pw);
    CHECK(std::string(pw) == c["mqttPassword"].str);
  }
  CHECK(v["mqttPassword"].items[0]["mqttPassword"].str ==
        "f18eea59ad5d25ff8c26d1ac53866e7c1f0171db53731aed818aaaee26029705");
}

TEST_CASE("protocol vectors: every case gets its verdict and every sig is the HMAC of unsigned") {
  const auto v = loadVectors();
  REQUIRE(v["cases"].items.size() >= 15);
  for (const auto& c : v["cases"].items) {
    CAPTURE(c["name"].str);
    const DeviceKey k = keyOf(c["deviceSecret"].str);
    const std::string& payload = c["payload"].str;
    const std::string& expect = c["expectType"].str;
    const MessageType type = expect == "cmd" ? MessageType::Cmd : expect == "time" ? MessageType::Time : MessageType::Status;
    const auto why = verifyMessage(k, payload.data(), payload.size(), c["topicDevice"].str.c_str(), type);
    CHECK(std::string(why ? nameOf(*why) : "valid") == c["verdict"].str);

    const std::string& b = c["unsigned"].str;
    if (!b.empty()) {
      CHECK(hmacHex(k, b) == c["sig"].str);
    }
    if (c["verdict"].str == "valid") {
      // A valid payload is exactly B with its closing brace replaced by the sig member.
      CHECK(payload == b.substr(0, b.size() - 1) + ",\"sig\":\"" + c["sig"].str + "\"}");
    }
  }
}

TEST_CASE("protocol vectors: the worked examples are present with the signatures of the worked example in docs/protocol.md") {
  const auto v = loadVectors();
  int found = 0;
  for (const auto& c : v["cases"].items) {
    if (c["name"].str == "worked example cmd") {
      CHECK(c["sig"].str == "6d0aa1d2a3fd1c1686a058d64a4992a04c5d464d7fcc41c0eea544b4f31c9414");
      ++found;
    }
    if (c["name"].str == "worked example status") {
      CHECK(c["sig"].str == "5ed58e97bd0182e2087e3a2c8ccc53261e242f4716436a0ee58c96c34e9d8ca0");
      ++found;
    }
  }
  CHECK(found == 2);
}

// Protocol v2 (docs/protocol.md §11): keys, passwords and every v2 case, verified with the purpose
// key the case names and the v2 schemas, exactly as the lock and the api do.
namespace {
bool hasV2(const minijson::Value& v) {
  if (v.members.count("v2Cases")) return true;
  MESSAGE("the vectors file has no v2 vectors yet (they come with wip/v2api); v2 vector checks skipped");
  return false;
}
std::vector<uint8_t> unhex(const std::string& h) {
  std::vector<uint8_t> out(h.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(std::stoi(h.substr(2 * i, 2), nullptr, 16));
  return out;
}
std::string hexOf(const uint8_t* d, size_t n) {
  std::string s(2 * n + 1, '\0');
  toHex(d, n, &s[0]);
  s.pop_back();
  return s;
}
bool purposeOf(const std::string& label, KeyPurpose& out) {
  for (KeyPurpose p : {KeyPurpose::Cmd, KeyPurpose::Status, KeyPurpose::Mqtt, KeyPurpose::Ble, KeyPurpose::TlsPsk,
                       KeyPurpose::Update}) {
    if (label == labelOf(p)) {
      out = p;
      return true;
    }
  }
  return false;
}
MessageType typeOf(const std::string& t) {
  if (t == "cmd") return MessageType::Cmd;
  if (t == "time") return MessageType::Time;
  if (t == "hello") return MessageType::Hello;
  if (t == "welcome") return MessageType::Welcome;
  if (t == "cfg") return MessageType::Cfg;
  return MessageType::Status;
}
}  // namespace

TEST_CASE("protocol vectors v2: HKDF (RFC 5869), the purpose keys and the v2 mqtt passwords") {
  const auto v = loadVectors();
  if (!hasV2(v)) return;
  REQUIRE(v["hkdfRfc5869"].items.size() >= 1);
  for (const auto& c : v["hkdfRfc5869"].items) {
    CAPTURE(c["name"].str);
    const auto ikm = unhex(c["ikm"].str), salt = unhex(c["salt"].str), info = unhex(c["info"].str);
    std::vector<uint8_t> okm(static_cast<size_t>(c["length"].number));
    REQUIRE(hkdfSha256(ikm.data(), ikm.size(), salt.data(), salt.size(), info.data(), info.size(), okm.data(), okm.size()));
    CHECK(hexOf(okm.data(), okm.size()) == c["okm"].str);
  }
  REQUIRE(v["v2Keys"].items.size() >= 6);
  for (const auto& c : v["v2Keys"].items) {
    CAPTURE(c["label"].str);
    KeyPurpose p{};
    REQUIRE(purposeOf(c["label"].str, p));
    CHECK(c["salt"].str == "smartlock");
    CHECK(c["info"].str == "smartlock v2 " + c["label"].str);
    const DeviceKey k = derivePurposeKey(keyOf(c["deviceSecret"].str), p);
    CHECK(hexOf(k.data(), k.size()) == c["key"].str);
  }
  REQUIRE(v["v2MqttPassword"].items.size() >= 1);
  for (const auto& c : v["v2MqttPassword"].items) {
    char pw[65];
    mqttPasswordV2(keyOf(c["deviceSecret"].str), pw);
    CHECK(std::string(pw) == c["mqttPassword"].str);
  }
}

TEST_CASE("protocol vectors v2: the TLS pre-shared key is the hex of the tls-psk purpose key (docs/protocol.md section 12)") {
  const auto v = loadVectors();
  if (!hasV2(v)) return;
  size_t checked = 0;
  for (const auto& c : v["v2Keys"].items) {
    if (c["label"].str != "tls-psk") continue;
    CAPTURE(c["deviceSecret"].str);
    char psk[65];
    tlsPskHex(keyOf(c["deviceSecret"].str), psk);
    CHECK(std::string(psk) == c["key"].str);
    ++checked;
  }
  CHECK(checked >= 1);
}

TEST_CASE("protocol vectors v2: every case gets its verdict with its purpose key, and every sig is that key's HMAC") {
  const auto v = loadVectors();
  if (!hasV2(v)) return;
  REQUIRE(v["v2Cases"].items.size() >= 40);
  for (const auto& c : v["v2Cases"].items) {
    CAPTURE(c["name"].str);
    KeyPurpose p{};
    REQUIRE(purposeOf(c["key"].str, p));
    const DeviceKey k = derivePurposeKey(keyOf(c["deviceSecret"].str), p);
    const std::string& payload = c["payload"].str;
    const auto why = verifyMessage(k, payload.data(), payload.size(), c["topicDevice"].str.c_str(),
                                   typeOf(c["expectType"].str), kProtocolV2);
    CHECK(std::string(why ? nameOf(*why) : "valid") == c["verdict"].str);
    const std::string& b = c["unsigned"].str;
    if (!b.empty() && c["verdict"].str != "bad_signature") CHECK(hmacHex(k, b) == c["sig"].str);
    if (c["verdict"].str == "valid") {
      CHECK(payload == b.substr(0, b.size() - 1) + ",\"sig\":\"" + c["sig"].str + "\"}");
    }
  }
}

TEST_CASE("protocol vectors v2: the lock builds the worked-example hello and statuses byte for byte") {
  const auto v = loadVectors();
  if (!hasV2(v)) return;
  int built = 0;
  for (const auto& c : v["v2Cases"].items) {
    if (c["verdict"].str != "valid" || c["name"].str.rfind("worked example", 0) != 0) continue;
    const std::string& b = c["unsigned"].str;
    char buf[kMaxPayload + 1];
    size_t n = 0;
    if (c["expectType"].str == "hello") {
      HelloMessage h;
      REQUIRE_FALSE(parseHello(b.data(), b.size(), "front-door", h));
      // A v2 lock announces "1,2", a v3 lock "1,2,3": rebuild with the version the vector announces.
      const int maxVersion = std::string(h.vers) == spokenVersions(kProtocolV3) ? kProtocolV3 : kProtocolV2;
      if (std::string(h.vers) != spokenVersions(maxVersion)) continue;
      n = buildHello("front-door", h.boot, h.seq, h.ts, h.fw, buf, sizeof buf, maxVersion);
    } else if (c["expectType"].str == "status") {
      StatusMessage s;
      REQUIRE_FALSE(parseStatus(b.data(), b.size(), "front-door", s, kProtocolV2));
      StatusReport r;
      r.version = kProtocolV2;
      r.boot = s.boot;
      r.seq = s.seq;
      r.status = s.status;
      r.door = s.door;
      r.src = s.src;
      r.cid = s.cid;
      r.ctr = s.ctr;
      r.ts = s.ts;
      r.ack = s.ack ? &*s.ack : nullptr;
      n = buildStatus("front-door", r, buf, sizeof buf);
    } else {
      continue;
    }
    CAPTURE(c["name"].str);
    CHECK(std::string(buf, n) == b);
    ++built;
  }
  CHECK(built >= 3);
}

// Protocol v3 (docs/protocol.md §13): read like v2Cases by a lock welcomed into v3.
TEST_CASE("protocol vectors v3: every case gets its verdict from a lock that speaks v3") {
  const auto v = loadVectors();
  if (!v.members.count("v3Cases")) {
    MESSAGE("the vectors file has no v3 cases; v3 vector checks skipped");
    return;
  }
  REQUIRE(v["v3Cases"].items.size() >= 10);
  for (const auto& c : v["v3Cases"].items) {
    CAPTURE(c["name"].str);
    KeyPurpose p{};
    REQUIRE(purposeOf(c["key"].str, p));
    const DeviceKey k = derivePurposeKey(keyOf(c["deviceSecret"].str), p);
    const std::string& payload = c["payload"].str;
    const auto why = verifyMessage(k, payload.data(), payload.size(), c["topicDevice"].str.c_str(),
                                   typeOf(c["expectType"].str), kProtocolV3);
    CHECK(std::string(why ? nameOf(*why) : "valid") == c["verdict"].str);
    const std::string& b = c["unsigned"].str;
    if (!b.empty() && c["verdict"].str != "bad_signature") CHECK(hmacHex(k, b) == c["sig"].str);
  }
}
