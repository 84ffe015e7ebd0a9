// MqttTransport over arduino-mqtt (256dpi/MQTT, lwmqtt inside): QoS 1 subscribe and publish,
// retained will, keepalive, over WiFiClient or WiFiClientSecure. Single-threaded: everything,
// callbacks included, runs inside loop().
//
// A connection attempt is a step per loop() pass (connect_steps.h), never a wait for the network
// in connect() itself: DNS through lwIP's callback (no wait at all), then one bounded call for TCP
// (and TLS), then one bounded call for CONNECT/CONNACK. What each of those may block for is listed
// in firmware/README.md ("Never blocks"); the core times every step on top.
#pragma once
#include <MQTT.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <lwip/dns.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>

#include "net_reason_names.h"
#include "ports.h"
#include "websocket_client.h"

class ArduinoMqttTransport : public smartlock::MqttTransport {
 public:
  // The buffer bounds every packet both ways: a larger one is refused by lwmqtt, never stored.
  static constexpr int kBufferSize = smartlock::kMaxPayload + smartlock::kMaxTopic + 16;
  // Bounds of the calls that do block (README "Never blocks"): keep them under the core's step limits.
  static constexpr uint32_t kSocketTimeoutS = 4;     // TCP connect, and every socket read/write
  static constexpr uint32_t kHandshakeTimeoutS = 6;  // TLS handshake (WiFiClientSecure's default is 120 s)
  static constexpr int kMqttTimeoutMs = 4000;        // CONNACK, SUBACK, PUBACK waits

  ArduinoMqttTransport(WiFiClient& plain, const char* host, uint16_t port)
      : plain_(&plain), host_(host), port_(port), client_(kBufferSize) {
    init(plain);
  }
  ArduinoMqttTransport(WiFiClientSecure& tls, const char* host, uint16_t port)
      : tls_(&tls), host_(host), port_(port), client_(kBufferSize) {
    tls.setHandshakeTimeout(kHandshakeTimeoutS);
    init(tls);
  }

  void setHandler(smartlock::MqttMessageHandler* handler) override { handler_ = handler; }
  // MQTT over WebSockets (docs/protocol.md §12.3): ws runs over this transport's socket; its
  // handshake follows the TCP/TLS step and blocks up to WebSocketClient::kConnectTimeoutMs.
  void overWebSocket(WebSocketClient* ws) { ws_ = ws; }
  void setLogger(smartlock::Logger* logger) { logger_ = logger; }

  // With TLS: after a connection that fails before MQTT, log mbedTLS's reason. With a pre-shared
  // key, a handshake the broker ends means it does not hold this lock's key. caPem: the pinned root
  // (certificate mode), so that the host name is checked although the socket connects to an IP.
  void explainTlsFailures(smartlock::Logger* logger, bool psk, const char* caPem = nullptr) {
    logger_ = logger;
    psk_ = psk;
    caPem_ = caPem;
  }

