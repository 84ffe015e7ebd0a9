// docs/protocol-vectors.json is the contract shared with the TypeScript side: every case must
// get exactly its verdict here too.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "command_verifier.h"
#include "mini_json.h"
#include "printers.h"

using namespace smartlock;

namespace {

minijson::Value loadVectors() {
  std::ifstream in("../../docs/protocol-vectors.json");
  if (!in) in.open("../docs/protocol-vectors.json");
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
