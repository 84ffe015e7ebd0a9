// Just enough MQTT 3.1.1 to run the lock's core over a byte stream of our own (the WebSocket
// transport): the packets a lock sends, and a reader for the ones it receives. The ESP32 uses
// arduino-mqtt instead; this exists so that the host can prove the WebSocket framing end to end.
#pragma once
#include <cstdint>
#include <string>

#include "ports.h"

namespace host {
namespace mqtt {

enum class Type : uint8_t { Connect = 1, Connack = 2, Publish = 3, Puback = 4, Subscribe = 8, Suback = 9, Pingreq = 12, Pingresp = 13, Disconnect = 14 };

std::string connect(const smartlock::MqttConnectOptions& o);
std::string publish(const std::string& topic, const char* payload, size_t len, uint8_t qos, bool retain, uint16_t id);
std::string puback(uint16_t id);
std::string subscribe(const std::string& topic, uint8_t qos, uint16_t id);
std::string pingreq();
std::string disconnect();

struct Packet {
  Type type;
  uint8_t flags;      // the low nibble of the first byte
  std::string body;   // everything after the remaining length
};

// Takes one complete packet off the front of buf; false while it is incomplete. A malformed
// remaining length (more than 4 bytes) sets `bad`.
bool take(std::string& buf, Packet& out, bool& bad);

// PUBLISH body: topic, packet id (QoS > 0), payload. False if malformed.
bool parsePublish(const Packet& p, std::string& topic, uint16_t& id, std::string& payload);

}  // namespace mqtt
}  // namespace host
