// Wi-Fi recovery (wifi_supervisor.h) and the names of the network stack's failure codes.
#include <doctest/doctest.h>

#include <string>

#include "fakes.h"
#include "net_reason_names.h"
#include "wifi_supervisor.h"

using namespace smartlock;
using namespace fakes;

namespace {
struct FakeRadio : WifiRadio {
  int reconnects = 0, restarts = 0;
  void reconnect() override { ++reconnects; }
  void restart() override { ++restarts; }
};

struct WifiRig {
  FakeClock clock;
  FakeRadio radio;
  NullLogger logger;
  WifiSupervisor wifi{radio, clock, &logger};
  void run(uint32_t ms, uint32_t stepMs = 100) {
    for (uint32_t t = 0; t < ms; t += stepMs) {
      wifi.loop();
      clock.advance(stepMs);
    }
  }
  bool logged(const std::string& line) const {
    for (const auto& l : logger.lines) if (l == line) return true;
    return false;
  }
};
}  // namespace

TEST_CASE("a lock that got its IP asks nothing of the radio") {
  WifiRig r;
  r.wifi.begin();
  r.run(2000);
  r.wifi.onConnected();
  r.wifi.onGotIp();
  r.run(300000);
  CHECK(r.wifi.state() == WifiState::Online);
  CHECK(r.radio.reconnects == 0);
  CHECK(r.radio.restarts == 0);
}

TEST_CASE("a disconnect is logged by name and reconnected after 1 s, then every 10 s") {
  WifiRig r;
  r.wifi.begin();
  r.wifi.onGotIp();
  r.run(5000);
  r.wifi.onDisconnected(2);
  CHECK(r.logged("wifi: disconnected (AUTH_EXPIRE, 2)"));
  CHECK(r.wifi.state() == WifiState::Joining);
  r.run(900);
  CHECK(r.radio.reconnects == 0);
  r.run(200);
  CHECK(r.radio.reconnects == 1);
  r.run(10000);
  CHECK(r.radio.reconnects == 2);
  r.wifi.onGotIp();
  r.run(60000);
  CHECK(r.radio.reconnects == 2);
  CHECK(r.radio.restarts == 0);
}

TEST_CASE("60 s without an IP restarts the Wi-Fi stack, and again every 60 s") {
  WifiRig r;
  r.wifi.begin();
  r.wifi.onGotIp();
  r.run(1000);
  r.wifi.onDisconnected(201);  // the AP is gone
  CHECK(r.logged("wifi: disconnected (NO_AP_FOUND, 201)"));
  r.run(59800);
  CHECK(r.radio.restarts == 0);
  r.run(300);
  CHECK(r.radio.restarts == 1);
  CHECK(r.logged("wifi: no IP address for 60 s: restarting Wi-Fi"));
  // The driver's failed tries while joining do not reset the clock of the restart.
  r.wifi.onDisconnected(201);
  r.run(60000);
  CHECK(r.radio.restarts == 2);
}

TEST_CASE("a join that never gets an IP after boot is restarted too") {
  WifiRig r;
  r.wifi.begin();
  r.wifi.onConnected();  // associated, but DHCP never answers
  r.run(9900);
  CHECK(r.radio.reconnects == 0);  // the first join gets 10 s before a nudge
  r.run(51000);
  CHECK(r.radio.restarts == 1);
}

TEST_CASE("losing the IP while associated counts as a disconnect") {
  WifiRig r;
  r.wifi.begin();
  r.wifi.onGotIp();
  r.wifi.onLostIp();
  CHECK(r.wifi.state() == WifiState::Joining);
  r.run(1100);
  CHECK(r.radio.reconnects == 1);
}

TEST_CASE("reason and error codes have ESP-IDF's and lwmqtt's names") {
  CHECK(std::string(wifiReasonName(15)) == "4WAY_HANDSHAKE_TIMEOUT");
  CHECK(std::string(wifiReasonName(200)) == "BEACON_TIMEOUT");
  CHECK(std::string(wifiReasonName(202)) == "AUTH_FAIL");
  CHECK(std::string(wifiReasonName(204)) == "HANDSHAKE_TIMEOUT");
  CHECK(std::string(wifiReasonName(12)) == "UNKNOWN");
  CHECK(std::string(wifiReasonName(0)) == "UNKNOWN");
  CHECK(std::string(mqttErrorName(-3)) == "NETWORK_FAILED_CONNECT");
  CHECK(std::string(mqttErrorName(-10)) == "CONNECTION_DENIED");
  CHECK(std::string(mqttErrorName(-13)) == "PONG_TIMEOUT");
  CHECK(std::string(mqttErrorName(-14)) == "UNKNOWN");
  CHECK(std::string(mqttReturnCodeName(4)) == "BAD_USERNAME_OR_PASSWORD");
  CHECK(std::string(mqttReturnCodeName(5)) == "NOT_AUTHORIZED");
  CHECK(std::string(mqttReturnCodeName(7)) == "UNKNOWN");
}
