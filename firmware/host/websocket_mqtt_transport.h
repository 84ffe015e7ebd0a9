// MqttTransport over MQTT on WebSockets (ws://host:port/path): a TCP socket, the core's
// WebSocketStream, and the few MQTT packets of mqtt_packets.h. The virtual lock uses it with
// --broker ws://…/mqtt, which runs the firmware's own WebSocket code against the api's /mqtt relay.
// Plain TCP only: on a PaaS, TLS ends at its edge (the ESP32 puts WiFiClientSecure beneath).
#pragma once
#include <memory>
#include <string>

#include "ports.h"
#include "websocket_stream.h"

namespace host {

struct WebSocketUrl {
  std::string host;
  int port = 80;
  std::string path = "/";
};
// ws://host[:port][/path]; false on anything else (wss:// included: no TLS here).
bool parseWebSocketUrl(const std::string& url, WebSocketUrl& out);

class WebSocketMqttTransport : public smartlock::MqttTransport {
 public:
  WebSocketMqttTransport(WebSocketUrl url, smartlock::Random& random, smartlock::Logger* logger)
      : url_(std::move(url)), random_(random), logger_(logger) {}
  ~WebSocketMqttTransport() override { drop(); }

  void setHandler(smartlock::MqttMessageHandler* handler) override { handler_ = handler; }
  bool connect(const smartlock::MqttConnectOptions& options) override;
  bool connected() override { return connected_; }
  void disconnect() override;
  bool subscribe(const char* topic, uint8_t qos) override;
  bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) override;
  void loop() override;

 private:
  bool send(const std::string& packet);  // into the stream (or held until the handshake is done)
  void pump();
  void onPacket();
  void drop();
  void log(const std::string& line);

  WebSocketUrl url_;
  smartlock::Random& random_;
  smartlock::Logger* logger_;
  smartlock::MqttMessageHandler* handler_ = nullptr;
  smartlock::WebSocketConfig wsConfig_;
  std::unique_ptr<smartlock::WebSocketStream> ws_;
  int fd_ = -1;
  bool connected_ = false;
  std::string pendingOut_;  // MQTT bytes not yet taken by the stream
  std::string netIn_;       // socket bytes not yet taken by the stream
  std::string mqttIn_;      // stream bytes not yet a whole packet
  uint16_t nextId_ = 1;
  uint16_t keepAliveS_ = 10;
  long long lastSendMs_ = 0;
};

}  // namespace host
