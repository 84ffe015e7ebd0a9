#include "mosquitto_transport.h"

#include <mosquitto.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <utility>

namespace host {

const char kPskCiphers[] = "ECDHE-PSK-CHACHA20-POLY1305:ECDHE-PSK-AES128-CBC-SHA256:PSK-AES128-GCM-SHA256";

bool parseBrokerUrl(const std::string& url, BrokerUrl& out) {
  std::string rest;
  if (url.rfind("mqtt://", 0) == 0) {
    out.tls = false;
    out.port = 1883;
    rest = url.substr(7);
  } else if (url.rfind("mqtts://", 0) == 0) {
    out.tls = true;
    out.port = 8883;
    rest = url.substr(8);
  } else {
    return false;
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  const size_t colon = rest.rfind(':');
  if (colon != std::string::npos) {
    try {
      out.port = std::stoi(rest.substr(colon + 1));
    } catch (...) {
      return false;
    }
    rest = rest.substr(0, colon);
  }
  out.host = rest;
  return !out.host.empty() && out.port > 0 && out.port < 65536;
}

MosquittoTransport::MosquittoTransport(BrokerUrl url, std::string caFile, TlsPsk psk)
    : url_(std::move(url)), caFile_(std::move(caFile)), psk_(std::move(psk)) {
  mosquitto_lib_init();
}

MosquittoTransport::~MosquittoTransport() {
  destroy();
  mosquitto_lib_cleanup();
}

void MosquittoTransport::destroy() {
  if (mosq_ != nullptr) mosquitto_destroy(mosq_);
  mosq_ = nullptr;
  connected_ = false;
}

bool MosquittoTransport::connect(const smartlock::MqttConnectOptions& o) {
  destroy();  // a fresh client per attempt: no state leaks from a broken session
  mosq_ = mosquitto_new(o.clientId, true, this);
  if (mosq_ == nullptr) return false;
  mosquitto_connect_callback_set(mosq_, &MosquittoTransport::onConnect);
  mosquitto_disconnect_callback_set(mosq_, &MosquittoTransport::onDisconnect);
  mosquitto_message_callback_set(mosq_, &MosquittoTransport::onMessage);
  if (mosquitto_username_pw_set(mosq_, o.username, o.password) != MOSQ_ERR_SUCCESS) return false;
  if (o.willTopic != nullptr &&
      mosquitto_will_set(mosq_, o.willTopic, static_cast<int>(std::char_traits<char>::length(o.willPayload)),
                         o.willPayload, o.willQos, o.willRetain) != MOSQ_ERR_SUCCESS) {
    return false;
  }
  mosquitto_log_callback_set(mosq_, &MosquittoTransport::onLog);
  tlsError_.clear();
  if (url_.tls && !setUpTls()) return false;
  // Blocks for the TCP (and TLS) handshake; the CONNACK is awaited below.
  connackSeen_ = false;
  const int rc = mosquitto_connect(mosq_, url_.host.c_str(), url_.port, o.keepAliveS);
  if (rc == MOSQ_ERR_TLS) reportTlsFailure("connect");
  if (rc != MOSQ_ERR_SUCCESS) return false;
  return awaitConnack();
}

// The ESP32's transport blocks for TCP + TLS + CONNACK (arduino_mqtt_transport.h), so a refused
// login or TLS handshake is a failed connect() that the app backs off from at once. Here the end of
// the handshake and the CONNACK arrive through mosquitto_loop(): without this wait a refusal would
// only show as a connection that never comes up, which the app waits out (its 15 s connect
// timeout) before it tries the next password. Bounded: a silent broker is still that timeout's job.
bool MosquittoTransport::awaitConnack() {
  constexpr auto kWait = std::chrono::milliseconds(3000);
  const auto start = std::chrono::steady_clock::now();
  while (!connackSeen_ && std::chrono::steady_clock::now() - start < kWait) {
    const int rc = mosquitto_loop(mosq_, 50, 1);
    if (rc == MOSQ_ERR_SUCCESS || connackSeen_) continue;
    if (rc == MOSQ_ERR_TLS || !tlsError_.empty()) {
      reportTlsFailure("handshake");
    } else {
      std::fprintf(stderr, "[mqtt] connection lost before the CONNACK: %s\n", mosquitto_strerror(rc));
    }
    destroy();
    return false;
  }
  if (connackSeen_ && !connected_) {  // refused: onConnect said why
    destroy();
    return false;
  }
  return true;
}

bool MosquittoTransport::setUpTls() {
  if (psk_.identity.empty()) {
    const char* caFile = caFile_.empty() ? nullptr : caFile_.c_str();
    const char* caPath = caFile_.empty() ? "/etc/ssl/certs" : nullptr;
    return mosquitto_tls_set(mosq_, caFile, caPath, nullptr, nullptr, nullptr) == MOSQ_ERR_SUCCESS;
  }
  // TLS 1.2: the PSK suites the broker serves are 1.2 ones (TLS 1.3 PSK is a different scheme).
  // No certificate comes, so there is nothing to verify (cert_reqs 0); the key is the proof.
  if (mosquitto_tls_opts_set(mosq_, 0, "tlsv1.2", kPskCiphers) != MOSQ_ERR_SUCCESS ||
      mosquitto_tls_psk_set(mosq_, psk_.keyHex.c_str(), psk_.identity.c_str(), kPskCiphers) != MOSQ_ERR_SUCCESS) {
    std::fprintf(stderr, "[mqtt] TLS-PSK set-up refused by libmosquitto (built without TLS-PSK?)\n");
    return false;
  }
  return true;
}

// Says by name why TLS failed. With a pre-shared key, an alert from the broker during the
// handshake means it does not hold this lock's key: a wrong or rotated secret, or a device id it
// does not know (OpenSSL then reads "bad record mac", "decrypt error" or "unknown psk identity").
void MosquittoTransport::reportTlsFailure(const char* when) {
  const std::string detail = tlsError_.empty() ? "no detail from OpenSSL" : tlsError_;
  tlsError_.clear();
  if (!psk_.identity.empty() && detail.find("alert") != std::string::npos) {
    std::fprintf(stderr, "[mqtt] TLS handshake failed: wrong key or unknown identity \"%s\" (the broker cannot prove it holds this lock's key; %s, at %s)\n",
                 psk_.identity.c_str(), detail.c_str(), when);
  } else if (!psk_.identity.empty()) {
    std::fprintf(stderr, "[mqtt] TLS handshake failed: TLS-PSK not served there? (%s, at %s)\n", detail.c_str(), when);
  } else {
    std::fprintf(stderr, "[mqtt] TLS handshake failed: broker certificate not trusted or TLS refused (%s, at %s)\n",
                 detail.c_str(), when);
  }
}

void MosquittoTransport::disconnect() {
  if (mosq_ != nullptr && connected_) {
    mosquitto_disconnect(mosq_);
    for (int i = 0; i < 5; ++i) mosquitto_loop(mosq_, 20, 1);  // flush what is still queued
  }
  destroy();
}

bool MosquittoTransport::subscribe(const char* topic, uint8_t qos) {
  return mosq_ != nullptr && connected_ && mosquitto_subscribe(mosq_, nullptr, topic, qos) == MOSQ_ERR_SUCCESS;
}

bool MosquittoTransport::publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) {
  return mosq_ != nullptr && connected_ &&
         mosquitto_publish(mosq_, nullptr, topic, static_cast<int>(len), payload, qos, retain) == MOSQ_ERR_SUCCESS;
}

void MosquittoTransport::loop() {
  if (mosq_ == nullptr) return;
  const int rc = mosquitto_loop(mosq_, 0, 1);
  if (rc == MOSQ_ERR_TLS && !connected_) reportTlsFailure("handshake");
  if (rc != MOSQ_ERR_SUCCESS) connected_ = false;  // the app sees it and reconnects with backoff
}

void MosquittoTransport::onLog(mosquitto*, void* self, int level, const char* line) {
  if (level != MOSQ_LOG_ERR || line == nullptr || std::strncmp(line, "OpenSSL Error", 13) != 0) return;
  auto* t = static_cast<MosquittoTransport*>(self);
  if (t->tlsError_.empty()) t->tlsError_ = line;  // the first is the cause; the rest follow from it
}

void MosquittoTransport::onConnect(mosquitto*, void* self, int rc) {
  auto* t = static_cast<MosquittoTransport*>(self);
  t->connected_ = rc == 0;
  t->connackSeen_ = true;
  if (rc != 0) std::fprintf(stderr, "[mqtt] broker refused the connection: %s\n", mosquitto_connack_string(rc));
}

void MosquittoTransport::onDisconnect(mosquitto*, void* self, int) {
  static_cast<MosquittoTransport*>(self)->connected_ = false;
}

void MosquittoTransport::onMessage(mosquitto*, void* self, const mosquitto_message* msg) {
  auto* t = static_cast<MosquittoTransport*>(self);
  if (t->handler_ == nullptr || msg == nullptr || msg->payloadlen < 0) return;
  t->handler_->onMqttMessage(msg->topic, static_cast<const char*>(msg->payload), static_cast<size_t>(msg->payloadlen));
}

}  // namespace host
