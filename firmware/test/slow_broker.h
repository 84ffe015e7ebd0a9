// A BlockingMqttClient that really blocks: its connect sleeps through each step, its QoS 1
// publishes sleep until their "PUBACK". It records what it was asked, from which thread, and in
// what order, so that tests can check what NetworkThreadTransport kept off the loop task.
#pragma once
#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "blocking_mqtt_client.h"
#include "fakes.h"

namespace fakes {

struct SlowBroker : BlockingMqttClient {
  using Steps = std::array<uint32_t, 4>;  // ms in Resolving, TcpConnecting, TlsHandshake, MqttConnecting

  // Scripted; the test may change them at any time (under m).
  std::mutex m;
  std::vector<Steps> attempts = {{375, 375, 375, 375}};  // attempt i takes attempts[i] (the last one repeats)
  bool acceptSessions = true;   // what a connect that ran its steps returns
  bool honoursAbandon = true;   // false: runs every step and answers even once the app gave up
  uint32_t publishAckMs = 500;  // a QoS 1 publish waits this long for its PUBACK
  uint32_t subscribeAckMs = 100;
  int failPublishes = 0;        // the next n QoS 1 publishes get no PUBACK...
  bool closeOnFailure = true;   // ...and close the session, as arduino-mqtt does
  // Recorded.
  std::vector<std::string> events;  // "connect 1", "connect 1 returned", "disconnect", "publish <topic>", ...
  std::vector<Published> delivered;  // publishes that got their PUBACK
  std::set<std::thread::id> callers;
  int connects = 0;

  void setHandler(MqttMessageHandler* h) override {
    std::lock_guard<std::mutex> lock(m);
    handler_ = h;
  }

  bool connect(const MqttConnectOptions& o, ConnectProgress& progress) override {
    Steps steps{};
    int n = 0;
    {
      std::lock_guard<std::mutex> lock(m);
      callers.insert(std::this_thread::get_id());
      n = ++connects;
      steps = attempts[std::min<size_t>(static_cast<size_t>(n - 1), attempts.size() - 1)];
      events.push_back("connect " + std::to_string(n));
      clientId_ = o.clientId != nullptr ? o.clientId : "";
    }
    const ConnectStep order[] = {ConnectStep::Resolving, ConnectStep::TcpConnecting, ConnectStep::TlsHandshake,
                                 ConnectStep::MqttConnecting};
    bool gaveUp = false;
    for (size_t i = 0; i < 4 && !gaveUp; ++i) {
      progress.step(order[i]);
      std::this_thread::sleep_for(std::chrono::milliseconds(steps[i]));  // one call that cannot be cut short
      if (honoursAbandon) gaveUp = progress.abandoned();  // checked between steps, as the ESP32 client does
    }
    std::lock_guard<std::mutex> lock(m);
    connected_ = !gaveUp && acceptSessions;
    events.push_back("connect " + std::to_string(n) + (gaveUp ? " gave up" : connected_ ? " accepted" : " refused"));
    return connected_;
  }

  bool connected() override {
    std::lock_guard<std::mutex> lock(m);
    return connected_;
  }

  void disconnect() override {
    std::lock_guard<std::mutex> lock(m);
    callers.insert(std::this_thread::get_id());
    connected_ = false;
    events.push_back("disconnect");
  }

  bool subscribe(const char* topic, uint8_t) override {
    uint32_t wait = 0;
    {
      std::lock_guard<std::mutex> lock(m);
      callers.insert(std::this_thread::get_id());
      if (!connected_) return false;
      wait = subscribeAckMs;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    std::lock_guard<std::mutex> lock(m);
    subscriptions_.insert(topic);
    events.push_back(std::string("subscribe ") + topic);
    return connected_;
  }

  bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) override {
    uint32_t wait = 0;
    {
      std::lock_guard<std::mutex> lock(m);
      callers.insert(std::this_thread::get_id());
      if (!connected_) return false;
      wait = qos > 0 ? publishAckMs : 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    std::lock_guard<std::mutex> lock(m);
    if (qos > 0 && failPublishes > 0) {
      --failPublishes;
      if (closeOnFailure) connected_ = false;
      events.push_back(std::string("publish failed ") + topic);
      return false;
    }
    delivered.push_back({topic, std::string(payload, len), qos, retain});
    events.push_back(std::string("publish ") + topic);
    return true;
  }

  void loop() override {
    std::deque<std::pair<std::string, std::string>> arrived;
    MqttMessageHandler* handler = nullptr;
    {
      std::lock_guard<std::mutex> lock(m);
      callers.insert(std::this_thread::get_id());
      if (!connected_) return;
      arrived.swap(inbound_);
      handler = handler_;
    }
    for (const auto& [topic, payload] : arrived) {
      if (handler != nullptr) handler->onMqttMessage(topic.c_str(), payload.data(), payload.size());
    }
  }

  // The broker sends a message to a subscribed topic; it arrives at the client's next loop().
  void send(const std::string& topic, const std::string& payload) {
    std::lock_guard<std::mutex> lock(m);
    if (subscriptions_.count(topic) > 0) inbound_.emplace_back(topic, payload);
  }
  int connectCount() {
    std::lock_guard<std::mutex> lock(m);
    return connects;
  }
  int eventCount() {
    std::lock_guard<std::mutex> lock(m);
    return static_cast<int>(events.size());
  }
  // The index of the first event equal to e at or after from, or -1.
  int indexOf(const std::string& e, int from = 0) {
    std::lock_guard<std::mutex> lock(m);
    for (size_t i = static_cast<size_t>(from); i < events.size(); ++i) if (events[i] == e) return static_cast<int>(i);
    return -1;
  }
  std::vector<Published> deliveredOn(const std::string& topic) {
    std::lock_guard<std::mutex> lock(m);
    std::vector<Published> out;
    for (const auto& p : delivered) if (p.topic == topic) out.push_back(p);
    return out;
  }

 private:
  MqttMessageHandler* handler_ = nullptr;
  bool connected_ = false;
  std::string clientId_;
  std::set<std::string> subscriptions_;
  std::deque<std::pair<std::string, std::string>> inbound_;
};

}  // namespace fakes
