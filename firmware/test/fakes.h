// Fakes that record what the core did and answer what the test scripted. Tests may use the
// standard library freely; the core may not.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "led_actuator.h"
#include "ports.h"

namespace fakes {
using namespace smartlock;

// One timeline shared by the fakes, so tests can assert the order of effects across them.
struct Journal {
  std::vector<std::string> events;
  void add(const std::string& e) { events.push_back(e); }
  int indexOf(const std::string& e) const {
    for (size_t i = 0; i < events.size(); ++i) if (events[i] == e) return static_cast<int>(i);
    return -1;
  }
};

struct FakeClock : Clock {
  uint32_t nowMs = 0;
  std::optional<int64_t> unix;
  uint32_t millis() override { return nowMs; }
  std::optional<int64_t> unixTime() override {
    if (!unix) return std::nullopt;
    return *unix + nowMs / 1000;
  }
  void advance(uint32_t ms) { nowMs += ms; }
};

// Survives "reboots": tests keep it and build a new app around it.
struct FakeStorage : Storage {
  Journal* journal = nullptr;
  std::map<std::string, uint64_t> values;
  bool failWrites = false;
  std::optional<uint64_t> load(const char* key) override {
    auto it = values.find(key);
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  bool store(const char* key, uint64_t value) override {
    if (failWrites) return false;
    values[key] = value;
    if (journal) journal->add(std::string("store ") + key + "=" + std::to_string(value));
    return true;
  }
  std::map<std::string, std::string> texts;
  bool storeText(const char* key, const char* value) override {
    if (failWrites) return false;
    texts[key] = value;
    if (journal) journal->add(std::string("storeText ") + key);
    return true;
  }
  bool loadText(const char* key, char* out, size_t cap) override {
    auto it = texts.find(key);
    if (it == texts.end() || it->second.size() >= cap) return false;
    it->second.copy(out, it->second.size());
    out[it->second.size()] = '\0';
    return true;
  }
};

struct FakeDoor : DoorSensor {
  DoorState state = DoorState::Closed;
  DoorState door() override { return state; }
};

// The bolt as a sensor sees it: tests turn it "by hand", and a FakeActuator moves it.
struct FakeBolt : BoltSensor {
  std::optional<LockStatus> position = LockStatus::Locked;
  std::optional<LockStatus> bolt() override { return position; }
};

struct FakeActuator : Actuator {
  FakeBolt* bolt = nullptr;          // moved when a move ends Done
  Action target = Action::Lock;
  Journal* journal = nullptr;
  std::vector<Action> starts;
  MoveState next = MoveState::Done;  // what the next poll reports once a move started
  int pollsPerMove = 1;              // polls that report Moving before the result
  int remaining = 0;
  bool moving = false;
  void start(Action a) override {
    starts.push_back(a);
    target = a;
    moving = true;
    remaining = pollsPerMove;
    if (journal) journal->add(std::string("actuate ") + nameOf(a));
  }
  MoveState poll() override {
    if (!moving) return MoveState::Idle;
    if (remaining-- > 0) return MoveState::Moving;
    moving = false;
    if (bolt && next == MoveState::Done) bolt->position = target == Action::Lock ? LockStatus::Locked : LockStatus::Unlocked;
    return next;
  }
};

struct FakeRandom : Random {
  uint32_t value = 0x80000000u;  // fixed mid draw unless a test sets a sequence
  std::vector<uint32_t> seq;
  size_t i = 0;
  uint32_t next() override { return seq.empty() ? value : seq[i++ % seq.size()]; }
};

// Deterministic xorshift for distribution tests.
struct XorShiftRandom : Random {
  uint32_t s = 2463534242u;
  uint32_t next() override {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
  }
};

struct Published {
  std::string topic, payload;
  uint8_t qos;
  bool retain;
};

struct FakeMqtt : MqttTransport {
  MqttMessageHandler* handler = nullptr;
  bool acceptConnect = true;   // connect() starts an attempt
  bool brokerAnswers = true;   // the attempt succeeds at the next loop()
  bool isConnected = false;
  bool pendingConnect = false;
  int connects = 0;
  MqttConnectOptions lastOptions;
  std::string willTopic, willPayload, password;
  std::vector<std::string> passwords;  // of every attempt, in order
  std::string refusedPassword;         // a broker that does not know this one never lets it in
  std::string acceptedPassword;        // if set, the only one it lets in (one password per account: Mosquitto dynsec)
  std::vector<std::pair<std::string, uint8_t>> subscriptions;
  std::vector<Published> published;

  void setHandler(MqttMessageHandler* h) override { handler = h; }
  bool connect(const MqttConnectOptions& o) override {
    ++connects;
    lastOptions = o;
    willTopic = o.willTopic ? o.willTopic : "";
    willPayload = o.willPayload ? o.willPayload : "";
    password = o.password;
    passwords.push_back(o.password);
    if (!acceptConnect) return false;
    pendingConnect = password != refusedPassword && (acceptedPassword.empty() || password == acceptedPassword);
    return true;
  }
  bool connected() override { return isConnected; }
  void disconnect() override { isConnected = false; pendingConnect = false; }
  bool subscribe(const char* topic, uint8_t qos) override {
    if (!isConnected) return false;
    subscriptions.emplace_back(topic, qos);
    return true;
  }
  Journal* journal = nullptr;
  int failPublishes = 0;             // the next n publishes fail...
  bool closeOnFailedPublish = true;  // ...and, like arduino-mqtt's, close the connection
  bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) override {
    if (!isConnected) return false;
    if (failPublishes > 0) {
      --failPublishes;
      if (closeOnFailedPublish) isConnected = false;
      return false;
    }
    published.push_back({topic, std::string(payload, len), qos, retain});
    if (journal) journal->add("publish " + std::string(payload, len));
    return true;
  }
  void loop() override {
    if (pendingConnect && brokerAnswers) {
      pendingConnect = false;
      isConnected = true;
    }
  }
  void deliver(const std::string& topic, const std::string& payload) {
    handler->onMqttMessage(topic.c_str(), payload.data(), payload.size());
  }
  void drop() { isConnected = false; }
  std::vector<Published> on(const std::string& topic) const {
    std::vector<Published> out;
    for (const auto& p : published) if (p.topic == topic) out.push_back(p);
    return out;
  }
};

struct RecordingLeds : LedIndicator {
  std::vector<Indication> shown;
  void show(Indication what) override { shown.push_back(what); }
};

struct NullLogger : Logger {
  std::vector<std::string> lines;
  void log(const char* line) override { lines.emplace_back(line); }
};

}  // namespace fakes
