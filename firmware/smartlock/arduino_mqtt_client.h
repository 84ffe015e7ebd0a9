// BlockingMqttClient over arduino-mqtt (256dpi/MQTT 2.5, lwmqtt inside): QoS 1 subscribe and publish,
// retained will, keepalive, over WiFiClient or WiFiClientSecure. Its calls block, each for a bounded
// time (firmware/README.md, "Never blocks"): the sketch runs it on NetworkThreadTransport's thread
// (src/core/network_thread_transport.h), never on the loop task. Only that thread calls it, and
// arduino-mqtt's message callback runs inside its loop() and publish(), on that thread too.
//
// connect() goes through the steps of connect_steps.h and reports each one, so that LockApp times
// them: DNS through lwIP's callback (polled, so an abandoned attempt stops within kDnsPollMs), then
// one call for TCP (and TLS), then the WebSocket handshake if any, then CONNECT/CONNACK. Between
// steps it checks whether the app gave up.
#pragma once
#include <MQTT.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <lwip/dns.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>

#include "blocking_mqtt_client.h"
#include "net_reason_names.h"
#include "websocket_client.h"

class ArduinoMqttClient : public smartlock::BlockingMqttClient {
 public:
  // The buffer bounds every packet both ways: a larger one is refused by lwmqtt, never stored.
  static constexpr int kBufferSize = smartlock::kMaxPayload + smartlock::kMaxTopic + 16;
  // Bounds of the calls that block (README "Never blocks"): keep them under the core's step limits.
  static constexpr uint32_t kDnsTimeoutMs = 5000;    // LockApp's DNS limit (ConnectTimeouts::resolveMs)
  static constexpr uint32_t kDnsPollMs = 10;
  static constexpr uint32_t kSocketTimeoutS = 4;     // TCP connect, and every socket read/write
  static constexpr uint32_t kHandshakeTimeoutS = 6;  // TLS handshake (WiFiClientSecure's default is 120 s)
  static constexpr int kMqttTimeoutMs = 4000;        // CONNACK, SUBACK, PUBACK waits

  ArduinoMqttClient(WiFiClient& plain, const char* host, uint16_t port)
      : plain_(&plain), host_(host), port_(port), client_(kBufferSize) {
    init(plain);
  }
  ArduinoMqttClient(WiFiClientSecure& tls, const char* host, uint16_t port)
      : tls_(&tls), host_(host), port_(port), client_(kBufferSize) {
    tls.setHandshakeTimeout(kHandshakeTimeoutS);
    init(tls);
  }

  void setHandler(smartlock::MqttMessageHandler* handler) override { handler_ = handler; }
  // MQTT over WebSockets (docs/protocol.md §12.3): ws runs over this client's socket; its
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

