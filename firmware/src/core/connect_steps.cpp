#include "connect_steps.h"

namespace smartlock {

const char* nameOf(ConnectStep step) {
  switch (step) {
    case ConnectStep::Resolving: return "DNS lookup";
    case ConnectStep::TcpConnecting: return "TCP connect";
    case ConnectStep::TlsHandshake: return "TLS handshake";
    case ConnectStep::MqttConnecting: return "MQTT CONNECT";
    case ConnectStep::Unreported:
    case ConnectStep::Failed: return "connect";
  }
  return "?";
}

uint32_t ConnectTimeouts::forStep(ConnectStep step) const {
  switch (step) {
    case ConnectStep::Resolving: return resolveMs;
    case ConnectStep::TcpConnecting: return tcpMs;
    case ConnectStep::TlsHandshake: return tlsMs;
    case ConnectStep::MqttConnecting: return mqttMs;
    case ConnectStep::Unreported: return UINT32_MAX;
    case ConnectStep::Failed: return 0;
  }
  return UINT32_MAX;
}

}  // namespace smartlock
