// The connection attempt as steps (connect_steps.h): each step has its own limit, the whole attempt
// one more, and no loop pass waits for the network.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "fakes.h"
#include "helpers.h"
#include "lock_app.h"

using namespace smartlock;
using namespace fakes;

namespace {

// A transport that moves through the steps in its loop(), spending stepMs[i] in step i (on the
// shared fake clock) unless it is stuck there. Each port call is also timed on that clock and the
// longest kept: a core that waited inside a pass (a busy loop on connected(), a sleep) would show.
struct SteppingMqtt : FakeMqtt {
  FakeClock& clock;
  explicit SteppingMqtt(FakeClock& c) : clock(c) {}
  std::vector<uint32_t> stepMs = {200, 300, 400, 300};  // Resolving, TcpConnecting, TlsHandshake, MqttConnecting
  int stuckIn = -1;                                      // index of a step that never ends
  bool attempting = false;
  size_t step = 0;
  uint32_t stepStart = 0;
  int connectsWhileAttempting = 0;
  int callsThisPass = 0, maxCallsPerPass = 0;

  bool connect(const MqttConnectOptions& o) override {
    ++callsThisPass;
    if (attempting) ++connectsWhileAttempting;
    FakeMqtt::connect(o);
    pendingConnect = false;  // FakeMqtt's one-pass connect is replaced by the steps
    attempting = true;
    step = 0;
    stepStart = clock.nowMs;
    return true;
  }
  ConnectStep connectStep() override {
    ++callsThisPass;
    return attempting ? static_cast<ConnectStep>(step) : ConnectStep::MqttConnecting;
  }
  bool connected() override {
    ++callsThisPass;
    return FakeMqtt::connected();
  }
  void disconnect() override {
    attempting = false;
    FakeMqtt::disconnect();
  }
  void loop() override {  // the first call of every LockApp::loop() pass
    maxCallsPerPass = std::max(maxCallsPerPass, callsThisPass);
    callsThisPass = 1;
    if (!attempting) return;
    while (attempting && static_cast<int>(step) != stuckIn && clock.nowMs - stepStart >= stepMs[step]) {
      stepStart += stepMs[step];
      if (++step == stepMs.size()) {
        attempting = false;
        isConnected = true;
      }
    }
  }
};

struct StepRig {
  FakeClock clock;
  SteppingMqtt mqtt{clock};
  FakeStorage storage;
  FakeActuator actuator;
  FakeRandom random;
  NullLogger logger;
  LockConfig cfg;
  std::unique_ptr<LockApp> app;
  uint32_t longestPassMs = 0;
  StepRig() {
    cfg.deviceId = "front-door";
    cfg.prefix = "test-prefix";
    cfg.key = helpers::key();
    cfg.maxVersion = 1;
    app = std::make_unique<LockApp>(cfg, LockAppDeps{mqtt, clock, storage, actuator, random, nullptr, &logger});
    REQUIRE(app->begin());
  }
  void run(uint32_t ms, uint32_t stepMs = 50) {
    for (uint32_t t = 0; t < ms; t += stepMs) {
      const uint32_t before = clock.nowMs;
      app->loop();
      longestPassMs = std::max(longestPassMs, clock.nowMs - before);
      clock.advance(stepMs);
    }
  }
  bool logged(const std::string& part) const {
    return std::any_of(logger.lines.begin(), logger.lines.end(),
                       [&](const std::string& l) { return l.find(part) != std::string::npos; });
  }
};

}  // namespace

TEST_CASE("an attempt goes online through DNS, TCP, TLS and MQTT CONNECT, one look per loop pass") {
  StepRig r;
  r.run(100);
  CHECK(r.app->netState() == NetState::Connecting);
  CHECK(r.app->connectStep() == ConnectStep::Resolving);
  r.run(300);
  CHECK(r.app->connectStep() == ConnectStep::TcpConnecting);
  r.run(1000);
  CHECK(r.app->netState() == NetState::Online);
  CHECK(r.mqtt.connects == 1);
  CHECK(r.mqtt.connectsWhileAttempting == 0);
  // No pass took fake time (nothing waited) and none polled the transport in a loop.
  CHECK(r.longestPassMs == 0);
  CHECK(r.mqtt.maxCallsPerPass <= 4);  // loop, connected, connectStep (+ connect once)
}

