// The login rule with a pending K' (docs/protocol.md §11.1 and §13.3): on a broker that holds one
// password per lock (Mosquitto dynsec) the api moves the account to K''s password when it switches,
// which may be before the lock saw any message under K'. The lock then gets in with K''s password,
// keeps signing with K until the server's first message under K', and never loses a way in.
#include <doctest/doctest.h>

#include "broker_login.h"
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
std::string v1(const DeviceKey& k) {
  char pw[kSigHexLen + 1];
  mqttPassword(k, pw);
  return pw;
}
std::string v2(const DeviceKey& k) {
  char pw[kSigHexLen + 1];
  mqttPasswordV2(k, pw);
  return pw;
}

// The rekey for K' under the lock's K (the pad is symmetric: opening hex(K') seals it).
void sendRekey(Rig& r) {
  DeviceKey sealed{};
  REQUIRE(openRekeyKey(r.key, "rekey-1", hexOf(kNext).c_str(), sealed));
  r.deliverSigned(r.keys.cmd, "{\"v\":3,\"type\":\"rekey\",\"dev\":\"front-door\",\"id\":\"rekey-1\",\"ctr\":" +
                                  std::to_string(++r.ctr) + ",\"ts\":" + std::to_string(kNow) + ",\"key\":\"" + hexOf(sealed) + "\"}");
}

// The passwords of the attempts from index `from` on.
std::vector<std::string> attemptsFrom(const Rig& r, size_t from) {
  return std::vector<std::string>(r.mqtt.passwords.begin() + static_cast<long>(from), r.mqtt.passwords.end());
}
}  // namespace

TEST_CASE("broker login: candidates in order (preferred of K, of a pending K', other of K, of K'), then around again") {
  fakes::FakeStorage storage;
  storage.values[kNegotiatedKey] = 3;  // welcomed into v3 before: the v2 password is preferred
  const DeviceKey k = helpers::key("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  BrokerLogin login(storage);
  login.begin(k, kProtocolV3);

  // No pending K': v2 of K, then v1 of K once, then v2 again (the rule of §11.1 as before).
  std::vector<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    seen.emplace_back(login.passwordForNextAttempt());
    login.attemptFailed();
  }
  CHECK(seen == std::vector<std::string>{v2(k), v1(k), v2(k)});

  login.attemptSucceeded();
  login.pending(&kNext);
  seen.clear();
  for (int i = 0; i < 5; ++i) {
    seen.emplace_back(login.passwordForNextAttempt());
    CHECK(login.attemptUsesPending() == (i == 1 || i == 3));
    login.attemptFailed();
  }
  CHECK(seen == std::vector<std::string>{v2(k), v2(kNext), v1(k), v1(kNext), v2(k)});

  // A success sends the next attempt back to the preferred password of K.
  login.attemptSucceeded();
  CHECK(login.passwordForNextAttempt() == v2(k));
  login.attemptFailed();
  CHECK(login.passwordForNextAttempt() == v2(kNext));
  login.attemptSucceeded();
  CHECK(login.passwordForNextAttempt() == v2(k));

  // Switched to K': K's passwords are never tried again.
  login.rekeyed(kNext);
  seen.clear();
  for (int i = 0; i < 3; ++i) {
    seen.emplace_back(login.passwordForNextAttempt());
    CHECK_FALSE(login.attemptUsesPending());
    login.attemptFailed();
  }
  CHECK(seen == std::vector<std::string>{v2(kNext), v1(kNext), v2(kNext)});
}

TEST_CASE("broker login: a v1-only lock with a pending K' tries only v1 passwords, of K then of K'") {
  fakes::FakeStorage storage;
  const DeviceKey k = helpers::key("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  BrokerLogin login(storage);
  login.begin(k, kProtocolVersion);
  login.pending(&kNext);
  std::vector<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    seen.emplace_back(login.passwordForNextAttempt());
    login.attemptFailed();
  }
  CHECK(seen == std::vector<std::string>{v1(k), v1(kNext), v1(k)});
}

TEST_CASE("rekey on one password per account: the account moved to K' before the lock switched; it gets in with K' and switches on the welcome") {
  Rig r;
  r.online(3);
  sendRekey(r);
  r.run(300);
  REQUIRE(r.app->keyRing().hasPending());
  REQUIRE(r.acks().back() == "rekey-1:ok");

  // The server switched and moved the account (which ended the session); the time under K' was lost.
  r.mqtt.acceptedPassword = v2(kNext);
  r.mqtt.drop();
  const size_t before = r.mqtt.passwords.size();
  r.run(r.cfg.connectTimeoutMs * 2 + 5000);
  const std::vector<std::string> tried = attemptsFrom(r, before);
  REQUIRE(tried.size() >= 2);
  CHECK(tried[0] == v2(r.key));  // the preferred password of K first: it is refused
  CHECK(tried[1] == v2(kNext));  // then K''s: accepted
  CHECK(r.app->netState() == NetState::Online);
  CHECK(r.app->keyRing().hasPending());  // logging in with K''s password is no proof the server switched

  // Its hello is still signed with K (the server takes it as the previous secret); the welcome under K' switches it.
  std::string hello;
  for (const auto& p : r.mqtt.on(kStatusTopic)) {
    if (p.payload.find("\"type\":\"hello\"") != std::string::npos) hello = p.payload;
  }
  REQUIRE_FALSE(hello.empty());
  CHECK_FALSE(verifyMessage(r.keys.status, hello.data(), hello.size(), kDev, MessageType::Hello));
  r.mqtt.deliver(kCmdTopic, helpers::sign(deriveV2Keys(kNext).cmd, helpers::welcomeBody(kDev, 3, kNow)));
  r.run(300);
  CHECK_FALSE(r.app->keyRing().hasPending());
  CHECK(r.app->protocolVersion() == 3);

  // From now on K' alone: a reconnect goes straight in with its password.
  r.mqtt.drop();
  const size_t after = r.mqtt.passwords.size();
  r.run(3000);
  REQUIRE(r.mqtt.passwords.size() > after);
  CHECK(r.mqtt.passwords[after] == v2(kNext));
  CHECK(r.app->netState() == NetState::Online);
}

TEST_CASE("rekey on one password per account: killed with K' pending while the account holds K''s password, the restarted lock gets in") {
  Rig r;
  r.online(3);
  sendRekey(r);
  r.run(300);
  r.mqtt.acceptedPassword = v2(kNext);
  r.mqtt.drop();
  r.boot();  // kill -9: the same storage, a new process
  const size_t before = r.mqtt.passwords.size();
  r.run(r.cfg.connectTimeoutMs * 2 + 5000);
  const std::vector<std::string> tried = attemptsFrom(r, before);
  REQUIRE(tried.size() >= 2);
  CHECK(tried[0] == v2(r.key));
  CHECK(tried[1] == v2(kNext));
  CHECK(r.app->netState() == NetState::Online);
  CHECK(r.app->keyRing().hasPending());
}

TEST_CASE("rekey on one password per account: the api died before moving the account; the lock with K' pending stays on K's password") {
  Rig r;
  r.online(3);
  sendRekey(r);
  r.run(300);
  r.mqtt.acceptedPassword = v2(r.key);
  r.mqtt.drop();
  const size_t before = r.mqtt.passwords.size();
  r.run(3000);
  const std::vector<std::string> tried = attemptsFrom(r, before);
  REQUIRE_FALSE(tried.empty());
  CHECK(tried[0] == v2(r.key));
  CHECK(r.app->netState() == NetState::Online);
}