  bool connect(const smartlock::MqttConnectOptions& o) override {
    if (WiFi.status() != WL_CONNECTED) return false;  // the app backs off and tries again
    opts_ = o;  // its strings outlive the attempt (ports.h)
    client_.begin(host_, port_, ws_ != nullptr ? static_cast<Client&>(*ws_) : static_cast<Client&>(*net()));
    if (o.willTopic != nullptr) client_.setWill(o.willTopic, o.willPayload, o.willRetain, o.willQos);
    else client_.clearWill();  // an unclaimed lock has no availability topic
    client_.setOptions(o.keepAliveS, /*cleanSession=*/true, kMqttTimeoutMs);
    client_.onMessageAdvanced(&ArduinoMqttTransport::onMessage);
    dns_.store(kDnsPending);
    ip_addr_t addr;
    // Called from the loop task as Arduino-ESP32 2.x's own WiFi.hostByName() does; the answer
    // comes later through onDnsFound (lwIP's thread), polled in loop().
    const err_t e = dns_gethostbyname(host_, &addr, &ArduinoMqttTransport::onDnsFound, this);
    if (e == ERR_OK) {
      dnsIp_.store(ip_addr_get_ip4_u32(&addr));
      dns_.store(kDnsFound);
    } else if (e != ERR_INPROGRESS) {
      log("mqtt: DNS lookup of %s could not start (lwIP %d)", host_, static_cast<int>(e));
      return false;
    }
    step_ = smartlock::ConnectStep::Resolving;
    return true;
  }
  smartlock::ConnectStep connectStep() override { return step_; }
  bool connected() override { return step_ == smartlock::ConnectStep::MqttConnecting && client_.connected(); }
  void disconnect() override {
    client_.disconnect();
    if (ws_ != nullptr) ws_->stop();  // closes the socket beneath too
    net()->stop();
    step_ = smartlock::ConnectStep::Failed;  // no attempt in progress
  }
  bool subscribe(const char* topic, uint8_t qos) override { return client_.subscribe(topic, qos); }
  bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) override {
    const bool ok = client_.publish(topic, payload, static_cast<int>(len), retain, qos);
    if (!ok) log("mqtt: publish failed (%s)", smartlock::mqttErrorName(client_.lastError()));
    return ok;
  }
  void loop() override {
    switch (step_) {
      case smartlock::ConnectStep::Resolving: return followDns();
      case smartlock::ConnectStep::TcpConnecting:
      case smartlock::ConnectStep::TlsHandshake: return openSocket();
      case smartlock::ConnectStep::MqttConnecting:
        if (client_.connected()) {
          if (!client_.loop()) log("mqtt: connection lost (%s)", smartlock::mqttErrorName(client_.lastError()));
        } else if (!mqttSent_) {
          sendConnect();
        }
        return;
      default: return;
    }
  }

 private:
  static constexpr int kDnsPending = 0, kDnsFound = 1, kDnsFailed = 2;

  void init(WiFiClient& net) {
    instance_ = this;  // arduino-mqtt callbacks are plain function pointers; there is one client
    net.setTimeout(kSocketTimeoutS);  // seconds on Arduino-ESP32 2.x
  }
  WiFiClient* net() { return tls_ != nullptr ? static_cast<WiFiClient*>(tls_) : plain_; }

  void followDns() {
    const int state = dns_.load();
    if (state == kDnsPending) return;  // LockApp ends the attempt after its DNS limit
    if (state == kDnsFailed) {
      log("mqtt: DNS lookup of %s failed", host_);
      step_ = smartlock::ConnectStep::Failed;
      return;
    }
    ip_ = IPAddress(dnsIp_.load());
    step_ = tls_ != nullptr ? smartlock::ConnectStep::TlsHandshake : smartlock::ConnectStep::TcpConnecting;
    // The socket opens on the next pass: this one has done its share.
  }

  // Blocks: TCP connect up to kSocketTimeoutS, then (TLS) the handshake up to kHandshakeTimeoutS.
  void openSocket() {
    int ok = 0;
    if (tls_ == nullptr) ok = plain_->connect(ip_, port_, static_cast<int32_t>(kSocketTimeoutS * 1000));
    else if (psk_) ok = tls_->connect(ip_, port_);  // the pre-shared key set by the sketch
    else ok = tls_->connect(ip_, port_, host_, caPem_, nullptr, nullptr);  // host: SNI and name check
    if (ok <= 0) {
      explainTlsFailure();
      if (tls_ == nullptr) log("mqtt: TCP connect to %s:%u failed", ip_.toString().c_str(), (unsigned)port_);
      net()->stop();
      step_ = smartlock::ConnectStep::Failed;
      return;
    }
    if (ws_ != nullptr && !ws_->handshake(host_)) {
      log("mqtt: WebSocket handshake with %s failed", host_);
      net()->stop();
      step_ = smartlock::ConnectStep::Failed;
      return;
    }
    mqttSent_ = false;
    step_ = smartlock::ConnectStep::MqttConnecting;
  }

  // Blocks up to kMqttTimeoutMs for the CONNACK (arduino-mqtt with skip: the socket is open).
  void sendConnect() {
    mqttSent_ = true;
    if (client_.connect(opts_.clientId, opts_.username, opts_.password, /*skip=*/true)) return;
    log("mqtt: broker refused the session (%s, CONNACK %s)", smartlock::mqttErrorName(client_.lastError()),
        smartlock::mqttReturnCodeName(client_.returnCode()));
    net()->stop();
    step_ = smartlock::ConnectStep::Failed;
  }

  void explainTlsFailure() {
    if (tls_ == nullptr) return;
    char why[96] = "";
    const int code = tls_->lastError(why, sizeof why);
    if (code == 0) {  // no TLS error: the TCP connect itself failed
      log("mqtt: TCP connect to %s:%u failed", ip_.toString().c_str(), (unsigned)port_);
      return;
    }
    log("mqtt: TLS handshake failed: %s (mbedTLS -0x%04x %s)",
        psk_ ? "wrong key or unknown identity" : "broker certificate not trusted", -code, why);
  }

  void log(const char* fmt, ...) {
    if (logger_ == nullptr) return;
    char line[200];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    logger_->log(line);
  }

  // lwIP's thread: only atomics are touched here.
  static void onDnsFound(const char*, const ip_addr_t* addr, void* self) {
    auto* t = static_cast<ArduinoMqttTransport*>(self);
    if (addr != nullptr) t->dnsIp_.store(ip_addr_get_ip4_u32(addr));
    t->dns_.store(addr != nullptr ? kDnsFound : kDnsFailed);
  }

  static void onMessage(MQTTClient*, char topic[], char bytes[], int length) {
    if (instance_ != nullptr && instance_->handler_ != nullptr && length >= 0) {
      instance_->handler_->onMqttMessage(topic, bytes, static_cast<size_t>(length));
    }
  }

  static inline ArduinoMqttTransport* instance_ = nullptr;
  WiFiClient* plain_ = nullptr;
  WiFiClientSecure* tls_ = nullptr;
  WebSocketClient* ws_ = nullptr;
  const char* host_;
  uint16_t port_;
  MQTTClient client_;
  smartlock::MqttMessageHandler* handler_ = nullptr;
  smartlock::Logger* logger_ = nullptr;
  bool psk_ = false;
  const char* caPem_ = nullptr;
  smartlock::MqttConnectOptions opts_;
  smartlock::ConnectStep step_ = smartlock::ConnectStep::Failed;
  std::atomic<int> dns_{kDnsPending};
  std::atomic<uint32_t> dnsIp_{0};
  IPAddress ip_;
  bool mqttSent_ = false;
};
