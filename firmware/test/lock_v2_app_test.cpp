// Negotiation and the v2 session on a fake clock and a fake broker: hello after every connect,
// back-off, welcome, v1 until welcomed, forgetting on disconnect, the broker login rule, and the
// v2 statuses, commands, time and cfg of a welcomed lock (issue 10 items 1, 2 and 6).
#include <doctest/doctest.h>

#include <memory>

#include "command_verifier.h"
#include "fakes.h"
#include "helpers.h"
#include "key_schedule.h"
#include "lock_app.h"
#include "printers.h"

using namespace smartlock;
using namespace fakes;

namespace {
const int64_t kNow = 1795760000;
const char kStatusTopic[] = "test-prefix/front-door/status";
const char kCmdTopic[] = "test-prefix/front-door/cmd";
const DeviceKey kKey = helpers::key();
const V2Keys kKeys = deriveV2Keys(helpers::key());

std::string v1Password() {
  char pw[65];
  mqttPassword(kKey, pw);
  return pw;
}
std::string v2Password() {
  char pw[65];
  mqttPasswordV2(kKey, pw);
  return pw;
}

struct Seen {
  std::string type;  // hello, status
  int version = 0;
  std::string payload;
  StatusMessage status;
  HelloMessage hello;
};

struct AppRig {
  FakeMqtt mqtt;
  FakeClock clock;
  FakeStorage storage;
  FakeActuator actuator;
  FakeRandom random;
  FakeDoor door;
  FakeBolt bolt;
  LockConfig cfg;
  std::unique_ptr<LockApp> app;
  long long ctr = 0;
  explicit AppRig(int maxVersion = 2) {
    clock.unix = kNow;
    actuator.bolt = &bolt;
    cfg.deviceId = "front-door";
    cfg.prefix = "test-prefix";
    cfg.key = kKey;
    cfg.fw = "1.0.0";
    cfg.maxVersion = maxVersion;
    boot();
  }
  void boot() {
    app = std::make_unique<LockApp>(cfg, LockAppDeps{mqtt, clock, storage, actuator, random, nullptr, nullptr, &door, &bolt});
    REQUIRE(app->begin());
  }
  void run(uint32_t ms, uint32_t stepMs = 100) {
    for (uint32_t t = 0; t < ms; t += stepMs) {
      app->loop();
      clock.advance(stepMs);
    }
  }
  // Every message on the status topic, verified with the key its version prescribes.
  std::vector<Seen> seen() {
    std::vector<Seen> out;
    for (const auto& p : mqtt.on(kStatusTopic)) {
      Seen s;
      s.payload = p.payload;
      const std::string b = helpers::unsignedOf(p.payload);
      if (p.payload.find("\"type\":\"hello\"") != std::string::npos) {
        s.type = "hello";
        s.version = 2;
        REQUIRE_FALSE(verifyMessage(kKeys.status, p.payload.data(), p.payload.size(), "front-door", MessageType::Hello));
        REQUIRE_FALSE(parseHello(b.data(), b.size(), "front-door", s.hello));
      } else {
        s.type = "status";
        s.version = p.payload.rfind("{\"v\":2,", 0) == 0 ? 2 : 1;
        const DeviceKey& k = s.version == 2 ? kKeys.status : kKey;
        REQUIRE_FALSE(verifyMessage(k, p.payload.data(), p.payload.size(), "front-door", MessageType::Status, s.version));
        REQUIRE_FALSE(parseStatus(b.data(), b.size(), "front-door", s.status, s.version));
      }
      out.push_back(s);
    }
    return out;
  }
  size_t hellosSent() const {  // unverified count, for loops over long fake times
    size_t n = 0;
    for (const auto& p : mqtt.published) n += p.payload.find("\"type\":\"hello\"") != std::string::npos;
    return n;
  }
  std::vector<Seen> of(const std::string& type) {
    std::vector<Seen> out;
    for (auto& s : seen()) if (s.type == type) out.push_back(s);
    return out;
  }
  void welcome(long long ver = 2, const DeviceKey* key = nullptr) {
    mqtt.deliver(kCmdTopic, helpers::sign(key ? *key : kKeys.cmd, helpers::welcomeBody("front-door", ver, kNow)));
  }
  void commandV2(const std::string& id, const std::string& action) {
    mqtt.deliver(kCmdTopic, helpers::sign(kKeys.cmd, helpers::cmdBodyV2("front-door", id, action, ++ctr, kNow)));
  }
};
}  // namespace

