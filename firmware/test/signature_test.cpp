#include <doctest/doctest.h>

#include <string>

#include "helpers.h"
#include "printers.h"
#include "signature.h"

using namespace smartlock;

TEST_CASE("the mqtt password of the worked example is f18eea59...") {
  char pw[65];
  mqttPassword(helpers::key(), pw);
  CHECK(std::string(pw) == "f18eea59ad5d25ff8c26d1ac53866e7c1f0171db53731aed818aaaee26029705");
}

TEST_CASE("device keys are exactly 64 hex digits") {
  DeviceKey k{};
  CHECK(parseDeviceKey("000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f", 64, k));
  CHECK(k[10] == 0x0a);
  CHECK_FALSE(parseDeviceKey("0001", 4, k));
  CHECK_FALSE(parseDeviceKey("g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 64, k));
}

TEST_CASE("signing B reproduces the worked example cmd byte for byte") {
  const std::string b = helpers::cmdBody("front-door", "c-1", "UNLOCK", 7, 1795760000);
  CHECK(helpers::sign(helpers::key(), b) ==
        "{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\",\"id\":\"c-1\",\"action\":\"UNLOCK\",\"ctr\":7,"
        "\"ts\":1795760000,\"sig\":\"6d0aa1d2a3fd1c1686a058d64a4992a04c5d464d7fcc41c0eea544b4f31c9414\"}");
}

TEST_CASE("the envelope must end with the exact lowercase sig suffix") {
  const std::string good = helpers::signedCmd(helpers::key(), "front-door", "c-1", "UNLOCK", 7, 1);
  CHECK(envelopeBodyLength(good.data(), good.size()).has_value());
  CHECK_FALSE(checkSignature(helpers::key(), good.data(), good.size()).has_value());

  std::string trailing = good + " ";
  CHECK(checkSignature(helpers::key(), trailing.data(), trailing.size()) == RejectReason::Malformed);
  std::string spaced = good;
  spaced.replace(spaced.find(",\"sig\":"), 7, ", \"sig\":");
  CHECK(checkSignature(helpers::key(), spaced.data(), spaced.size()) == RejectReason::Malformed);
  std::string shortSig = good;
  shortSig.erase(shortSig.size() - 3, 1);
  CHECK(checkSignature(helpers::key(), shortSig.data(), shortSig.size()) == RejectReason::Malformed);
  CHECK(checkSignature(helpers::key(), "", 0) == RejectReason::Malformed);
  CHECK(checkSignature(helpers::key(), nullptr, 0) == RejectReason::Malformed);
}

TEST_CASE("a flipped bit anywhere is a bad signature") {
  const std::string good = helpers::signedCmd(helpers::key(), "front-door", "c-1", "UNLOCK", 7, 1);
  for (size_t i = 1; i < good.size() - 76; i += 7) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    CHECK(checkSignature(helpers::key(), bad.data(), bad.size()) == RejectReason::BadSignature);
  }
  std::string badSig = good;
  badSig[badSig.size() - 3] = badSig[badSig.size() - 3] == '0' ? '1' : '0';
  CHECK(checkSignature(helpers::key(), badSig.data(), badSig.size()) == RejectReason::BadSignature);
}

TEST_CASE("payloads over the size limit are refused before hashing") {
  std::string big = "{\"pad\":\"" + std::string(kMaxPayload, 'a') + "\"}";
  big = helpers::sign(helpers::key(), big.substr(0, 200) + "\"}");  // a small one signs fine
  CHECK_FALSE(big.empty());
  std::string huge(kMaxPayload + 1, 'a');
  CHECK(checkSignature(helpers::key(), huge.data(), huge.size()) == RejectReason::Malformed);
}

TEST_CASE("signInPlace refuses what is not an object or does not fit") {
  char buf[100] = "{\"v\":1}";
  CHECK(signInPlace(helpers::key(), buf, 7, sizeof buf) == 7 - 1 + kSigSuffixLen);
  char tiny[20] = "{\"v\":1}";
  CHECK(signInPlace(helpers::key(), tiny, 7, sizeof tiny) == 0);
  char notObj[100] = "[1]";
  CHECK(signInPlace(helpers::key(), notObj, 3, sizeof notObj) == 0);
}

TEST_CASE("constant-time compare is a plain equality") {
  const uint8_t a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 3, 5};
  CHECK(constantTimeEqual(a, a, 4));
  CHECK_FALSE(constantTimeEqual(a, b, 4));
  CHECK(constantTimeEqual(a, b, 3));
}