  bool connect(const smartlock::MqttConnectOptions& o, smartlock::ConnectProgress& progress) override {
    if (WiFi.status() != WL_CONNECTED) return false;  // the app backs off and tries again
    client_.begin(host_, port_, ws_ != nullptr ? static_cast<Client&>(*ws_) : static_cast<Client&>(*net()));
    if (o.willTopic != nullptr) client_.setWill(o.willTopic, o.willPayload, o.willRetain, o.willQos);
    else client_.clearWill();  // an unclaimed lock has no availability topic
    client_.setOptions(o.keepAliveS, /*cleanSession=*/true, kMqttTimeoutMs);
    client_.onMessageAdvanced(&ArduinoMqttClient::onMessage);

    progress.step(smartlock::ConnectStep::Resolving);
    IPAddress ip;
    if (!resolve(ip, progress)) return false;
    if (progress.abandoned()) return false;
    progress.step(tls_ != nullptr ? smartlock::ConnectStep::TlsHandshake : smartlock::ConnectStep::TcpConnecting);
    if (!openSocket(ip)) return false;
    if (progress.abandoned()) return false;  // the transport closes the socket
    progress.step(smartlock::ConnectStep::MqttConnecting);
    return sendConnect(o);
  }
  bool connected() override { return client_.connected(); }
  void disconnect() override {
    client_.disconnect();
    if (ws_ != nullptr) ws_->stop();  // closes the socket beneath too
    net()->stop();
  }
  bool subscribe(const char* topic, uint8_t qos) override { return client_.subscribe(topic, qos); }
  bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) override {
    const bool ok = client_.publish(topic, payload, static_cast<int>(len), retain, qos);
    if (!ok) log("mqtt: publish failed (%s)", smartlock::mqttErrorName(client_.lastError()));
    return ok;
  }
  void loop() override {
    if (client_.connected() && !client_.loop()) {
      log("mqtt: connection lost (%s)", smartlock::mqttErrorName(client_.lastError()));
    }
  }

 private:
  static constexpr int kDnsPending = 0, kDnsFound = 1, kDnsFailed = 2;

  void init(WiFiClient& net) {
    instance_ = this;  // arduino-mqtt callbacks are plain function pointers; there is one client
    net.setTimeout(kSocketTimeoutS);  // seconds on Arduino-ESP32 2.x
  }
  WiFiClient* net() { return tls_ != nullptr ? static_cast<WiFiClient*>(tls_) : plain_; }

  // lwIP answers through onDnsFound on its own thread; polled here, so that an abandoned attempt
  // or kDnsTimeoutMs ends the wait. Called as Arduino-ESP32 2.x's own WiFi.hostByName() calls it.
  bool resolve(IPAddress& ip, smartlock::ConnectProgress& progress) {
    dns_.store(kDnsPending);
    ip_addr_t addr;
    const err_t e = dns_gethostbyname(host_, &addr, &ArduinoMqttClient::onDnsFound, this);
    if (e == ERR_OK) {
      ip = IPAddress(ip_addr_get_ip4_u32(&addr));
      return true;
    }
    if (e != ERR_INPROGRESS) {
      log("mqtt: DNS lookup of %s could not start (lwIP %d)", host_, static_cast<int>(e));
      return false;
    }
    for (uint32_t waited = 0; dns_.load() == kDnsPending; waited += kDnsPollMs) {
      if (waited >= kDnsTimeoutMs || progress.abandoned()) {
        log("mqtt: DNS lookup of %s took too long", host_);
        return false;
      }
      delay(kDnsPollMs);
    }
    if (dns_.load() == kDnsFailed) {
      log("mqtt: DNS lookup of %s failed", host_);
      return false;
    }
    ip = IPAddress(dnsIp_.load());
    return true;
  }

  // Blocks: TCP connect up to kSocketTimeoutS, then (TLS) the handshake up to kHandshakeTimeoutS,
  // then (WebSocket) its handshake up to WebSocketClient::kConnectTimeoutMs.
  bool openSocket(const IPAddress& ip) {
    int ok = 0;
    if (tls_ == nullptr) ok = plain_->connect(ip, port_, static_cast<int32_t>(kSocketTimeoutS * 1000));
    else if (psk_) ok = tls_->connect(ip, port_);  // the pre-shared key set by the sketch
    else ok = tls_->connect(ip, port_, host_, caPem_, nullptr, nullptr);  // host: SNI and name check
    if (ok <= 0) {
      explainTlsFailure(ip);
      net()->stop();
      return false;
    }
    if (ws_ != nullptr && !ws_->handshake(host_)) {
      log("mqtt: WebSocket handshake with %s failed", host_);
      net()->stop();
      return false;
    }
    return true;
  }

  // Blocks up to kMqttTimeoutMs for the CONNACK (arduino-mqtt with skip: the socket is open).
  bool sendConnect(const smartlock::MqttConnectOptions& o) {
    if (client_.connect(o.clientId, o.username, o.password, /*skip=*/true)) return true;
    log("mqtt: broker refused the session (%s, CONNACK %s)", smartlock::mqttErrorName(client_.lastError()),
        smartlock::mqttReturnCodeName(client_.returnCode()));
    net()->stop();
    return false;
  }

  void explainTlsFailure(const IPAddress& ip) {
    char why[96] = "";
    const int code = tls_ != nullptr ? tls_->lastError(why, sizeof why) : 0;
    if (code == 0) {  // plain MQTT, or no TLS error: the TCP connect itself failed
      log("mqtt: TCP connect to %s:%u failed", ip.toString().c_str(), (unsigned)port_);
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
    auto* t = static_cast<ArduinoMqttClient*>(self);
    if (addr != nullptr) t->dnsIp_.store(ip_addr_get_ip4_u32(addr));
    t->dns_.store(addr != nullptr ? kDnsFound : kDnsFailed);
  }

  static void onMessage(MQTTClient*, char topic[], char bytes[], int length) {
    if (instance_ != nullptr && instance_->handler_ != nullptr && length >= 0) {
      instance_->handler_->onMqttMessage(topic, bytes, static_cast<size_t>(length));
    }
  }

  static inline ArduinoMqttClient* instance_ = nullptr;
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
  std::atomic<int> dns_{kDnsPending};
  std::atomic<uint32_t> dnsIp_{0};
};
