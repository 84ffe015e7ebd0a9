// An MQTT client whose calls may block for seconds: DNS, TCP, TLS and CONNACK inside connect(), the
// PUBACK or SUBACK inside publish() and subscribe(). NetworkThreadTransport (network_thread_transport.h)
// runs it on a thread of its own, so that none of those waits holds the lock's loop. Only that thread
// ever calls it: an implementation needs no locking of its own.
#pragma once
#include <cstddef>
#include <cstdint>

#include "connect_steps.h"
#include "ports.h"

namespace smartlock {

// What a blocking connect() tells, and asks, while it runs.
class ConnectProgress {
 public:
  virtual ~ConnectProgress() = default;
  virtual void step(ConnectStep step) = 0;  // the attempt entered this step (LockApp times each one)
  // The app gave up on the attempt (a step over its limit): stop at the next chance and return false.
  // A call already under way cannot be cut short; it ends by its own timeout.
  virtual bool abandoned() = 0;
};

class BlockingMqttClient {
 public:
  virtual ~BlockingMqttClient() = default;
  // Messages arrive through it from inside loop() (or while publish/subscribe wait), on the network thread.
  virtual void setHandler(MqttMessageHandler* handler) = 0;
  // The whole attempt: true once the broker accepted the session. The options' strings stay valid
  // until the next connect().
  virtual bool connect(const MqttConnectOptions& options, ConnectProgress& progress) = 0;
  virtual bool connected() = 0;
  virtual void disconnect() = 0;  // closes the socket; harmless when there is none
  virtual bool subscribe(const char* topic, uint8_t qos) = 0;  // QoS 1: true once the SUBACK arrived
  // QoS 1: true once the PUBACK arrived. A client may close the session on a failure (arduino-mqtt does).
  virtual bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) = 0;
  virtual void loop() = 0;  // reads what arrived, answers pings; returns soon when nothing did
};

}  // namespace smartlock
