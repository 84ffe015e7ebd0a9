// Improv over serial without a serial port or a radio: a byte sink that parses back what the
// session wrote, a Wi-Fi that connects when told to, and the session on fake storage and clock.
#pragma once
#include <string>
#include <vector>

#include "fakes.h"
#include "improv.h"

namespace smartlock {
namespace improv {

using Bytes = std::vector<uint8_t>;

struct Sink : ByteSink {
  Bytes bytes;
  void write(const uint8_t* data, size_t n) override { bytes.insert(bytes.end(), data, data + n); }
  // Every packet written so far, parsed back.
  std::vector<Packet> packets() const {
    Parser p;
    std::vector<Packet> out;
    for (uint8_t b : bytes)
      if (p.push(b)) out.push_back(p.packet());
    return out;
  }
};

struct FakeWifi : WifiPort {
  std::string ssid, password;
  WifiStatus st = WifiStatus::Idle;
  std::vector<Network> nets;
  void connect(const char* s, const char* p) override {
    ssid = s;
    password = p;
    st = WifiStatus::Connecting;
  }
  WifiStatus status() override { return st; }
  size_t scan(Network* out, size_t cap) override {
    size_t i = 0;
    for (; i < nets.size() && i < cap; ++i) out[i] = nets[i];
    return i;
  }
};

struct Rig {
  Sink sink;
  FakeWifi wifi;
  fakes::FakeStorage storage;
  StorageSettingsStore store{storage};
  fakes::FakeClock clock;
  ImprovSession session{sink, wifi, store, clock, ImprovInfo{"smartlock", "1.2.3", "ESP32", "front-door"}, 30000};
  void feed(const Bytes& b) {
    for (uint8_t x : b) session.push(x);
  }
  std::vector<Packet> take() {
    auto p = sink.packets();
    sink.bytes.clear();
    return p;
  }
};

}  // namespace improv
}  // namespace smartlock
