// Bluetooth offline keys (docs/protocol.md §16) without a radio: a real LockController and a real
// BleAccess on fakes, and requests built the way the api and the app build them (design §1-§2).
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ble_access.h"
#include "fakes.h"
#include "helpers.h"
#include "key_schedule.h"
#include "lock_controller.h"

namespace smartlock {
inline std::ostream& operator<<(std::ostream& o, BleVerdict v) { return o << nameOf(v); }
inline std::ostream& operator<<(std::ostream& o, MoveRefusal v) { return o << static_cast<int>(v); }
inline std::ostream& operator<<(std::ostream& o, const BleUse& u) {
  char text[kBleUseMax + 1];
  return o << (formatBleUse(u, text, sizeof text) ? text : "?");
}
}  // namespace smartlock

namespace blerig {

constexpr const char* kDev = "front-door";
constexpr const char* kKid = "8f14e45fceea167a";
constexpr long long kNb = 1795760000, kNa = 1795788800;
constexpr const char* kNonce = "00112233445566778899aabbccddeeff";

inline std::string hmacHex(const smartlock::DeviceKey& k, const std::string& s) {
  const smartlock::Digest d = smartlock::hmacSha256(k, reinterpret_cast<const uint8_t*>(s.data()), s.size());
  char hex[65];
  smartlock::toHex(d.data(), d.size(), hex);
  return hex;
}

inline smartlock::DeviceKey keyOfHex(const std::string& hex) {
  smartlock::DeviceKey k{};
  REQUIRE(smartlock::parseDeviceKey(hex.data(), hex.size(), k));
  return k;
}

// An offline key as the api issues it (§1) and a request made with it (§2).
struct Key {
  std::string dev = kDev, kid = kKid, uid = "u-alice", act = "LU";
  long long nb = kNb, na = kNa;
  std::string capability() const {
    return "{\"v\":3,\"type\":\"blekey\",\"dev\":\"" + dev + "\",\"kid\":\"" + kid + "\",\"uid\":\"" + uid +
           "\",\"act\":\"" + act + "\",\"nb\":" + std::to_string(nb) + ",\"na\":" + std::to_string(na) + "}";
  }
  // s = HMAC(key("ble"), C), the offline key's secret.
  smartlock::DeviceKey secret(const smartlock::DeviceKey& k) const {
    return keyOfHex(hmacHex(smartlock::derivePurposeKey(k, smartlock::KeyPurpose::Ble), capability()));
  }
  std::string body(const std::string& op, const std::string& n) const {
    return "{\"v\":3,\"type\":\"bleop\",\"dev\":\"" + dev + "\",\"kid\":\"" + kid + "\",\"uid\":\"" + uid +
           "\",\"act\":\"" + act + "\",\"nb\":" + std::to_string(nb) + ",\"na\":" + std::to_string(na) +
           ",\"op\":\"" + op + "\",\"n\":\"" + n + "\"}";
  }
  std::string request(const smartlock::DeviceKey& k, const std::string& op, const std::string& n) const {
    return helpers::sign(secret(k), body(op, n));
  }
};

inline std::string nonceOf(const std::string& challenge) {
  const size_t at = challenge.find("\"n\":\"");
  REQUIRE(at != std::string::npos);
  return challenge.substr(at + 5, 32);
}

// The worked example's nonce first (§6), then never the same one again.
struct ExampleRandom : smartlock::Random {
  std::vector<uint32_t> first = {0x00112233u, 0x44556677u, 0x8899aabbu, 0xccddeeffu};
  size_t i = 0;
  fakes::XorShiftRandom rest;
  uint32_t next() override { return i < first.size() ? first[i++] : rest.next(); }
};

struct Rig {
  fakes::FakeClock clock;
  fakes::FakeStorage storage;
  fakes::FakeActuator actuator;
  ExampleRandom random;
  fakes::FakeDoor door;
  fakes::FakeBolt bolt;
  smartlock::DeviceKey k = helpers::key();
  std::unique_ptr<smartlock::LockController> lock;
  std::unique_ptr<smartlock::BleAccess> ble;

  explicit Rig(std::optional<int64_t> unix = kNb) {
    clock.unix = unix;
    actuator.bolt = &bolt;
    boot();
  }
  // A (re)boot on the same storage, as after a power cut.
  void boot() {
    lock = std::make_unique<smartlock::LockController>(
        smartlock::LockControllerDeps{storage, actuator, clock, nullptr, &door, &bolt}, k, kDev);
    ble = std::make_unique<smartlock::BleAccess>(smartlock::BleAccessDeps{storage, random, clock, *lock, nullptr}, kDev);
    lock->begin();
    ble->begin(k);
  }
  std::string challenge() {
    char buf[smartlock::kBleMessageMax + 1];
    const size_t n = ble->readChallenge(buf, sizeof buf);
    REQUIRE(n > 0);
    return std::string(buf, n);
  }
  smartlock::BleVerdict send(const std::string& request) { return ble->request(request.data(), request.size()); }
  // A fresh challenge, then a request with the key: the usual exchange.
  smartlock::BleVerdict open(const Key& key, const std::string& op = "UNLOCK") {
    const std::string n = nonceOf(challenge());
    return send(key.request(k, op, n));
  }
  // Lets the bolt finish and the result be written.
  void settle() {
    for (int i = 0; i < 5; ++i) {
      lock->poll();
      ble->poll();
    }
  }
  std::string result() const { return std::string(ble->result(), ble->resultLength()); }
};

}  // namespace blerig
