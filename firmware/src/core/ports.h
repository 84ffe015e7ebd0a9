// The small interfaces the core needs from the world. The ESP32 shell (smartlock/) and the host
// program (host/) implement them; the tests fake them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "connect_steps.h"
#include "protocol.h"

namespace smartlock {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual uint32_t millis() = 0;  // monotonic, wraps after ~49 days: compare with differences
  // Unix seconds, or nullopt while there is no trusted time. The platform clocks return nullopt:
  // LockApp wraps them in ServerClock, whose time comes only from the server's signed messages.
  virtual std::optional<int64_t> unixTime() = 0;
};

// Durable key -> uint64 store (NVS on ESP32). store() returns only once the value would survive
// a power cut, because the command counter relies on it to refuse replays.
class Storage {
 public:
  virtual ~Storage() = default;
  virtual std::optional<uint64_t> load(const char* key) = 0;  // nullopt = never stored
  virtual bool store(const char* key, uint64_t value) = 0;
  // Short printable text (at most 80 chars), e.g. what moved the bolt last. A platform without it
  // keeps that for one boot only, which is all these defaults do.
  virtual bool storeText(const char* /*key*/, const char* /*value*/) { return false; }
  virtual bool loadText(const char* /*key*/, char* /*out*/, size_t /*cap*/) { return false; }  // NUL-terminated
};

enum class MoveState : uint8_t { Idle, Moving, Done, Jammed };

// Drives the bolt. Non-blocking: start() begins a move, poll() reports its progress; Done and
// Jammed are reported once, then the actuator is Idle again.
class Actuator {
 public:
  virtual ~Actuator() = default;
  virtual void start(Action action) = 0;
  virtual MoveState poll() = 0;
};

// Optional sensors. A lock without a door sensor reports the door UNKNOWN (and never auto-relocks);
// one without a bolt sensor knows its bolt only from its own moves (UNKNOWN after a STAY boot).
// Implementations debounce: every reading is taken as the truth.
class DoorSensor {
 public:
  virtual ~DoorSensor() = default;
  virtual DoorState door() = 0;
};

class BoltSensor {
 public:
  virtual ~BoltSensor() = default;
  virtual std::optional<LockStatus> bolt() = 0;  // Locked, Unlocked, or nullopt (cannot tell)
};

class Random {
 public:
  virtual ~Random() = default;
  virtual uint32_t next() = 0;  // uniform over the full uint32 range
};

struct MqttConnectOptions {
  const char* clientId = nullptr;
  const char* username = nullptr;
  const char* password = nullptr;
  const char* willTopic = nullptr;    // the will: retained "offline" on availability
  const char* willPayload = nullptr;
  uint8_t willQos = 1;
  bool willRetain = true;
  uint16_t keepAliveS = kKeepAliveS;
};

class MqttMessageHandler {
 public:
  virtual ~MqttMessageHandler() = default;
  // Called from MqttTransport::loop(). Must not call back into the transport (some clients are
  // not re-entrant): copy what is needed and act on it in the next loop.
  virtual void onMqttMessage(const char* topic, const char* payload, size_t len) = 0;
};

// What became of a publish whose outcome was not known when publish() returned (see MqttTransport::publishTicket).
enum class Delivery : uint8_t {
  Delivered,  // the broker has it (QoS 1: its PUBACK arrived)
  Pending,    // still queued or waiting for the PUBACK
  Failed      // not delivered (no session, a PUBACK timeout, the session ended first)
};

class MqttTransport {
 public:
  virtual ~MqttTransport() = default;
  virtual void setHandler(MqttMessageHandler* handler) = 0;
  // Starts a connection attempt and returns at once (false: it cannot even start); loop() moves it
  // on step by step and connected() turns true once the broker accepted it. The options' strings
  // stay valid until the attempt ends. LockApp times every step (connect_steps.h) and calls
  // disconnect() to abandon one that overran.
  virtual bool connect(const MqttConnectOptions& options) = 0;
  // The step the current attempt is in. A transport that cannot tell reports Unreported: then only
  // LockConfig::connectTimeoutMs bounds the attempt.
  virtual ConnectStep connectStep() { return ConnectStep::Unreported; }
  virtual bool connected() = 0;
  virtual void disconnect() = 0;
  virtual bool subscribe(const char* topic, uint8_t qos) = 0;
  virtual bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) = 0;
  virtual void loop() = 0;  // pumps network I/O; never blocks for long
  // A transport whose publish() returns before the broker acknowledged (network_thread_transport.h)
  // gives every accepted publish a ticket: then publish() true only means "queued", and delivery()
  // tells later what became of it. 0, the default, means publish() already knew the outcome (it
  // waited for the PUBACK, or handed the message to a library that retransmits it).
  virtual uint32_t publishTicket() { return 0; }  // of the publish() that last returned true
  virtual Delivery delivery(uint32_t /*ticket*/) { return Delivery::Delivered; }
};

// A task watchdog: the platform resets the lock when feed() was not called for its timeout (ESP32:
// esp_task_wdt). LockApp feeds it at every loop pass, so only a stuck loop triggers it.
class Watchdog {
 public:
  virtual ~Watchdog() = default;
  virtual void feed() = 0;
};

// Optional readings for the status message; absent values are simply not reported.
class Telemetry {
 public:
  virtual ~Telemetry() = default;
  virtual std::optional<int32_t> rssi() { return std::nullopt; }
  virtual std::optional<uint8_t> battery() { return std::nullopt; }
  virtual std::optional<Power> power() { return std::nullopt; }
};

}  // namespace smartlock

namespace smartlock {

// One line per event, already formatted, never containing the device secret.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(const char* line) = 0;
};

}  // namespace smartlock
