// The steps of one broker connection attempt (ESPHome's RESOLVING -> CONNECTING pattern). The
// transport starts each step without waiting and reports which one it is in; LockApp gives every
// step its own time limit, so a stuck DNS server, a silent TCP peer or a broker that never answers
// the TLS handshake each end the attempt after a bounded time instead of holding the loop.
#pragma once
#include <cstdint>

namespace smartlock {

enum class ConnectStep : uint8_t {
  Resolving,      // DNS lookup of the broker's host name
  TcpConnecting,  // TCP three-way handshake
  TlsHandshake,   // TLS (certificate or pre-shared key); skipped on plain MQTT
  MqttConnecting,  // CONNECT sent, waiting for CONNACK
  Unreported,      // a transport that does not report its steps: only the whole attempt is timed
  Failed           // the attempt ended without a session (refused, unreachable): back off now
};

const char* nameOf(ConnectStep step);  // "DNS lookup", "TCP connect", "TLS handshake", "MQTT CONNECT", "connect", "connect"

// How long each step may take, in ms. The defaults are generous for a lock on a weak Wi-Fi link
// and short enough that the lock is back to backing off within half a minute.
struct ConnectTimeouts {
  uint32_t resolveMs = 5000;
  uint32_t tcpMs = 5000;
  uint32_t tlsMs = 8000;
  uint32_t mqttMs = 5000;
  uint32_t forStep(ConnectStep step) const;  // Unreported: no limit of its own (UINT32_MAX)
};

}  // namespace smartlock
