// NetworkThreadTransport (network_thread_transport.h) under a real LockApp and a real clock: the
// client blocks for real (a 1.5 s connect, 500 ms per PUBACK) on the network thread, and every loop
// pass must still return within 100 ms, as issue 16 asks.
//
// Every case here fails when the same client is called on the loop task: build this file with
// -DSMARTLOCK_NAIVE_TRANSPORT. With -DSMARTLOCK_FIRE_AND_FORGET (publish() true taken as delivered)
// the cases about a failed PUBACK fail: the ack is lost.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app_rig.h"
#include "network_thread_transport.h"
#include "printers.h"
#include "slow_broker.h"

using namespace smartlock;
using namespace fakes;
using Steady = std::chrono::steady_clock;

namespace {

long msSince(Steady::time_point t0) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0).count());
}

#if defined(SMARTLOCK_NAIVE_TRANSPORT)
// The client called where it blocks: on the loop task.
struct Transport : MqttTransport, ConnectProgress {
  BlockingMqttClient& c;
  ConnectStep s = ConnectStep::Failed;
  explicit Transport(BlockingMqttClient& client) : c(client) {}
  bool start() { return true; }
  void stop() { c.disconnect(); }
  void setHandler(MqttMessageHandler* h) override { c.setHandler(h); }
  bool connect(const MqttConnectOptions& o) override {
    s = c.connect(o, *this) ? ConnectStep::MqttConnecting : ConnectStep::Failed;
    return true;
  }
  ConnectStep connectStep() override { return s; }
  bool connected() override { return c.connected(); }
  void disconnect() override { c.disconnect(); }
  bool subscribe(const char* t, uint8_t q) override { return c.subscribe(t, q); }
  bool publish(const char* t, const char* p, size_t n, uint8_t q, bool r) override { return c.publish(t, p, n, q, r); }
  void loop() override { c.loop(); }
  void step(ConnectStep st) override { s = st; }
  bool abandoned() override { return false; }
};
#elif defined(SMARTLOCK_FIRE_AND_FORGET)
struct Transport : NetworkThreadTransport {
  using NetworkThreadTransport::NetworkThreadTransport;
  uint32_t publishTicket() override { return 0; }  // "queued" taken for "delivered"
};
#else
using Transport = NetworkThreadTransport;
#endif

struct SteadyClock : Clock {
  Steady::time_point start = Steady::now();
  uint32_t millis() override { return static_cast<uint32_t>(msSince(start)); }
  std::optional<int64_t> unixTime() override { return rigs::kNow + millis() / 1000; }
};

struct CountingActuator : FakeActuator {
  int polls = 0;
  MoveState poll() override {
    ++polls;
    return FakeActuator::poll();
  }
};

const std::string kCmd = "test-prefix/front-door/cmd";
const std::string kStatus = "test-prefix/front-door/status";
const std::string kAvailability = "test-prefix/front-door/availability";

// A v1 lock (no hello) on the transport over a SlowBroker, looped like the sketch: a pass, then 5 ms.
struct ThreadRig {
  SlowBroker broker;  // outlives the transport, whose thread calls it
  std::unique_ptr<Transport> transport = std::make_unique<Transport>(broker);
  SteadyClock clock;
  FakeStorage storage;
  CountingActuator actuator;
  FakeRandom random;
  NullLogger logger;
  LockConfig cfg;
  std::unique_ptr<LockApp> app;
  long longestPassMs = 0;
  std::set<ConnectStep> stepsSeen;  // by LockApp while connecting

