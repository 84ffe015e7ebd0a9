// Claiming (src/core/claim_code.h, claim.h, unclaimed_app.h; docs/protocol.md "Claiming"), with the
// worked example the api's tests use too (api/src/claims/claim-code.test.ts).
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "claim.h"
#include "fakes.h"
#include "improv.h"
#include "lock_controller.h"
#include "unclaimed_app.h"

using namespace smartlock;

namespace {

FactoryIdentity example() {
  FactoryIdentity id;
  std::strcpy(id.factoryId, "5ca1ab1e0ddba11f");
  const uint8_t secret[kClaimSecretLen] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99};
  std::memcpy(id.secret.data(), secret, sizeof secret);
  return id;
}

const char kNonce[] = "0f1e2d3c4b5a6978";
const std::string kHello =
    R"({"v":1,"type":"unclaimed","fid":"5ca1ab1e0ddba11f","n":"0f1e2d3c4b5a6978","fw":"fw-1.0","sig":"bbb8469440de08e172fdf386ff75bd42a5b6a099191f0f9de89eea643369539b"})";
const std::string kClaim =
    R"({"v":1,"type":"claim","fid":"5ca1ab1e0ddba11f","n":"0f1e2d3c4b5a6978","dev":"lk-0123456789abcdef","nonce":"000102030405060708090a0b0c0d0e0f","key":"aea0dad203893ff813fd0bc6bc2b4ca35b4a7be7f9fbcb158cd1b21ba2623b45","sig":"e96bab2c6bf2adda364a70e7077e1cf2ff8aff1ffbe4087c3e9fedb133f2152c"})";

ClaimVerdict open(const std::string& payload, ClaimGrant& grant, const char* nonce = kNonce) {
  return openClaimMessage(example(), nonce, payload.data(), payload.size(), grant);
}

}  // namespace

TEST_CASE("claim code: the worked example prints as on the box") {
  char code[kClaimCodeLen + 1];
  REQUIRE(formatClaimCode(example(), code));
  CHECK(std::string(code) == "SL1-5CA1AB1E0DDBA11F-008J-4CT4-ANK7-F24S-7Y");
}

TEST_CASE("claim: the hello is the worked example's, signed with the hello key") {
  char buf[256];
  const size_t n = buildUnclaimedHello(example(), kNonce, "fw-1.0", buf, sizeof buf);
  CHECK(std::string(buf, n) == kHello);
  CHECK(buildUnclaimedHello(example(), kNonce, "bad\"fw", buf, sizeof buf) == 0);
  CHECK(buildUnclaimedHello(example(), kNonce, "fw-1.0", buf, 40) == 0);
}

TEST_CASE("claim: the claim message opens into the device id and K") {
  ClaimGrant grant;
  REQUIRE(open(kClaim, grant) == ClaimVerdict::Valid);
  CHECK(std::string(grant.deviceId) == "lk-0123456789abcdef");
  for (uint8_t b : grant.key) CHECK(b == 0xaa);
}

TEST_CASE("claim: a tampered, foreign or replayed claim message is refused") {
  ClaimGrant grant;
  std::string tampered = kClaim;
  tampered[tampered.find("lk-0") + 3] = '1';
  CHECK(open(tampered, grant) == ClaimVerdict::BadSignature);
  CHECK(open(kClaim, grant, "1111111111111111") == ClaimVerdict::NotForUs);  // another unclaimed period
  FactoryIdentity other = example();
  other.secret[0] ^= 1;
  CHECK(openClaimMessage(other, kNonce, kClaim.data(), kClaim.size(), grant) == ClaimVerdict::BadSignature);
  CHECK(open("", grant) == ClaimVerdict::Malformed);
  CHECK(open(R"({"v":1,"type":"claim","sig":"00"})", grant) == ClaimVerdict::Malformed);
  CHECK(grant.deviceId[0] == '\0');  // nothing was taken from a refused message
}

