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

// TLS with a pre-shared key instead of certificates (docs/protocol.md section 12): the embedded
// broker's TLS listener. identity = the device id, keyHex = the hex of the tls-psk purpose key.
struct TlsPsk {
  std::string identity;
  std::string keyHex;
};

// The PSK cipher suites of docs/protocol.md section 12, in the server's order (OpenSSL names).
extern const char kPskCiphers[];

class MosquittoTransport : public smartlock::MqttTransport {
 public:
  // With a psk (identity not empty) an mqtts:// url uses TLS 1.2 with that key, and no CA;
  // otherwise mqtts:// checks the broker's certificate against caFile (or the system's CAs).
  MosquittoTransport(BrokerUrl url, std::string caFile, TlsPsk psk = {});
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
  static void onLog(mosquitto*, void* self, int level, const char* line);
  bool setUpTls();
  bool awaitConnack();
  void reportTlsFailure(const char* when);
  void destroy();

  BrokerUrl url_;
  std::string caFile_;
  TlsPsk psk_;
  std::string tlsError_;  // libmosquitto's last "OpenSSL Error" line of this attempt
  mosquitto* mosq_ = nullptr;
  bool connected_ = false;
  bool connackSeen_ = false;  // onConnect ran for this attempt (accepted or refused)
  smartlock::MqttMessageHandler* handler_ = nullptr;
};

}  // namespace host