  ThreadRig() {
    cfg.deviceId = "front-door";
    cfg.prefix = "test-prefix";
    cfg.key = helpers::key();
    cfg.maxVersion = 1;
    cfg.fw = "1.0.0";
  }
  void begin() {
    REQUIRE(transport->start());
    app = std::make_unique<LockApp>(cfg, LockAppDeps{*transport, clock, storage, actuator, random, nullptr, &logger});
    REQUIRE(app->begin());
  }
  template <typename Done>
  bool runUntil(Done done, long limitMs) {
    const auto end = Steady::now() + std::chrono::milliseconds(limitMs);
    while (Steady::now() < end) {
      const auto t0 = Steady::now();
      app->loop();
      longestPassMs = std::max(longestPassMs, msSince(t0));
      if (app->netState() == NetState::Connecting) stepsSeen.insert(app->connectStep());
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the sketch's delay(5)
    }
    return false;
  }
  bool online(long limitMs = 5000) {
    return runUntil([&] { return app->netState() == NetState::Online; }, limitMs);
  }
  // Online and the cmd subscription acknowledged: a command sent now reaches the lock.
  bool listening() {
    return online() && runUntil([&] { return broker.indexOf("subscribe " + kCmd) >= 0; }, 3000);
  }
  void runFor(long ms) {
    runUntil([] { return false; }, ms);
  }
  void sendCommand(const std::string& id, const std::string& action, long long ctr) {
    broker.send(kCmd, helpers::signedCmd(cfg.key, "front-door", id, action, ctr, clock.unixTime().value()));
  }
  // The acks of the statuses the broker acknowledged, in order.
  std::vector<std::string> ackIds() {
    std::vector<std::string> ids;
    for (const auto& p : broker.deliveredOn(kStatus)) {
      REQUIRE_FALSE(verifyMessage(cfg.key, p.payload.data(), p.payload.size(), "front-door", MessageType::Status));
      std::string b = p.payload.substr(0, p.payload.size() - kSigSuffixLen) + "}";
      StatusMessage s;
      REQUIRE_FALSE(parseStatus(b.data(), b.size(), "front-door", s));
      if (s.ack) ids.emplace_back(s.ack->id);
    }
    return ids;
  }
  bool loggedStartingWith(const std::string& prefix) const {
    for (const auto& l : logger.lines) if (l.rfind(prefix, 0) == 0) return true;
    return false;
  }
};

const SlowBroker::Steps kQuickConnect = {20, 20, 20, 20};

}  // namespace