TEST_CASE("factory identity: stored and read back; made once from the random source") {
  fakes::FakeStorage storage;
  FactoryIdentity loaded;
  CHECK_FALSE(loadFactoryIdentity(storage, loaded));
  fakes::XorShiftRandom random;
  const FactoryIdentity made = newFactoryIdentity(random);
  REQUIRE(storeFactoryIdentity(storage, made));
  REQUIRE(loadFactoryIdentity(storage, loaded));
  CHECK(std::string(loaded.factoryId) == made.factoryId);
  CHECK(loaded.secret == made.secret);
  storage.texts["fsec"] = "zz";
  CHECK_FALSE(loadFactoryIdentity(storage, loaded));
}

TEST_CASE("unclaimed lock: claim account, claim topic only, hello, then the grant is adopted") {
  fakes::FakeMqtt mqtt;
  fakes::FakeClock clock;
  fakes::FakeStorage storage;
  fakes::FakeRandom random;
  storage.texts["cnonce"] = kNonce;  // the period's nonce, as stored before a reboot
  storage.values[kCounterKey] = 41;  // from an earlier life
  UnclaimedConfig cfg;
  cfg.prefix = "smartlock";
  cfg.fw = "fw-1.0";
  cfg.helloEveryMs = 30000;
  UnclaimedApp app(example(), cfg, mqtt, clock, storage, random);
  REQUIRE(app.begin());
  app.loop();  // connects
  CHECK(std::string(mqtt.lastOptions.username) == "claim-5ca1ab1e0ddba11f");
  CHECK(std::string(mqtt.lastOptions.clientId) == "claim-5ca1ab1e0ddba11f");
  app.loop();  // connected: subscribe, hello
  app.loop();
  REQUIRE(mqtt.subscriptions.size() == 1);
  CHECK(mqtt.subscriptions[0].first == "smartlock/claim/5ca1ab1e0ddba11f");
  REQUIRE(mqtt.on("smartlock/claim/5ca1ab1e0ddba11f/hello").size() == 1);
  CHECK(mqtt.on("smartlock/claim/5ca1ab1e0ddba11f/hello")[0].payload == kHello);
  clock.advance(30000);
  app.loop();
  CHECK(mqtt.on("smartlock/claim/5ca1ab1e0ddba11f/hello").size() == 2);  // repeated while unclaimed
  CHECK(mqtt.published.size() == 2);                                      // and nothing else, anywhere
  mqtt.deliver("smartlock/claim/5ca1ab1e0ddba11f", "");                   // the cleared message
  app.loop();
  CHECK(app.claimed() == nullptr);
  mqtt.deliver("smartlock/claim/5ca1ab1e0ddba11f", kClaim);
  app.loop();
  REQUIRE(app.claimed() != nullptr);
  CHECK(std::string(app.claimed()->deviceId) == "lk-0123456789abcdef");

  REQUIRE(adoptClaim(storage, *app.claimed(), ClaimBroker{"broker.example", 1883, "smartlock"}));
  StorageSettingsStore settings(storage);
  LockProvisioning p;
  REQUIRE(settings.loadLock(p));
  CHECK(std::string(p.deviceId) == "lk-0123456789abcdef");
  CHECK(std::string(p.secretHex) == std::string(64, 'a'));
  CHECK(storage.values[kCounterKey] == 0);  // the new server's first command (ctr 1) is no replay
  CHECK(storage.texts["cnonce"].empty());

  SUBCASE("a factory reset forgets K and the device id, and the next period has a new nonce") {
    REQUIRE(factoryReset(storage));
    CHECK_FALSE(settings.loadLock(p));
    CHECK(storage.texts["prov_secret"].empty());
    char nonce[kClaimNonceLen + 1];
    random.value = 0x12345678u;
    REQUIRE(currentClaimNonce(storage, random, nonce));
    CHECK(std::string(nonce) != kNonce);
    CHECK(std::strlen(nonce) == kClaimNonceLen);
  }
}