TEST_CASE("after connecting, a v2-capable lock sends a signed hello first, then speaks v1 with the v1 password") {
  AppRig r;
  r.run(200);
  const auto all = r.seen();
  REQUIRE(all.size() == 2);
  CHECK(all[0].type == "hello");
  CHECK(all[0].payload.rfind("{\"v\":2,\"type\":\"hello\",\"dev\":\"front-door\",\"boot\":1,\"seq\":1,\"vers\":\"1,2\",\"ts\":0,\"fw\":\"1.0.0\",\"sig\":\"", 0) == 0);
  CHECK(r.mqtt.on(kStatusTopic)[0].qos == 1);
  CHECK(all[1].type == "status");
  CHECK(all[1].version == 1);
  CHECK(all[1].status.seq == 2);  // one sequence for hellos and statuses
  CHECK(r.mqtt.password == v1Password());
  CHECK(r.app->protocolVersion() == 1);
}

TEST_CASE("against a v1 server (no welcome) the hello repeats after 10, 20, 40 s ... at most every 10 min, statuses stay v1") {
  AppRig r;
  r.run(200);
  std::vector<uint32_t> at;
  size_t hellos = 1;
  for (uint32_t t = 200; t < 3600 * 1000; t += 100) {
    r.app->loop();
    const size_t n = r.hellosSent();
    if (n != hellos) {
      at.push_back(r.clock.nowMs);
      hellos = n;
    }
    r.clock.advance(100);
    if (at.size() == 8) break;
  }
  REQUIRE(at.size() == 8);
  const std::vector<uint32_t> gaps{10000, 20000, 40000, 80000, 160000, 320000, 600000};
  for (size_t i = 0; i < gaps.size(); ++i) {
    CAPTURE(i);
    const uint32_t from = i == 0 ? 100 : at[i - 1];  // the first hello went out at t = 100 ms
    CHECK(at[i] - from >= gaps[i]);
    CHECK(at[i] - from <= gaps[i] + 200);
  }
  for (const auto& s : r.of("status")) CHECK(s.version == 1);
}

TEST_CASE("a welcome into v2 switches statuses to v2 (status key, door, src) at once and persists the version") {
  AppRig r;
  r.run(200);
  r.welcome(2);
  r.run(200);
  CHECK(r.app->protocolVersion() == 2);
  CHECK(r.storage.values["proto"] == 2);
  const auto st = r.of("status");
  REQUIRE(st.size() == 2);
  CHECK(st[1].version == 2);
  CHECK(st[1].status.door == DoorState::Closed);
  CHECK(st[1].status.src == BoltSource::Boot);
  CHECK(st[1].status.status == LockStatus::Locked);
  r.run(120000);
  CHECK(r.of("hello").size() == 1);  // welcomed: no more hellos
}

TEST_CASE("a welcomed lock takes v2 commands, reports UNLOCKING then UNLOCKED with src REMOTE and cid, and ignores v1 ones") {
  AppRig r;
  r.actuator.pollsPerMove = 5;
  r.run(200);
  r.welcome(2);
  r.run(200);
  r.mqtt.deliver(kCmdTopic, helpers::signedCmd(kKey, "front-door", "old-1", "UNLOCK", 50, kNow));
  r.run(300);
  CHECK(r.actuator.starts.empty());
  r.commandV2("c-1", "UNLOCK");
  r.run(1000);
  std::vector<std::string> states;
  for (const auto& s : r.of("status")) {
    if (s.version == 2 && s.status.src == BoltSource::Remote) {
      CHECK(std::string(s.status.cid) == "c-1");
      states.push_back(nameOf(s.status.status));
    }
  }
  CHECK(states == std::vector<std::string>{"UNLOCKING", "UNLOCKED"});
  const auto last = r.of("status").back();
  REQUIRE(last.status.ack.has_value());
  CHECK(std::string(last.status.ack->id) == "c-1");
}

TEST_CASE("welcomes that are forged, unasked, for another version, or for v1 are handled safely") {
  AppRig r;
  r.welcome(2);  // before any hello of a session: unasked
  r.run(200);
  CHECK(r.app->protocolVersion() == 1);
  r.welcome(2, &kKey);  // signed with K
  r.welcome(2, &kKeys.status);  // signed with the lock's own key
  r.welcome(3);  // a version this lock never announced
  r.run(200);
  CHECK(r.app->protocolVersion() == 1);
  CHECK(r.app->droppedMessages() == 4);
  r.welcome(1);  // a server that chooses v1: stays v1 and stops saying hello
  r.run(200);
  CHECK(r.app->protocolVersion() == 1);
  CHECK(r.app->negotiator().state() == NegotiationState::Welcomed);
  r.run(60000);
  CHECK(r.of("hello").size() == 1);
  for (const auto& s : r.of("status")) CHECK(s.version == 1);
}

TEST_CASE("a disconnect forgets the version: the next session says hello again and speaks v1 until welcomed") {
  AppRig r;
  r.run(200);
  r.welcome(2);
  r.run(200);
  REQUIRE(r.app->protocolVersion() == 2);
  r.mqtt.drop();
  r.run(2000);
  REQUIRE(r.app->netState() == NetState::Online);
  CHECK(r.app->protocolVersion() == 1);
  CHECK(r.of("hello").size() == 2);
  CHECK(r.of("status").back().version == 1);
  r.commandV2("c-1", "UNLOCK");  // not welcomed in this session: a v2 command is not taken
  r.run(500);
  CHECK(r.actuator.starts.empty());
}

