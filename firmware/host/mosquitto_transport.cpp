#include "mosquitto_transport.h"

#include <mosquitto.h>

#include <cstdio>
#include <utility>

namespace host {

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

MosquittoTransport::MosquittoTransport(BrokerUrl url, std::string caFile)
    : url_(std::move(url)), caFile_(std::move(caFile)) {
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
  if (url_.tls) {
    const char* caFile = caFile_.empty() ? nullptr : caFile_.c_str();
    const char* caPath = caFile_.empty() ? "/etc/ssl/certs" : nullptr;
    if (mosquitto_tls_set(mosq_, caFile, caPath, nullptr, nullptr, nullptr) != MOSQ_ERR_SUCCESS) return false;
  }
  // Blocks only for the TCP (and TLS) handshake; the CONNACK arrives through loop().
  return mosquitto_connect(mosq_, url_.host.c_str(), url_.port, o.keepAliveS) == MOSQ_ERR_SUCCESS;
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
  if (rc != MOSQ_ERR_SUCCESS) connected_ = false;  // the app sees it and reconnects with backoff
}

void MosquittoTransport::onConnect(mosquitto*, void* self, int rc) {
  auto* t = static_cast<MosquittoTransport*>(self);
  t->connected_ = rc == 0;
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
