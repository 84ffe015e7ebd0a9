// MqttTransport over arduino-mqtt (256dpi/MQTT, lwmqtt inside): QoS 1 subscribe and publish,
// retained will, keepalive, any Arduino Client (WiFiClientSecure for TLS). Single-threaded:
// everything, callbacks included, runs inside loop().
#pragma once
#include <MQTT.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>

#include <cstdio>

#include "ports.h"

class ArduinoMqttTransport : public smartlock::MqttTransport {
 public:
  // The buffer bounds every packet both ways: a larger one is refused by lwmqtt, never stored.
  static constexpr int kBufferSize = smartlock::kMaxPayload + smartlock::kMaxTopic + 16;

  ArduinoMqttTransport(Client& net, const char* host, uint16_t port)
      : net_(net), host_(host), port_(port), client_(kBufferSize) {
    instance_ = this;  // arduino-mqtt callbacks are plain function pointers; there is one client
  }

  void setHandler(smartlock::MqttMessageHandler* handler) override { handler_ = handler; }

  // With TLS: after a connection that fails before MQTT, log mbedTLS's reason. With a pre-shared
  // key, a handshake the broker ends means it does not hold this lock's key.
  void explainTlsFailures(WiFiClientSecure* tls, smartlock::Logger* logger, bool psk) {
    tls_ = tls;
    logger_ = logger;
    psk_ = psk;
  }

  bool connect(const smartlock::MqttConnectOptions& o) override {
    if (WiFi.status() != WL_CONNECTED) return false;  // the app backs off and tries again
    client_.begin(host_, port_, net_);
    if (o.willTopic != nullptr) client_.setWill(o.willTopic, o.willPayload, o.willRetain, o.willQos);
    else client_.clearWill();  // an unclaimed lock has no availability topic
    client_.setOptions(o.keepAliveS, /*cleanSession=*/true, /*timeoutMs=*/5000);
    client_.onMessageAdvanced(&ArduinoMqttTransport::onMessage);
    // Blocks for TCP + TLS + CONNACK (bounded by the timeout); connected() reports the result.
    const bool ok = client_.connect(o.clientId, o.username, o.password);
    if (!ok && tls_ != nullptr && logger_ != nullptr && client_.lastError() == LWMQTT_NETWORK_FAILED_CONNECT) {
      char why[96] = "";
      const int code = tls_->lastError(why, sizeof why);
      char line[200];
      std::snprintf(line, sizeof line, "mqtt: TLS handshake failed: %s (mbedTLS -0x%04x %s)",
                    psk_ ? "wrong key or unknown identity" : "broker certificate not trusted", -code, why);
      if (code != 0) logger_->log(line);  // 0: no TLS error, e.g. the TCP connect itself failed
    }
    return ok;
  }
  bool connected() override { return client_.connected(); }
  void disconnect() override { client_.disconnect(); }
  bool subscribe(const char* topic, uint8_t qos) override { return client_.subscribe(topic, qos); }
  bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) override {
    return client_.publish(topic, payload, static_cast<int>(len), retain, qos);
  }
  void loop() override { client_.loop(); }

 private:
  static void onMessage(MQTTClient*, char topic[], char bytes[], int length) {
    if (instance_ != nullptr && instance_->handler_ != nullptr && length >= 0) {
      instance_->handler_->onMqttMessage(topic, bytes, static_cast<size_t>(length));
    }
  }

  static inline ArduinoMqttTransport* instance_ = nullptr;
  Client& net_;
  const char* host_;
  uint16_t port_;
  MQTTClient client_;
  smartlock::MqttMessageHandler* handler_ = nullptr;
  WiFiClientSecure* tls_ = nullptr;
  smartlock::Logger* logger_ = nullptr;
  bool psk_ = false;
};
