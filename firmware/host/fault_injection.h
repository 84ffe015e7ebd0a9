// Crash points for tests (SMARTLOCK_FAULT, virtual lock only): the process ends with _exit, as
// kill -9 would, at a chosen step of an over-the-air secret rotation (docs/protocol.md §13.3).
//   exit-after-rekey-persist  right after the new secret is persisted, before the ack is sent
//   exit-after-rekey-ack      about 300 ms after the status carrying the rekey ack was handed to MQTT,
//                             taking no server message meanwhile (so it never switches secrets)
#pragma once
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "key_ring.h"
#include "ports.h"

namespace host {

class FaultStorage : public smartlock::Storage {
 public:
  FaultStorage(smartlock::Storage& inner, std::string fault) : inner_(inner), fault_(std::move(fault)) {}
  std::optional<uint64_t> load(const char* key) override { return inner_.load(key); }
  bool store(const char* key, uint64_t value) override { return inner_.store(key, value); }
  bool loadText(const char* key, char* out, size_t cap) override { return inner_.loadText(key, out, cap); }
  bool storeText(const char* key, const char* value) override {
    const bool ok = inner_.storeText(key, value);
    if (ok && fault_ == "exit-after-rekey-persist" && std::strcmp(key, smartlock::kKeyPendingKey) == 0 && value[0] != '\0') {
      std::fprintf(stderr, "[lock] fault: exiting after persisting the new secret, before the ack\n");
      std::fflush(stderr);
      ::_exit(9);
    }
    return ok;
  }

 private:
  smartlock::Storage& inner_;
  std::string fault_;
};

class FaultMqtt : public smartlock::MqttTransport, public smartlock::MqttMessageHandler {
 public:
  FaultMqtt(smartlock::MqttTransport& inner, std::string fault) : inner_(inner), fault_(std::move(fault)) {}
  void setHandler(smartlock::MqttMessageHandler* h) override {
    handler_ = h;
    inner_.setHandler(this);
  }
  void onMqttMessage(const char* topic, const char* payload, size_t len) override {
    if (!armed_ && handler_ != nullptr) handler_->onMqttMessage(topic, payload, len);
  }
  bool connect(const smartlock::MqttConnectOptions& o) override { return inner_.connect(o); }
  bool connected() override { return inner_.connected(); }
  void disconnect() override { inner_.disconnect(); }
  bool subscribe(const char* topic, uint8_t qos) override { return inner_.subscribe(topic, qos); }
  bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) override {
    const bool ok = inner_.publish(topic, payload, len, qos, retain);
    const std::string text(payload, len);
    if (ok && fault_ == "exit-after-rekey-ack" && text.find("\"ack\":{\"id\":\"rekey-") != std::string::npos) {
      exitAt_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);  // let the ack reach the broker
      armed_ = true;
    }
    return ok;
  }
  void loop() override {
    inner_.loop();
    if (armed_ && std::chrono::steady_clock::now() >= exitAt_) {
      std::fprintf(stderr, "[lock] fault: exiting after acking the new secret, before the server's next message\n");
      std::fflush(stderr);
      ::_exit(9);
    }
  }

 private:
  smartlock::MqttTransport& inner_;
  smartlock::MqttMessageHandler* handler_ = nullptr;
  std::string fault_;
  bool armed_ = false;
  std::chrono::steady_clock::time_point exitAt_;
};

}  // namespace host
