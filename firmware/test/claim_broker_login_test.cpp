// The unclaimed lock's broker login (docs/protocol.md §15.3, §15.8): the claim account's password is
// derived from the claim secret (the worked example's value, reproduced with openssl in §15.7), and
// a refused login is retried on a short fixed interval, since on Mosquitto the account exists only
// while someone is claiming the lock.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "claim.h"
#include "fakes.h"
#include "unclaimed_app.h"

using namespace smartlock;

namespace {

FactoryIdentity workedExample() {
  FactoryIdentity id;
  std::strcpy(id.factoryId, "5ca1ab1e0ddba11f");
  const uint8_t secret[kClaimSecretLen] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99};
  std::memcpy(id.secret.data(), secret, sizeof secret);
  return id;
}

const char kBrokerPassword[] = "469e1875832da022a8071dc71dbbd9e69c214dca4f9352d0fc39c39c5f533815";

}  // namespace

TEST_CASE("claim login: the password is hex of key(broker), the worked example's") {
  char password[2 * kKeyLen + 1];
  claimBrokerPassword(workedExample(), password);
  CHECK(std::string(password) == kBrokerPassword);
  FactoryIdentity other = workedExample();
  other.secret[9] ^= 1;
  claimBrokerPassword(other, password);
  CHECK(std::string(password) != kBrokerPassword);  // another code, another password
}

TEST_CASE("claim login: the unclaimed lock logs in with it and retries a refused login every 3 s, not longer") {
  fakes::FakeMqtt mqtt;
  fakes::FakeClock clock;
  fakes::FakeStorage storage;
  fakes::FakeRandom random;
  UnclaimedConfig cfg;
  UnclaimedApp app(workedExample(), cfg, mqtt, clock, storage, random);
  REQUIRE(app.begin());
  mqtt.refusedPassword = kBrokerPassword;  // no claim account yet: the broker says no
  app.loop();
  REQUIRE(mqtt.connects == 1);
  CHECK(std::string(mqtt.lastOptions.username) == "claim-5ca1ab1e0ddba11f");
  CHECK(mqtt.password == kBrokerPassword);
  for (int attempt = 2; attempt <= 6; ++attempt) {
    clock.advance(2999);
    app.loop();
    CHECK(mqtt.connects == attempt - 1);  // not before the interval
    clock.advance(1);
    app.loop();
    CHECK(mqtt.connects == attempt);  // and the interval does not grow
  }
  mqtt.refusedPassword.clear();  // someone typed the code: the account exists now
  clock.advance(3000);
  app.loop();
  app.loop();
  app.loop();
  CHECK(mqtt.connected());
  CHECK(mqtt.on("smartlock/claim/5ca1ab1e0ddba11f/hello").size() == 1);
}
