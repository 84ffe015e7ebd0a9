// The whole lock as one non-blocking state machine: call begin() once and loop() forever.
//
//   WaitingToConnect --(backoff elapsed, connect started)--> Connecting
//   Connecting --(broker accepted)--> Online --(session lost)--> WaitingToConnect
//   Connecting --(a step overran its limit, or connectTimeoutMs overall)--> WaitingToConnect
//
// Connecting has steps (connect_steps.h: DNS lookup, TCP connect, TLS handshake, MQTT CONNECT),
// each started by the transport without waiting and each with its own time limit.
//
// Within each session a Negotiator (negotiator.h) sends the v2 hello and waits for the welcome;
// until then the lock speaks v1. BrokerLogin (broker_login.h) picks the broker password.
//
// The network state never touches the bolt: losing the broker only means retrying later.
#pragma once
#include <cstddef>
#include <cstdint>

#include "backoff.h"
#include "ble_access.h"
#include "boot_guard.h"
#include "connect_steps.h"
#include "broker_login.h"
#include "heartbeat.h"
#include "key_ring.h"
#include "key_schedule.h"
#include "lock_controller.h"
#include "negotiator.h"
#include "power_policy.h"
#include "ports.h"
#include "server_clock.h"
#include "signature.h"
#include "update_agent.h"

namespace smartlock {

struct LockConfig {
  const char* deviceId = nullptr;
  const char* prefix = "smartlock";
  DeviceKey key{};
  int maxVersion = kHighestVersion;  // announced as "vers" 1..maxVersion; 1: a v1-only lock that never sends a hello
  uint32_t heartbeatMs = kHeartbeatMs;  // the mains profile's; the battery profile's is in power
  PowerConfig power;                    // power_policy.h: profile, battery heartbeat, flat-battery rule
  uint16_t keepAliveS = kKeepAliveS;
  uint32_t backoffBaseMs = 1000;
  uint32_t backoffCapMs = 60000;
  uint32_t connectTimeoutMs = 15000;  // the whole attempt, whatever its steps
  ConnectTimeouts stepTimeouts;       // each step of it
  BootGuardConfig bootGuard;          // N short boots in a row: safe mode
  uint32_t stableAfterMs = 30000;  // a session this old resets the backoff (no fast flapping)
  const char* fw = nullptr;        // reported as "fw" when set
  // Reported as the issue while nothing worse is (jammed, safe mode): e.g. kIssueCompiledSecret.
  const char* standingIssue = nullptr;
};

struct LockAppDeps {
  MqttTransport& mqtt;
  Clock& clock;
  Storage& storage;
  Actuator& actuator;
  Random& random;
  Telemetry* telemetry = nullptr;
  Logger* logger = nullptr;
  DoorSensor* door = nullptr;  // optional: the door is reported UNKNOWN without one
  BoltSensor* bolt = nullptr;  // optional: a STAY boot reports UNKNOWN without one
  // Optional: firmware updates (v3). The caller runs its boot() before begin().
  UpdateAgent* update = nullptr;
  Watchdog* watchdog = nullptr;  // optional: fed at every loop() pass
  Sleeper* sleeper = nullptr;    // optional: light sleep between passes on the battery profile
};

enum class NetState : uint8_t { WaitingToConnect, Connecting, Online };

class LockApp : public MqttMessageHandler {
 public:
  LockApp(const LockConfig& config, const LockAppDeps& deps);

  bool begin();  // false when the configuration is unusable (bad id, prefix or fw)
  void loop();
  // Clean stop: retained "offline" first, because a clean DISCONNECT does not fire the will.
  void shutdown();
  // The long press (docs/protocol.md §15.5): in v3, a signed reset goes out (QoS 1) before the shell
  // forgets K, so the server releases the lock. False when not online in v3 (nothing was sent).
  bool sendFactoryReset();

  void onMqttMessage(const char* topic, const char* payload, size_t len) override;