TEST_CASE("during a 1.5 s connect every loop pass returns within 100 ms and the actuator is polled throughout") {
  ThreadRig r;
  r.begin();
  const auto t0 = Steady::now();
  REQUIRE(r.online());
  const long connectMs = msSince(t0);
  CHECK(connectMs >= 1500);  // the client really held its thread that long
  CHECK(r.longestPassMs < 100);
  CHECK(r.actuator.polls >= 50);  // one poll per pass: the loop kept running meanwhile
  CHECK(r.stepsSeen == std::set<ConnectStep>{ConnectStep::Resolving, ConnectStep::TcpConnecting,
                                             ConnectStep::TlsHandshake, ConnectStep::MqttConnecting});
  std::lock_guard<std::mutex> lock(r.broker.m);
  CHECK(r.broker.callers.size() == 1);  // one network thread, and not this (the loop's) one
  CHECK(r.broker.callers.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("a command that arrives while online is carried out and acked, though every QoS 1 publish waits 500 ms") {
  ThreadRig r;
  r.broker.attempts = {kQuickConnect};
  r.begin();
  REQUIRE(r.listening());
  r.sendCommand("c-1", "UNLOCK", 7);
  REQUIRE(r.runUntil([&] { return !r.ackIds().empty(); }, 5000));
  CHECK(r.actuator.starts == std::vector<Action>{Action::Unlock});
  r.runFor(1000);
  CHECK(r.ackIds() == std::vector<std::string>{"c-1"});  // once
  CHECK(r.broker.deliveredOn(kStatus).back().qos == 1);
  CHECK(r.longestPassMs < 100);
}

TEST_CASE("online, the log says the cmd subscription is on its way, not done, before the broker acknowledged it") {
  ThreadRig r;
  r.broker.attempts = {kQuickConnect};
  r.broker.subscribeAckMs = 1500;  // the SUBACK is late: the log line comes before it
  r.begin();
  REQUIRE(r.online());
  CHECK(r.broker.indexOf("subscribe " + kCmd) < 0);  // not acknowledged yet
  CHECK(r.loggedStartingWith("mqtt: online, subscribing to " + kCmd));
  CHECK_FALSE(r.loggedStartingWith("mqtt: online, subscribed"));
  REQUIRE(r.listening());
}

TEST_CASE("a status whose PUBACK never comes keeps its ack queued, and the ack goes out once after the reconnect") {
  ThreadRig r;
  r.broker.attempts = {kQuickConnect};
  r.begin();
  REQUIRE(r.listening());
  {
    std::lock_guard<std::mutex> lock(r.broker.m);  // the network thread reads them
    r.broker.failPublishes = 1;  // the status carrying the ack: no PUBACK, the session closes (arduino-mqtt)
  }
  r.sendCommand("c-1", "UNLOCK", 7);
  REQUIRE(r.runUntil([&] { return r.broker.indexOf("publish failed " + kStatus) >= 0; }, 3000));
  r.runFor(50);
  CHECK(r.actuator.starts == std::vector<Action>{Action::Unlock});  // the bolt moved
  CHECK(r.ackIds().empty());
  CHECK(r.app->controller().hasAck());  // not taken for delivered
  REQUIRE(r.runUntil([&] { return !r.ackIds().empty(); }, 8000));
  r.runFor(1000);
  CHECK(r.ackIds() == std::vector<std::string>{"c-1"});
  CHECK_FALSE(r.app->controller().hasAck());
  CHECK(r.broker.connectCount() >= 2);
  CHECK(r.longestPassMs < 100);
}

TEST_CASE("on a session that stays up, a status without PUBACK is sent again after a pause and its ack goes out once") {
  ThreadRig r;
  r.broker.attempts = {kQuickConnect};
  r.begin();
  REQUIRE(r.listening());
  {
    std::lock_guard<std::mutex> lock(r.broker.m);
    r.broker.closeOnFailure = false;
    r.broker.failPublishes = 2;
  }
  r.sendCommand("c-1", "LOCK", 7);
  REQUIRE(r.runUntil([&] { return !r.ackIds().empty(); }, 8000));
  r.runFor(1000);
  CHECK(r.ackIds() == std::vector<std::string>{"c-1"});
  CHECK(r.broker.connectCount() == 1);
  CHECK(r.loggedStartingWith("status: not delivered"));
  CHECK(r.longestPassMs < 100);
}

TEST_CASE("an attempt over its step limit is abandoned, closed once the blocked call returns, and none overlaps it") {
  ThreadRig r;
  r.cfg.stepTimeouts.tlsMs = 200;
  r.broker.attempts = {{10, 10, 1200, 10}, kQuickConnect};
  r.broker.honoursAbandon = false;  // the first connect runs to the end and even succeeds
  r.begin();
  int connectsWhenOnline = 0;
  REQUIRE(r.runUntil(
      [&] {
        connectsWhenOnline = r.broker.connectCount();
        return r.app->netState() == NetState::Online;
      },
      8000));
  CHECK(connectsWhenOnline == 2);  // the abandoned session was never used
  CHECK(r.loggedStartingWith("mqtt: TLS handshake timed out; retry in"));
  CHECK(r.loggedStartingWith("mqtt: connect failed; retry in"));  // a retry came while the first call still ran
  const int returned = r.broker.indexOf("connect 1 accepted");
  REQUIRE(returned >= 0);
  const int closed = r.broker.indexOf("disconnect", returned);
  CHECK(closed == returned + 1);  // closed at once
  CHECK(r.broker.indexOf("connect 2") > closed);
  CHECK(r.longestPassMs < 100);
}

TEST_CASE("stopping the transport in the middle of a blocking connect ends it at the next step, closes it and joins") {
  SlowBroker broker;
  broker.attempts = {{300, 300, 300, 300}};
  auto transport = std::make_unique<Transport>(broker);
  REQUIRE(transport->start());
  MqttConnectOptions o;
  o.clientId = "front-door";
  const auto c0 = Steady::now();
  REQUIRE(transport->connect(o));
  CHECK(msSince(c0) < 100);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  CHECK_FALSE(transport->connected());
  const auto d0 = Steady::now();
  transport.reset();
  const long stopMs = msSince(d0);
  CHECK(stopMs < 600);  // the rest of the step under way (~150 ms), not the whole 1.2 s attempt
  std::lock_guard<std::mutex> lock(broker.m);
  CHECK(broker.events == std::vector<std::string>{"connect 1", "connect 1 gave up", "disconnect"});
  CHECK(broker.callers.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("shutdown sends the retained offline before the session is closed, and stop() waits for both") {
  ThreadRig r;
  r.broker.attempts = {kQuickConnect};
  r.begin();
  REQUIRE(r.online());
  r.runFor(1500);  // the connect's publishes are out
  const int before = r.broker.eventCount();
  const auto s0 = Steady::now();
  r.app->shutdown();
  CHECK(msSince(s0) < 100);
  r.transport->stop();
  const int offline = r.broker.indexOf("publish " + kAvailability, before);
  REQUIRE(offline >= 0);
  CHECK(r.broker.indexOf("disconnect", offline) > offline);
  const auto availability = r.broker.deliveredOn(kAvailability);
  CHECK(availability.back().payload == "offline");
  CHECK(availability.back().retain);
}