TEST_CASE("a DNS lookup that never answers ends the attempt after its own limit, not the whole attempt's") {
  StepRig r;
  r.mqtt.stuckIn = 0;
  r.run(r.cfg.stepTimeouts.resolveMs - 100);
  CHECK(r.app->netState() == NetState::Connecting);
  r.run(200);
  CHECK(r.app->netState() == NetState::WaitingToConnect);
  CHECK(r.logged("mqtt: DNS lookup timed out; retry in"));
  CHECK_FALSE(r.mqtt.attempting);  // the transport was told to give it up
}

TEST_CASE("a TLS handshake the broker never finishes ends after the TLS limit, counted from its start") {
  StepRig r;
  r.mqtt.stuckIn = 2;
  const uint32_t tlsStarts = r.mqtt.stepMs[0] + r.mqtt.stepMs[1];
  r.run(tlsStarts + r.cfg.stepTimeouts.tlsMs - 100);
  CHECK(r.app->netState() == NetState::Connecting);
  CHECK(r.app->connectStep() == ConnectStep::TlsHandshake);
  r.run(200);
  CHECK(r.app->netState() == NetState::WaitingToConnect);
  CHECK(r.logged("mqtt: TLS handshake timed out"));
  // It backs off and tries again; the broker answering lets it in.
  r.mqtt.stuckIn = -1;
  r.run(5000);
  CHECK(r.app->netState() == NetState::Online);
  CHECK(r.actuator.starts.empty());  // the network never moves the bolt
}

TEST_CASE("a broker that accepts TCP but never sends CONNACK ends after the MQTT limit") {
  StepRig r;
  r.mqtt.stuckIn = 3;
  r.run(900 + r.cfg.stepTimeouts.mqttMs + 100);
  CHECK(r.app->netState() == NetState::WaitingToConnect);
  CHECK(r.logged("mqtt: MQTT CONNECT timed out"));
}

TEST_CASE("steps each within their limit still end at the whole attempt's limit") {
  StepRig r;
  const ConnectTimeouts& t = r.cfg.stepTimeouts;
  r.mqtt.stepMs = {t.resolveMs - 500, t.tcpMs - 500, t.tlsMs - 500, t.mqttMs - 500};  // 20 s in all
  r.run(r.cfg.connectTimeoutMs - 100);
  CHECK(r.app->netState() == NetState::Connecting);
  r.run(200);
  CHECK(r.app->netState() == NetState::WaitingToConnect);
  CHECK(r.logged("mqtt: connect timed out (in TLS handshake)"));
}

TEST_CASE("every step's limit can be set, and a transport without steps has only the whole limit") {
  ConnectTimeouts t;
  t.resolveMs = 1;
  t.tcpMs = 2;
  t.tlsMs = 3;
  t.mqttMs = 4;
  CHECK(t.forStep(ConnectStep::Resolving) == 1);
  CHECK(t.forStep(ConnectStep::TcpConnecting) == 2);
  CHECK(t.forStep(ConnectStep::TlsHandshake) == 3);
  CHECK(t.forStep(ConnectStep::MqttConnecting) == 4);
  CHECK(t.forStep(ConnectStep::Unreported) == UINT32_MAX);
  FakeMqtt plain;  // the fakes and the virtual lock's libmosquitto transport report no steps
  CHECK(plain.connectStep() == ConnectStep::Unreported);
}

TEST_CASE("an attempt the transport reports failed backs off at once, without waiting out the step's limit") {
  struct FailingInTls : FakeMqtt {
    int passes = 0;
    ConnectStep connectStep() override { return passes >= 3 ? ConnectStep::Failed : ConnectStep::TlsHandshake; }
    void loop() override { ++passes; }
  };
  FakeClock clock;
  FailingInTls mqtt;
  FakeStorage storage;
  FakeActuator actuator;
  FakeRandom random;
  NullLogger logger;
  LockConfig cfg;
  cfg.deviceId = "front-door";
  cfg.key = helpers::key();
  cfg.maxVersion = 1;
  LockApp app(cfg, LockAppDeps{mqtt, clock, storage, actuator, random, nullptr, &logger});
  REQUIRE(app.begin());
  for (int i = 0; i < 4; ++i) {
    app.loop();
    clock.advance(10);
  }
  CHECK(app.netState() == NetState::WaitingToConnect);
  CHECK(logger.lines.back().rfind("mqtt: connect failed; retry in", 0) == 0);
}