TEST_CASE("broker login: v2 password once welcomed into v2; a failed v2 login is retried once with v1") {
  AppRig r;
  r.run(200);
  r.welcome(2);
  r.run(200);
  r.boot();  // a reboot: the persisted version picks the v2 password
  r.run(200);
  CHECK(r.mqtt.password == v2Password());

  r.mqtt.refusedPassword = v2Password();  // e.g. the server was rolled back to a v1 broker
  r.mqtt.drop();
  r.run(r.cfg.connectTimeoutMs + 3000);
  REQUIRE(r.mqtt.passwords.size() >= 4);
  const size_t n = r.mqtt.passwords.size();
  CHECK(r.mqtt.passwords[n - 2] == v2Password());
  CHECK(r.mqtt.passwords[n - 1] == v1Password());
  CHECK(r.app->netState() == NetState::Online);
}

TEST_CASE("broker login: a refused v1 login (the broker moved the account to v2) is retried once with v2") {
  AppRig r;
  r.run(200);
  CHECK(r.mqtt.password == v1Password());  // never welcomed: v1 first
  r.mqtt.refusedPassword = v1Password();   // Mosquitto's account now holds the v2 password; the welcome was missed
  r.mqtt.drop();
  r.run(r.cfg.connectTimeoutMs + 3000);
  REQUIRE(r.mqtt.passwords.size() >= 3);
  const size_t n = r.mqtt.passwords.size();
  CHECK(r.mqtt.passwords[n - 2] == v1Password());
  CHECK(r.mqtt.passwords[n - 1] == v2Password());
  CHECK(r.app->netState() == NetState::Online);
}

TEST_CASE("a v1-only lock never tries the v2 password, even after refusals") {
  AppRig r(1);
  r.run(200);
  r.mqtt.refusedPassword = v1Password();
  r.mqtt.drop();
  r.run(r.cfg.connectTimeoutMs * 3);
  REQUIRE(r.mqtt.passwords.size() >= 3);
  for (const auto& p : r.mqtt.passwords) CHECK(p == v1Password());
}

TEST_CASE("a v1 server never sees the v2 password: a lock never welcomed logs in with v1 across reboots") {
  AppRig r;
  r.run(200);
  r.boot();
  r.run(200);
  r.mqtt.drop();
  r.run(3000);
  for (const auto& p : r.mqtt.passwords) CHECK(p == v1Password());
}

TEST_CASE("a v1-only lock (maxVersion 1) never says hello") {
  AppRig r(1);
  r.run(60000);
  CHECK(r.of("hello").empty());
  CHECK_FALSE(r.of("status").empty());
}

TEST_CASE("in a v2 session a cfg is acked on the next status, v2 time sets the clock, door changes are reported at once") {
  AppRig r;
  r.run(200);
  r.welcome(2);
  r.run(200);
  r.mqtt.deliver(kCmdTopic, helpers::sign(kKeys.cmd, helpers::cfgBody("front-door", "g-1", ++r.ctr, kNow, 10, "LOCK", "REFUSE")));
  r.run(200);
  auto last = r.of("status").back();
  REQUIRE(last.status.ack.has_value());
  CHECK(std::string(last.status.ack->id) == "g-1");
  CHECK(last.status.ack->result == AckResult::Ok);
  CHECK(r.storage.values.count("cfg") == 1);

  const auto st = r.of("status").back().status;
  r.mqtt.deliver(kCmdTopic, helpers::sign(kKeys.cmd, helpers::timeBodyV2("front-door", st.boot, st.seq, kNow + 5)));
  r.run(200);
  CHECK(r.app->timeSynced());

  const size_t before = r.of("status").size();
  r.door.state = DoorState::Open;
  r.run(200);
  REQUIRE(r.of("status").size() == before + 1);
  CHECK(r.of("status").back().status.door == DoorState::Open);
}

TEST_CASE("in a v1 session cfg is dropped, a v2 time is refused, and door changes wait for the heartbeat") {
  AppRig r;
  r.run(200);
  r.mqtt.deliver(kCmdTopic, helpers::sign(kKeys.cmd, helpers::cfgBody("front-door", "g-1", 1, kNow, 10, "LOCK", "REFUSE")));
  const auto st = r.of("status").back().status;
  r.mqtt.deliver(kCmdTopic, helpers::sign(kKeys.cmd, helpers::timeBodyV2("front-door", st.boot, st.seq, kNow + 5)));
  r.run(200);
  CHECK(r.app->droppedMessages() == 2);
  CHECK_FALSE(r.app->timeSynced());
  CHECK(r.storage.values.count("cfg") == 0);
  const size_t before = r.of("status").size();
  r.door.state = DoorState::Open;
  r.run(200);
  CHECK(r.of("status").size() == before);
}
