// Wi-Fi recovery as a small state machine fed with the driver's events, instead of trusting the
// driver's auto-reconnect (which stalls after some disconnect reasons on Arduino-ESP32 2.x):
//
//   Joining --(got IP)--> Online --(disconnected / lost IP)--> Joining
//
// While Joining it asks the radio to reconnect every reconnectEveryMs (the first time
// reconnectAfterMs after a disconnect), and after restartAfterMs without an IP it restarts the
// Wi-Fi stack (off, on, join again), then again every restartAfterMs. Disconnect reasons are
// logged by name (net_reason_names.h). The bolt never moves for any of it.
#pragma once
#include <cstdint>

#include "ports.h"

namespace smartlock {

// What the supervisor asks of the platform's Wi-Fi (ESP32: WiFi.reconnect(); WiFi.disconnect(true),
// WiFi.mode(WIFI_OFF), WiFi.mode(WIFI_STA), WiFi.begin(...)). Both return at once.
class WifiRadio {
 public:
  virtual ~WifiRadio() = default;
  virtual void reconnect() = 0;
  virtual void restart() = 0;
};

struct WifiSupervisorConfig {
  uint32_t reconnectAfterMs = 1000;  // first reconnect after a disconnect
  uint32_t reconnectEveryMs = 10000;
  uint32_t restartAfterMs = 60000;   // without an IP this long: restart the Wi-Fi stack
};

enum class WifiState : uint8_t { Joining, Online };

class WifiSupervisor {
 public:
  WifiSupervisor(WifiRadio& radio, Clock& clock, Logger* logger, const WifiSupervisorConfig& config = {});

  // Events, from the shell's loop() (the driver's own task only queues them, see smartlock.ino).
  void begin();  // the join was just started: Joining from now
  void onConnected();  // associated with the access point (no IP yet)
  void onGotIp();
  void onLostIp();
  void onDisconnected(uint8_t reason);  // wifi_err_reason_t

  void loop();  // acts on the timers; never waits

  WifiState state() const { return state_; }
  uint32_t reconnects() const { return reconnects_; }
  uint32_t restarts() const { return restarts_; }
  uint8_t lastReason() const { return lastReason_; }

 private:
  void joining(uint32_t now, uint32_t firstTryInMs);
  void log(const char* fmt, ...);

  WifiRadio& radio_;
  Clock& clock_;
  Logger* logger_;
  WifiSupervisorConfig cfg_;
  WifiState state_ = WifiState::Joining;
  uint32_t noIpSince_ = 0;     // when the lock last lost (or had not yet got) its IP
  uint32_t lastRestart_ = 0;   // when the stack was last (re)started
  uint32_t nextTryAt_ = 0;     // next reconnect, as a millis() value
  uint32_t reconnects_ = 0, restarts_ = 0;
  uint8_t lastReason_ = 0;
};

}  // namespace smartlock
