// Secrets at rest (firmware/README.md, "Secrets at rest"): K comes from NVS (Improv, a claim) first;
// a secret compiled in from secrets.h only in a development build with NVS empty, never a placeholder,
// and a lock running on one says so in every status.
#include <doctest/doctest.h>

#include <cstring>
#include <memory>
#include <string>

#include "codec.h"
#include "fakes.h"
#include "helpers.h"
#include "lock_app.h"
#include "lock_source.h"

using namespace smartlock;
using namespace fakes;

namespace {

constexpr const char* kDevSecret = "8c3f2a91d07e4b5c6a1d9e0f3b2c7a4e5d6f8091a2b3c4d5e6f708192a3b4c5d";

CompiledLock compiledDev(const char* secret = kDevSecret) {
  CompiledLock c;
  c.deviceId = "bench-lock";
  c.secretHex = secret;
  c.host = "192.168.1.20";
  c.port = 1883;
  c.prefix = "smartlock";
  return c;
}

LockProvisioning improvProvisioning() {
  LockProvisioning p;
  std::strcpy(p.deviceId, "front-door");
  std::strcpy(p.secretHex, "2f1e0d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0");
  std::strcpy(p.host, "broker.home.example");
  p.tlsPort = 8883;
  p.tls = BrokerTls::Psk;
  std::strcpy(p.prefix, "smartlock");
  return p;
}

bool logged(const NullLogger& log, const std::string& part) {
  for (const auto& l : log.lines)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("NVS (Improv or a claim) wins over a secret compiled in from secrets.h") {
  FakeStorage storage;
  StorageSettingsStore store(storage);
  REQUIRE(store.saveLock(improvProvisioning()));
  NullLogger log;
  LockProvisioning out;
  CHECK(loadLockSource(store, compiledDev(), false, out, &log) == LockSource::Nvs);
  CHECK(std::string(out.deviceId) == "front-door");
  CHECK(std::string(out.secretHex) == improvProvisioning().secretHex);
  CHECK(out.tls == BrokerTls::Psk);
  CHECK(logged(log, "from NVS"));
  CHECK_FALSE(logged(log, "COMPILED IN"));
}

TEST_CASE("with NVS empty a development build runs on the compiled-in secret, and says so loudly") {
  FakeStorage storage;
  StorageSettingsStore store(storage);
  NullLogger log;
  LockProvisioning out;
  CHECK(loadLockSource(store, compiledDev(), false, out, &log) == LockSource::CompiledIn);
  CHECK(std::string(out.deviceId) == "bench-lock");
  CHECK(std::string(out.secretHex) == kDevSecret);
  CHECK(std::string(out.host) == "192.168.1.20");
  CHECK(out.port == 1883);
  CHECK(out.tlsPort == 0);
  CHECK(out.tls == BrokerTls::None);
  CHECK(logged(log, "WARNING: no provisioning in NVS; running on the device secret COMPILED IN"));
  for (const auto& l : log.lines) CHECK(l.find(kDevSecret) == std::string::npos);  // never the secret itself

  SUBCASE("a provisioning over Improv then replaces it at the next boot") {
    REQUIRE(store.saveLock(improvProvisioning()));
    CHECK(loadLockSource(store, compiledDev(), false, out, &log) == LockSource::Nvs);
    CHECK(std::string(out.deviceId) == "front-door");
  }
  SUBCASE("TLS: the compiled port is the TLS port, with its mode") {
    CompiledLock c = compiledDev();
    c.port = 8883;
    c.tls = true;
    c.tlsMode = BrokerTls::Psk;
    CHECK(loadLockSource(store, c, false, out, &log) == LockSource::CompiledIn);
    CHECK(out.tlsPort == 8883);
    CHECK(out.port == 0);
    CHECK(out.tls == BrokerTls::Psk);
  }
}

TEST_CASE("nothing compiled in (the Wokwi profile, a release build): no source, the lock waits to be claimed") {
  FakeStorage storage;
  StorageSettingsStore store(storage);
  NullLogger log;
  LockProvisioning out;
  CompiledLock c = compiledDev("");
  c.deviceId = "";
  CHECK(loadLockSource(store, c, false, out, &log) == LockSource::None);
  CHECK(loadLockSource(store, CompiledLock{}, true, out, &log) == LockSource::None);
  CHECK(log.lines.empty());
}

TEST_CASE("a release build refuses a compiled-in secret, however good") {
  FakeStorage storage;
  StorageSettingsStore store(storage);
  NullLogger log;
  LockProvisioning out;
  CHECK(loadLockSource(store, compiledDev(), true, out, &log) == LockSource::None);
  CHECK(logged(log, "a release build never uses a secret compiled in"));
  SUBCASE("while NVS still serves it") {
    REQUIRE(store.saveLock(improvProvisioning()));
    CHECK(loadLockSource(store, compiledDev(), true, out, &log) == LockSource::Nvs);
  }
}

TEST_CASE("placeholder and documented secrets are refused, never run on") {
  const char* placeholders[] = {
      "<64 hex characters of deviceSecret>",  // secrets.example.h as copied
      "0000000000000000000000000000000000000000000000000000000000000000",
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",  // docs/protocol.md K
      "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
      "f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff",  // docs/protocol.md K'
      "2b7e151628aed2a6abf7158809cf4f3c2b7e151628aed2a6abf7158809cf4f3c",  // docs/provisioning.md
  };
  for (const char* p : placeholders) {
    CAPTURE(p);
    CHECK(checkCompiledSecret(p) == CompiledSecret::Placeholder);
    FakeStorage storage;
    StorageSettingsStore store(storage);
    NullLogger log;
    LockProvisioning out;
    CHECK(loadLockSource(store, compiledDev(p), false, out, &log) == LockSource::None);
    CHECK(logged(log, "SMARTLOCK_DEVICE_SECRET is a placeholder"));
  }
  CHECK(checkCompiledSecret(kDevSecret) == CompiledSecret::Usable);
}

TEST_CASE("a malformed or missing compiled-in secret is refused, and so are values Improv would refuse") {
  FakeStorage storage;
  StorageSettingsStore store(storage);
  NullLogger log;
  LockProvisioning out;
  CHECK(checkCompiledSecret("") == CompiledSecret::Absent);
  CHECK(checkCompiledSecret(nullptr) == CompiledSecret::Absent);
  CHECK(checkCompiledSecret(std::string(kDevSecret).substr(1).c_str()) == CompiledSecret::Malformed);
  CHECK(checkCompiledSecret((std::string(kDevSecret).substr(1) + "g").c_str()) == CompiledSecret::Malformed);
  CHECK(loadLockSource(store, compiledDev("8c3f2a91"), false, out, &log) == LockSource::None);
  CHECK(logged(log, "SMARTLOCK_DEVICE_SECRET is not 64 hex digits"));

  CompiledLock noSecret = compiledDev("");
  CHECK(loadLockSource(store, noSecret, false, out, &log) == LockSource::None);
  CHECK(logged(log, "SMARTLOCK_DEVICE_SECRET is absent"));

  CompiledLock badPrefix = compiledDev();
  badPrefix.prefix = "smart lock/#";
  CHECK(loadLockSource(store, badPrefix, false, out, &log) == LockSource::None);
  CompiledLock noPort = compiledDev();
  noPort.port = 0;
  CHECK(loadLockSource(store, noPort, false, out, &log) == LockSource::None);
  CHECK(logged(log, "breaks the provisioning rules"));
}

namespace {
struct IssueRig {
  FakeMqtt mqtt;
  FakeClock clock;
  FakeStorage storage;
  FakeActuator actuator;
  FakeRandom random;
  LockConfig cfg;
  std::unique_ptr<LockApp> app;
  explicit IssueRig(const char* standingIssue, MoveState bootMove = MoveState::Done) {
    clock.unix = 1795760000;
    cfg.deviceId = "front-door";
    cfg.prefix = "test-prefix";
    cfg.key = helpers::key();
    cfg.maxVersion = 1;
    cfg.fw = "1.0.0";
    cfg.standingIssue = standingIssue;
    LockSettings lockAtBoot;
    lockAtBoot.boot = BootMode::Lock;
    storeSettings(storage, lockAtBoot);
    actuator.next = bootMove;
    app = std::make_unique<LockApp>(cfg, LockAppDeps{mqtt, clock, storage, actuator, random, nullptr, nullptr});
    REQUIRE(app->begin());
    for (int i = 0; i < 30; ++i, clock.advance(100)) app->loop();
  }
  std::string lastIssue() {
    const auto sent = mqtt.on("test-prefix/front-door/status");
    REQUIRE_FALSE(sent.empty());
    const std::string& p = sent.back().payload;
    REQUIRE_FALSE(verifyMessage(cfg.key, p.data(), p.size(), "front-door", MessageType::Status));
    std::string b = p.substr(0, p.size() - kSigSuffixLen) + "}";
    StatusMessage s;
    REQUIRE_FALSE(parseStatus(b.data(), b.size(), "front-door", s));
    return s.issue;
  }
};
}  // namespace

TEST_CASE("a lock on a compiled-in secret reports it as its issue; a jam still shows first") {
  CHECK(std::string(kIssueCompiledSecret).size() <= kIssueMax);
  CHECK(IssueRig(kIssueCompiledSecret).lastIssue() == kIssueCompiledSecret);
  CHECK(IssueRig(nullptr).lastIssue().empty());  // provisioned from NVS: no issue
  CHECK(IssueRig(kIssueCompiledSecret, MoveState::Jammed).lastIssue() == "Motor jammed");
}