  NetState netState() const { return net_; }
  ConnectStep connectStep() const { return step_; }  // meaningful while Connecting
  bool safeMode() const { return guard_.safeMode(); }
  const LockController& controller() const { return controller_; }
  uint64_t lastSeq() const { return seq_; }
  int protocolVersion() const { return negotiator_.version(); }
  const Negotiator& negotiator() const { return negotiator_; }
  const PowerPolicy& power() const { return power_; }
  uint32_t droppedMessages() const { return dropped_; }
  const KeyRing& keyRing() const { return ring_; }
  // Bluetooth offline keys (ble_access.h): the shell hands it what the radio reads and writes.
  BleAccess& ble() { return ble_; }
  bool timeSynced() const { return serverClock_.synced(); }
  const char* cmdTopic() const { return cmdTopic_; }
  const char* statusTopic() const { return statusTopic_; }
  const char* availabilityTopic() const { return availabilityTopic_; }

 private:
  void retryLater(uint32_t now, const char* why);
  void startConnect(uint32_t now);
  void followConnect(uint32_t now);
  void onConnected(uint32_t now);
  void drainInbox();
  void applyTime(const char* payload, size_t len);
  void applyWelcome(const char* payload, size_t len);
  void switchToPendingKey();
  void sessionEnded();
  bool publishHello(uint32_t now);
  bool publishStatus(uint32_t now);
  void followDelivery(uint32_t now);
  void statusSettled(bool delivered, bool ack, bool bleUse, bool updFinal, uint32_t now);
  void log(const char* fmt, ...);
  void followUpdate();
  void followBattery(uint32_t now);
  void doze(uint32_t now);
  size_t appendUpdate(char* buf, size_t len, size_t cap, int version, bool& final);
  bool bleUseDue() const { return controller_.version() >= sinceVersion(MessageType::Blerev) && ble_.peekUse() != nullptr; }

  static constexpr size_t kInboxSlots = 4;
  struct InboxSlot {
    size_t len = 0;
    char payload[kMaxPayload];
  };

  LockConfig cfg_;  // cfg_.key is the lock's current secret: the configured one, or a rotation's (key_ring.h)
  LockAppDeps d_;
  KeyRing ring_;
  ServerClock serverClock_;  // before controller_, which reads the time from it
  LockController controller_;
  BleAccess ble_;
  V2Keys keys_;
  Negotiator negotiator_;
  BrokerLogin login_;
  Backoff backoff_;
  PowerPolicy power_;  // before heartbeat_, whose period it decides
  Heartbeat heartbeat_;
  static constexpr uint32_t kBatteryCheckMs = 10000;
  uint32_t batteryCheckedAt_ = 0;
  bool batteryChecked_ = false;
  BootGuard guard_;
  ConnectStep step_ = ConnectStep::Resolving;
  uint32_t stepSince_ = 0;  // when step_ began
  NetState net_ = NetState::WaitingToConnect;
  bool started_ = false;
  uint32_t stateSince_ = 0;  // when the current state began
  static constexpr uint32_t kAckRetryMs = 1000;
  uint32_t ackFailedAt_ = 0 - kAckRetryMs;  // when a status carrying an ack last failed to publish
  // A status whose QoS 1 delivery the transport learns only later (MqttTransport::publishTicket): what
  // it carries stays queued until then, and no other status goes out meanwhile (it would carry the same ack).
  struct InFlightStatus {
    uint32_t ticket = 0;  // 0: none in flight
    uint64_t seq = 0;
    bool ack = false, bleUse = false, updFinal = false;
  };
  InFlightStatus inFlight_;
  uint32_t waitMs_ = 0;      // WaitingToConnect: how long to wait from stateSince_
  bool stable_ = false;
  uint32_t lastLoopMs_ = 0;
  uint64_t uptimeMs_ = 0;
  uint64_t seq_ = 0;
  uint32_t dropped_ = 0;
  int lastUpdState_ = -1;  // the update state last shown, so a change is reported at once
  InboxSlot inbox_[kInboxSlots];
  size_t inboxHead_ = 0, inboxCount_ = 0;
  char cmdTopic_[kMaxTopic] = {};
  char statusTopic_[kMaxTopic] = {};
  char availabilityTopic_[kMaxTopic] = {};
};

}  // namespace smartlock
