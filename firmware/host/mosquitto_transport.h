// MqttTransport over libmosquitto, driven from the caller's loop (no background thread), the
// same single-threaded model as the ESP32 shell.
#pragma once
#include <string>

#include "ports.h"

struct mosquitto;
struct mosquitto_message;

namespace host {

struct BrokerUrl {
  bool tls = false;
  std::string host;
  int port = 1883;
};
// mqtt://host[:port] or mqtts://host[:port]; false on anything else.
bool parseBrokerUrl(const std::string& url, BrokerUrl& out);

class MosquittoTransport : public smartlock::MqttTransport {
 public:
  MosquittoTransport(BrokerUrl url, std::string caFile);
  ~MosquittoTransport() override;

  void setHandler(smartlock::MqttMessageHandler* handler) override { handler_ = handler; }
  bool connect(const smartlock::MqttConnectOptions& options) override;
  bool connected() override { return connected_; }
  void disconnect() override;
  bool subscribe(const char* topic, uint8_t qos) override;
  bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) override;
  void loop() override;

 private:
  static void onConnect(mosquitto*, void* self, int rc);
  static void onDisconnect(mosquitto*, void* self, int rc);
  static void onMessage(mosquitto*, void* self, const mosquitto_message* msg);
  void destroy();

  BrokerUrl url_;
  std::string caFile_;
  mosquitto* mosq_ = nullptr;
  bool connected_ = false;
  smartlock::MqttMessageHandler* handler_ = nullptr;
};

}  // namespace host
